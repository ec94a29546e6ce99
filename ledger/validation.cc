// ValidateEvent and DeriveStream: the per-type table of roles and streams
// (SPEC §2.4, §2.5), the signer checks, and the final scope checks. Body
// schemas live in event_types_*.cc, state checks in validation_*.cc.
#include "ledger/validation.h"

#include <algorithm>
#include <array>

#include "ledger/event_types.h"
#include "ledger/validation_internal.h"

namespace fupin {
namespace {

struct TypeRule {
  EventType type;
  // Decision: exactly the one role of the SPEC §2.4 table; no role
  // (not even admin or system) implies another, so each append is
  // attributable to the function that made it.
  Role role;
  // The stream is "<stream_kind>:<body[stream_id_field]>"; report streams
  // append ":<body.region>" (one stream per campaign and region).
  std::string_view stream_kind;
  std::string_view stream_id_field;
};

// In EventType order.
inline constexpr std::array<TypeRule, kEventTypeCount> kTypeRules = {{
    {EventType::kKeyRegistered, kRoleAdmin, "key", "key_id"},
    {EventType::kKeyRevoked, kRoleAdmin, "key", "key_id"},
    {EventType::kRegionDefined, kRoleAdmin, "region", "code"},
    {EventType::kCampaignDefined, kRoleAdmin, "campaign", "campaign_id"},
    {EventType::kSupplierRegistered, kRoleCertifier, "supplier", "supplier_id"},
    {EventType::kHouseholdRegistered, kRoleCertifier, "household", "household_id"},
    {EventType::kProductCertified, kRoleCertifier, "product", "product_id"},
    {EventType::kProductRepriced, kRoleCertifier, "product", "product_id"},
    {EventType::kProductRevoked, kRoleCertifier, "product", "product_id"},
    {EventType::kOutletDeployed, kRoleOperator, "outlet", "outlet_id"},
    {EventType::kOutletClosed, kRoleOperator, "outlet", "outlet_id"},
    {EventType::kPromotionHeld, kRoleOperator, "promotion", "promotion_id"},
    {EventType::kSaleRecorded, kRoleOperator, "outlet", "outlet_id"},
    {EventType::kSaleRefunded, kRoleOperator, "outlet", "outlet_id"},
    {EventType::kBenefitPaid, kRoleSupplier, "supplier", "supplier_id"},
    {EventType::kReportSubmitted, kRoleReporter, "report", "campaign_id"},
    {EventType::kFlagRaised, kRoleSystem, "flag", "flag_id"},
    {EventType::kFlagResolved, kRoleSupervisor, "flag", "flag_id"},
}};

constexpr bool RulesInTypeOrder() {
  for (std::size_t i = 0; i < kTypeRules.size(); ++i) {
    if (static_cast<std::size_t>(kTypeRules[i].type) != i) return false;
  }
  return true;
}
static_assert(RulesInTypeOrder());

Result<const TypeRule*> RuleOf(const Envelope& envelope) {
  std::optional<EventType> type = ParseEventType(envelope.type);
  if (!type || envelope.v != kCatalogVersion) {
    return Status(ErrorCode::kUnknownEventType,
                  "unknown event type " + envelope.type + " v" + std::to_string(envelope.v));
  }
  return &kTypeRules[static_cast<std::size_t>(*type)];
}

std::string RoleList(uint32_t roles) {
  std::string out;
  for (uint32_t bit = 1; bit <= kRoleSystem; bit <<= 1) {
    if ((roles & bit) == 0) continue;
    if (!out.empty()) out += ',';
    out += RoleName(static_cast<Role>(bit));
  }
  return out.empty() ? "none" : out;
}

std::string ScopeList(const std::vector<std::string>& regions) {
  std::string out;
  for (const std::string& region : regions) {
    if (!out.empty()) out += ',';
    out += region;
  }
  return out;
}

// Validity bounds are inclusive: a key is valid from its not_before
// instant through its not_after instant.
Status CheckSigner(const Envelope& envelope, const KeyState& signer, int64_t recorded_at_ms,
                   const TypeRule& rule) {
  const std::string key = "key \"" + envelope.key_id + "\"";
  if (signer.revoked) return Status(ErrorCode::kKeyRevoked, key + " is revoked");
  if ((signer.not_before_ms && recorded_at_ms < *signer.not_before_ms) ||
      (signer.not_after_ms && recorded_at_ms > *signer.not_after_ms)) {
    return Status(ErrorCode::kKeyNotValid,
                  key + " is not valid at " + std::to_string(recorded_at_ms) + " ms");
  }
  if ((signer.roles & rule.role) == 0) {
    return Status(ErrorCode::kRoleNotAllowed,
                  key + " (roles " + RoleList(signer.roles) + ") may not append " + envelope.type +
                      ", which needs role " + std::string(RoleName(rule.role)));
  }
  return Status::Ok();
}

Result<std::string_view> StreamPart(const boost::json::object& body, std::string_view field) {
  const boost::json::value* v = body.if_contains(field);
  const boost::json::string* s = v != nullptr ? v->if_string() : nullptr;
  if (s == nullptr) {
    return Status(ErrorCode::kInvalidField,
                  "body." + std::string(field) + ": required for the stream");
  }
  return std::string_view(s->data(), s->size());
}

Result<std::string> StreamOf(const TypeRule& rule, const boost::json::object& body) {
  FUPIN_ASSIGN_OR_RETURN(std::string_view id, StreamPart(body, rule.stream_id_field));
  std::string stream;
  stream.reserve(rule.stream_kind.size() + 1 + id.size() + 8);
  stream += rule.stream_kind;
  stream += ':';
  stream += id;
  if (rule.type == EventType::kReportSubmitted) {
    FUPIN_ASSIGN_OR_RETURN(std::string_view region, StreamPart(body, "region"));
    stream += ':';
    stream += region;
  }
  return stream;
}

}  // namespace

Result<std::string> DeriveStream(const Envelope& envelope) {
  FUPIN_ASSIGN_OR_RETURN(const TypeRule* rule, RuleOf(envelope));
  return StreamOf(*rule, envelope.body);
}

Result<ValidatedEvent> ValidateEvent(const Envelope& envelope, const KeyState& signer,
                                     int64_t recorded_at_ms, const LedgerView& view) {
  FUPIN_ASSIGN_OR_RETURN(const TypeRule* rule, RuleOf(envelope));
  FUPIN_RETURN_IF_ERROR(CheckSigner(envelope, signer, recorded_at_ms, *rule));

  FUPIN_ASSIGN_OR_RETURN(EventBody body, ParseEventBody(rule->type, envelope.body));
  internal::StateCheckOutcome outcome;
  FUPIN_RETURN_IF_ERROR(std::visit(
      [&](const auto& typed) { return internal::CheckState(typed, view, outcome); }, body));

  for (const std::string& region : outcome.scope_regions) {
    if (!ScopeCovers(signer.regions, region)) {
      return Status(ErrorCode::kOutOfScope, "region " + region + " is outside the scope of key \"" +
                                                envelope.key_id + "\" (" +
                                                ScopeList(signer.regions) + ")");
    }
  }
  // SPEC §2.4: a supplier key pays only for its own supplier.
  if (outcome.paying_supplier && signer.supplier_id != *outcome.paying_supplier) {
    return Status(ErrorCode::kNotOwnSupplier, "key \"" + envelope.key_id +
                                                  "\" pays for supplier \"" + signer.supplier_id +
                                                  "\", not \"" + *outcome.paying_supplier + "\"");
  }

  ValidatedEvent validated;
  FUPIN_ASSIGN_OR_RETURN(std::string stream, StreamOf(*rule, envelope.body));
  validated.stream = std::move(stream);
  internal::AppendReferences(body, validated.references);
  validated.references.push_back(validated.stream);
  std::sort(validated.references.begin(), validated.references.end());
  validated.references.erase(std::unique(validated.references.begin(), validated.references.end()),
                             validated.references.end());
  validated.writes = std::move(outcome.writes);
  validated.body = std::move(body);
  return validated;
}

}  // namespace fupin
