#include "api/entity_json.h"

#include <boost/json/array.hpp>

#include "ledger/time.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;
using projections::Stamp;

bj::object StampJson(const Stamp& stamp) {
  return bj::object{{"seq", static_cast<int64_t>(stamp.seq)},
                    {"occurred_at", FormatUtcMillis(stamp.occurred_at_ms)}};
}

// Optional free text: null when the event did not give it.
bj::value TextOrNull(const std::string& text) {
  return text.empty() ? bj::value(nullptr) : bj::value(text);
}

}  // namespace

bj::object ProductJson(std::string_view id, const projections::ProductEntity& product) {
  bj::array mechanisms;
  for (BenefitMechanism mechanism : product.mechanisms) {
    mechanisms.emplace_back(BenefitMechanismName(mechanism));
  }
  bj::array households;
  for (const std::string& household : product.households) households.emplace_back(household);
  bj::array certifications;
  for (const Stamp& stamp : product.certifications) certifications.push_back(StampJson(stamp));
  bj::array prices;
  for (const projections::PricePoint& price : product.prices) {
    bj::object point = StampJson(price.at);
    point["reference_price_fen"] = price.reference_price_fen;
    point["source"] = price.source;
    prices.push_back(std::move(point));
  }
  bj::value revocation = nullptr;
  if (product.revoked) {
    bj::object revoked{{"reason", product.revocation_reason}};
    if (product.revoked_at) {
      revoked["seq"] = static_cast<int64_t>(product.revoked_at->seq);
      revoked["occurred_at"] = FormatUtcMillis(product.revoked_at->occurred_at_ms);
    }
    revocation = std::move(revoked);
  }
  return bj::object{{"product_id", id},
                    {"name", product.name},
                    {"category", product.category},
                    {"spec", product.spec},
                    {"unit", product.unit},
                    {"supplier_id", product.supplier_id},
                    {"origin_region", product.origin_region},
                    {"certificate_no", product.certificate_no},
                    {"status", product.revoked ? "revoked" : "certified"},
                    {"valid_from", product.valid_from},
                    {"valid_to", product.valid_to},
                    {"annual_value_fen", product.annual_value_fen},
                    {"reference_price_fen", product.reference_price_fen()},
                    {"benefit", bj::object{{"mechanisms", std::move(mechanisms)},
                                           {"households", std::move(households)},
                                           {"people_claimed", product.people_claimed}}},
                    {"revocation", std::move(revocation)},
                    {"certifications", std::move(certifications)},
                    {"prices", std::move(prices)}};
}

bj::object SupplierJson(std::string_view id, const projections::SupplierEntity& supplier) {
  return bj::object{{"supplier_id", id},
                    {"name", supplier.name},
                    {"uscc", supplier.uscc},
                    {"region", supplier.region},
                    {"registered", StampJson(supplier.registered)}};
}

bj::object OutletJson(std::string_view id, const projections::OutletEntity& outlet) {
  bj::value closed = nullptr;
  if (outlet.closed) {
    bj::object closing{{"reason", outlet.close_reason}};
    if (outlet.closed_at) {
      closing["seq"] = static_cast<int64_t>(outlet.closed_at->seq);
      closing["occurred_at"] = FormatUtcMillis(outlet.closed_at->occurred_at_ms);
    }
    closed = std::move(closing);
  }
  return bj::object{{"outlet_id", id},
                    {"kind", OutletKindName(outlet.kind)},
                    {"name", outlet.name},
                    {"region", outlet.region},
                    {"venue", TextOrNull(outlet.venue)},
                    {"platform", TextOrNull(outlet.platform)},
                    {"device_id", TextOrNull(outlet.device_id)},
                    {"status", outlet.closed ? "closed" : "active"},
                    {"deployed", StampJson(outlet.deployed)},
                    {"closed", std::move(closed)}};
}

bj::object HouseholdJson(std::string_view id, const projections::HouseholdEntity& household) {
  return bj::object{{"household_id", id},
                    {"region", household.region},
                    {"members", household.members},
                    {"status", HouseholdStatusName(household.status)},
                    {"registered", StampJson(household.registered)}};
}

}  // namespace fupin::api
