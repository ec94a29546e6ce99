// Bodies of the certification types: supplier.registered,
// household.registered, product.* (the USCC check character is uscc.h).
#include <algorithm>
#include <array>

#include "ledger/event_types.h"
#include "ledger/uscc.h"
#include "ledger/validation_internal.h"

namespace fupin {

using internal::FieldPath;
using internal::FieldReader;
using internal::InvalidField;

Result<SupplierRegistered> ParseSupplierRegistered(const boost::json::object& body) {
  return internal::ParseBody<SupplierRegistered>(body, [](FieldReader& r, SupplierRegistered& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("supplier_id", e.supplier_id));
    FUPIN_RETURN_IF_ERROR(r.Name("name", e.name));
    FUPIN_ASSIGN_OR_RETURN(const boost::json::value* uscc, r.Require("uscc"));
    std::string_view text;
    const FieldPath uscc_at = r.path().Member("uscc");
    FUPIN_RETURN_IF_ERROR(internal::ReadString(*uscc, uscc_at, text));
    if (!IsValidUscc(text)) {
      return Status(ErrorCode::kInvalidUscc, uscc_at.ToString() + ": \"" + std::string(text) +
                                                 "\" is not a valid unified social credit code "
                                                 "(18 characters, GB 32100-2015 check character)");
    }
    e.uscc.assign(text);
    return r.RegionCode("region", e.region);
  });
}

Result<HouseholdRegistered> ParseHouseholdRegistered(const boost::json::object& body) {
  return internal::ParseBody<HouseholdRegistered>(body, [](FieldReader& r, HouseholdRegistered& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("household_id", e.household_id));
    FUPIN_RETURN_IF_ERROR(r.RegionCode("region", e.region));
    FUPIN_RETURN_IF_ERROR(r.Integer("members", 1, e.members));
    if (e.members > kMaxHouseholdMembers) {
      return InvalidField(r.path().Member("members"), "must be between 1 and 20");
    }
    return r.Enum("status", internal::kHouseholdStatuses, e.status);
  });
}

namespace {

Status ReadBenefitClaim(FieldReader& r, BenefitClaim& claim) {
  const boost::json::object* object = nullptr;
  FUPIN_RETURN_IF_ERROR(r.Object("benefit", object));
  const FieldPath at = r.path().Member("benefit");
  FieldReader benefit(*object, at);

  const boost::json::array* mechanisms = nullptr;
  FUPIN_RETURN_IF_ERROR(benefit.Array("mechanisms", mechanisms));
  const FieldPath mechanisms_at = at.Member("mechanisms");
  if (mechanisms->empty()) return InvalidField(mechanisms_at, "must not be empty");
  for (std::size_t i = 0; i < mechanisms->size(); ++i) {
    BenefitMechanism m{};
    FUPIN_RETURN_IF_ERROR(internal::ReadEnum<BenefitMechanism>(
        (*mechanisms)[i], mechanisms_at.Index(i), internal::kBenefitMechanisms, m));
    if (std::find(claim.mechanisms.begin(), claim.mechanisms.end(), m) != claim.mechanisms.end()) {
      return InvalidField(mechanisms_at.Index(i), "duplicate mechanism");
    }
    claim.mechanisms.push_back(m);
  }

  // Household ids are recorded as given, not looked up: an unknown
  // household is what rule FP-06 must flag (SPEC §2.5).
  const boost::json::array* households = nullptr;
  FUPIN_RETURN_IF_ERROR(benefit.Array("households", households));
  const FieldPath households_at = at.Member("households");
  claim.households.reserve(households->size());
  for (std::size_t i = 0; i < households->size(); ++i) {
    std::string id;
    FUPIN_RETURN_IF_ERROR(internal::ReadId((*households)[i], households_at.Index(i), id));
    claim.households.push_back(std::move(id));
  }
  std::vector<std::string_view> sorted(claim.households.begin(), claim.households.end());
  std::sort(sorted.begin(), sorted.end());
  if (auto dup = std::adjacent_find(sorted.begin(), sorted.end()); dup != sorted.end()) {
    return InvalidField(households_at, "duplicate household \"" + std::string(*dup) + "\"");
  }

  FUPIN_RETURN_IF_ERROR(benefit.Integer("people_claimed", 0, claim.people_claimed));
  return benefit.Finish();
}

}  // namespace

Result<ProductCertified> ParseProductCertified(const boost::json::object& body) {
  return internal::ParseBody<ProductCertified>(body, [](FieldReader& r, ProductCertified& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("product_id", e.product_id));
    FUPIN_RETURN_IF_ERROR(r.Name("name", e.name));
    FUPIN_RETURN_IF_ERROR(r.Name("category", e.category));
    FUPIN_RETURN_IF_ERROR(r.Name("spec", e.spec));
    FUPIN_RETURN_IF_ERROR(r.Name("unit", e.unit));
    FUPIN_RETURN_IF_ERROR(r.Id("supplier_id", e.supplier_id));
    FUPIN_RETURN_IF_ERROR(r.RegionCode("origin_region", e.origin_region));
    FUPIN_RETURN_IF_ERROR(r.Integer("reference_price_fen", 1, e.reference_price_fen));
    FUPIN_RETURN_IF_ERROR(r.Name("certificate_no", e.certificate_no));
    FUPIN_RETURN_IF_ERROR(r.Date("valid_from", e.valid_from, e.valid_from_day));
    FUPIN_RETURN_IF_ERROR(r.Date("valid_to", e.valid_to, e.valid_to_day));
    if (e.valid_from_day > e.valid_to_day) {
      return InvalidField(r.path().Member("valid_to"), "must not be before valid_from");
    }
    FUPIN_RETURN_IF_ERROR(r.Integer("annual_value_fen", 0, e.annual_value_fen));
    return ReadBenefitClaim(r, e.benefit);
  });
}

Result<ProductRepriced> ParseProductRepriced(const boost::json::object& body) {
  return internal::ParseBody<ProductRepriced>(body, [](FieldReader& r, ProductRepriced& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("product_id", e.product_id));
    FUPIN_RETURN_IF_ERROR(r.Integer("reference_price_fen", 1, e.reference_price_fen));
    return r.Name("source", e.source);
  });
}

Result<ProductRevoked> ParseProductRevoked(const boost::json::object& body) {
  return internal::ParseBody<ProductRevoked>(body, [](FieldReader& r, ProductRevoked& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("product_id", e.product_id));
    return r.Note("reason", e.reason);
  });
}

}  // namespace fupin
