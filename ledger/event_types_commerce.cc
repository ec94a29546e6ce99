// Bodies of the trading types: outlet.*, promotion.held, sale.*,
// benefit.paid.
#include "ledger/event_types.h"
#include "ledger/validation_internal.h"

namespace fupin {

using internal::FieldPath;
using internal::FieldReader;
using internal::InvalidField;

Result<OutletDeployed> ParseOutletDeployed(const boost::json::object& body) {
  return internal::ParseBody<OutletDeployed>(body, [](FieldReader& r, OutletDeployed& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("outlet_id", e.outlet_id));
    FUPIN_RETURN_IF_ERROR(r.Enum("kind", internal::kOutletKinds, e.kind));
    FUPIN_RETURN_IF_ERROR(r.Name("name", e.name));
    FUPIN_RETURN_IF_ERROR(r.RegionCode("region", e.region));
    FUPIN_RETURN_IF_ERROR(r.OptionalName("venue", e.venue));
    FUPIN_RETURN_IF_ERROR(r.OptionalName("platform", e.platform));
    // Decision: device_id is free text, not an id: it is never a stream or
    // a reference, and hardware ids (MAC addresses) contain ':'.
    return r.OptionalName("device_id", e.device_id);
  });
}

Result<OutletClosed> ParseOutletClosed(const boost::json::object& body) {
  return internal::ParseBody<OutletClosed>(body, [](FieldReader& r, OutletClosed& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("outlet_id", e.outlet_id));
    return r.Note("reason", e.reason);
  });
}

Result<PromotionHeld> ParsePromotionHeld(const boost::json::object& body) {
  return internal::ParseBody<PromotionHeld>(body, [](FieldReader& r, PromotionHeld& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("promotion_id", e.promotion_id));
    FUPIN_RETURN_IF_ERROR(r.Name("name", e.name));
    FUPIN_RETURN_IF_ERROR(r.RegionCode("region", e.region));
    return r.Date("held_on", e.held_on, e.held_on_day);
  });
}

namespace {

// "<org id>/<person id>".
bool IsOrgPersonRef(std::string_view ref) {
  const std::size_t slash = ref.find('/');
  return slash != std::string_view::npos && IsValidEntityId(ref.substr(0, slash)) &&
         IsValidEntityId(ref.substr(slash + 1));
}

// Decision: buyer_ref is an opaque pseudonym, either one id or
// "<org id>/<person id>" (SPEC §4). For budget units it is required and must
// have the org form, since FP-19 (forced purchases, 摊派) groups their
// purchases by organization; a budget-unit sale without it would be
// invisible to that rule.
Status ReadBuyerRef(FieldReader& r, BuyerKind kind, std::optional<std::string>& out) {
  const FieldPath at = r.path().Member("buyer_ref");
  const boost::json::value* v = r.Find("buyer_ref");
  if (v == nullptr) {
    if (kind == BuyerKind::kBudgetUnit) {
      return InvalidField(at, "required for a budget_unit buyer, as \"<org>/<person>\"");
    }
    return Status::Ok();
  }
  std::string_view ref;
  FUPIN_RETURN_IF_ERROR(internal::ReadString(*v, at, ref));
  if (kind == BuyerKind::kBudgetUnit) {
    if (!IsOrgPersonRef(ref)) {
      return InvalidField(at, "must be \"<org>/<person>\" (two ids) for a budget_unit buyer");
    }
  } else if (!IsValidEntityId(ref) && !IsOrgPersonRef(ref)) {
    return InvalidField(at, "must be an id or \"<org>/<person>\"");
  }
  out.emplace(ref);
  return Status::Ok();
}

}  // namespace

Result<SaleRecorded> ParseSaleRecorded(const boost::json::object& body) {
  return internal::ParseBody<SaleRecorded>(body, [](FieldReader& r, SaleRecorded& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("sale_id", e.sale_id));
    FUPIN_RETURN_IF_ERROR(r.Id("product_id", e.product_id));
    FUPIN_RETURN_IF_ERROR(r.Id("outlet_id", e.outlet_id));
    FUPIN_RETURN_IF_ERROR(r.Integer("quantity", 1, e.quantity));
    FUPIN_RETURN_IF_ERROR(r.Integer("unit_price_fen", 1, e.unit_price_fen));
    FUPIN_RETURN_IF_ERROR(r.Integer("amount_fen", 1, e.amount_fen));
    FUPIN_RETURN_IF_ERROR(r.Enum("buyer_kind", internal::kBuyerKinds, e.buyer_kind));
    FUPIN_RETURN_IF_ERROR(ReadBuyerRef(r, e.buyer_kind, e.buyer_ref));
    // Both factors are below 2^53, so the product may overflow int64: an
    // overflowing product can never equal a valid amount.
    int64_t product = 0;
    if (__builtin_mul_overflow(e.quantity, e.unit_price_fen, &product) || product != e.amount_fen) {
      return Status(ErrorCode::kAmountMismatch,
                    "body.amount_fen: " + std::to_string(e.amount_fen) + " is not quantity " +
                        std::to_string(e.quantity) + " x unit_price_fen " +
                        std::to_string(e.unit_price_fen));
    }
    return Status::Ok();
  });
}

Result<SaleRefunded> ParseSaleRefunded(const boost::json::object& body) {
  return internal::ParseBody<SaleRefunded>(body, [](FieldReader& r, SaleRefunded& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("sale_id", e.sale_id));
    FUPIN_RETURN_IF_ERROR(r.Id("outlet_id", e.outlet_id));
    FUPIN_RETURN_IF_ERROR(r.Integer("amount_fen", 1, e.amount_fen));
    return r.Note("reason", e.reason);
  });
}

namespace {

Status ReadPayment(const boost::json::value& v, const FieldPath& at, BenefitPayment& p) {
  const boost::json::object* object = v.if_object();
  if (object == nullptr) return InvalidField(at, "must be an object");
  FieldReader r(*object, at);
  // Household ids are not looked up: FP-06 flags unknown ones (SPEC §2.5).
  FUPIN_RETURN_IF_ERROR(r.Id("household_id", p.household_id));
  FUPIN_RETURN_IF_ERROR(r.Enum("mechanism", internal::kBenefitMechanisms, p.mechanism));
  FUPIN_RETURN_IF_ERROR(r.Integer("amount_fen", 1, p.amount_fen));
  return r.Finish();
}

}  // namespace

Result<BenefitPaid> ParseBenefitPaid(const boost::json::object& body) {
  return internal::ParseBody<BenefitPaid>(body, [](FieldReader& r, BenefitPaid& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("supplier_id", e.supplier_id));
    FUPIN_RETURN_IF_ERROR(r.Date("period_from", e.period_from, e.period_from_day));
    FUPIN_RETURN_IF_ERROR(r.Date("period_to", e.period_to, e.period_to_day));
    if (e.period_from_day > e.period_to_day) {
      return InvalidField(r.path().Member("period_to"), "must not be before period_from");
    }
    const boost::json::array* payments = nullptr;
    FUPIN_RETURN_IF_ERROR(r.Array("payments", payments));
    const FieldPath at = r.path().Member("payments");
    if (payments->empty()) return InvalidField(at, "must not be empty");
    e.payments.resize(payments->size());
    for (std::size_t i = 0; i < payments->size(); ++i) {
      FUPIN_RETURN_IF_ERROR(ReadPayment((*payments)[i], at.Index(i), e.payments[i]));
    }
    return Status::Ok();
  });
}

}  // namespace fupin
