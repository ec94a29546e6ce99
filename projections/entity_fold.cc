// EntityProjection::Apply: each registry event replaces or amends one
// entity; trading and oversight events (sales, reports, flags) leave the
// catalog alone.
#include <type_traits>
#include <utility>
#include <variant>

#include "projections/entity_projection.h"

namespace fupin::projections {
namespace {

class Folder {
 public:
  Folder(EntityCatalog& catalog, const DecodedRecord& record)
      : c_(catalog), at_{record.seq, record.occurred_at_ms} {}

  void operator()(const KeyRegistered& e) {
    KeyEntity& key = c_.keys[e.key_id];
    key.public_key = e.public_key;
    key.roles = e.roles;
    key.regions = e.regions;
    key.not_before_ms = e.not_before_ms;
    key.not_after_ms = e.not_after_ms;
    key.supplier_id = e.supplier_id.value_or("");
    key.registered = at_;
  }
  void operator()(const KeyRevoked& e) {
    KeyEntity& key = c_.keys[e.key_id];
    key.revoked = true;
    key.revocation_reason = e.reason;
    key.revoked_at = at_;
  }
  void operator()(const RegionDefined& e) {
    c_.regions[e.code] = RegionEntity{e.name, e.level, e.parent, e.poverty_county, at_};
  }
  void operator()(const CampaignDefined& e) {
    c_.campaigns[e.campaign_id] = CampaignEntity{e.name, e.starts_on, e.ends_on, e.targets, at_};
  }
  void operator()(const SupplierRegistered& e) {
    c_.suppliers[e.supplier_id] = SupplierEntity{e.name, e.uscc, e.region, at_};
  }
  void operator()(const HouseholdRegistered& e) {
    c_.households[e.household_id] = HouseholdEntity{e.region, e.members, e.status, at_};
  }
  void operator()(const ProductCertified& e) {
    // A renewal replaces the certificate, validity and claim, and lifts a
    // revocation; the price history and earlier certifications stay.
    ProductEntity& p = c_.products[e.product_id];
    p.name = e.name;
    p.category = e.category;
    p.spec = e.spec;
    p.unit = e.unit;
    p.supplier_id = e.supplier_id;
    p.origin_region = e.origin_region;
    p.certificate_no = e.certificate_no;
    p.valid_from = e.valid_from;
    p.valid_to = e.valid_to;
    p.annual_value_fen = e.annual_value_fen;
    p.mechanisms = e.benefit.mechanisms;
    p.households = e.benefit.households;
    p.people_claimed = e.benefit.people_claimed;
    p.revoked = false;
    p.revocation_reason.clear();
    p.revoked_at.reset();
    p.certifications.push_back(at_);
    p.prices.push_back({at_, e.reference_price_fen, "product.certified"});
  }
  void operator()(const ProductRepriced& e) {
    auto it = c_.products.find(e.product_id);
    if (it != c_.products.end())
      it->second.prices.push_back({at_, e.reference_price_fen, e.source});
  }
  void operator()(const ProductRevoked& e) {
    auto it = c_.products.find(e.product_id);
    if (it == c_.products.end()) return;
    it->second.revoked = true;
    it->second.revocation_reason = e.reason;
    it->second.revoked_at = at_;
  }
  void operator()(const OutletDeployed& e) {
    OutletEntity outlet;
    outlet.kind = e.kind;
    outlet.name = e.name;
    outlet.region = e.region;
    outlet.venue = e.venue.value_or("");
    outlet.platform = e.platform.value_or("");
    outlet.device_id = e.device_id.value_or("");
    outlet.deployed = at_;
    c_.outlets[e.outlet_id] = std::move(outlet);
  }
  void operator()(const OutletClosed& e) {
    auto it = c_.outlets.find(e.outlet_id);
    if (it == c_.outlets.end()) return;
    it->second.closed = true;
    it->second.close_reason = e.reason;
    it->second.closed_at = at_;
  }
  template <typename Other>
  void operator()(const Other&) {}

 private:
  EntityCatalog& c_;
  Stamp at_;
};

}  // namespace

void EntityProjection::Apply(const DecodedRecord& record) {
  catalog_.position = record.seq + 1;
  std::visit(Folder(catalog_, record), record.body);
}

}  // namespace fupin::projections
