// The catalog's type names, enumerations and the body dispatch.
#include "ledger/event_types.h"

#include <array>

#include "ledger/validation_internal.h"

namespace fupin {
namespace {

// In EventType order.
using EventTypeNames = std::array<std::string_view, kEventTypeCount>;
inline constexpr EventTypeNames kEventTypeNames = {
    "key.registered",      "key.revoked",          "region.defined",    "campaign.defined",
    "supplier.registered", "household.registered", "product.certified", "product.repriced",
    "product.revoked",     "outlet.deployed",      "outlet.closed",     "promotion.held",
    "sale.recorded",       "sale.refunded",        "benefit.paid",      "report.submitted",
    "flag.raised",         "flag.resolved",
};
static_assert(std::variant_size_v<EventBody> == kEventTypeCount);

template <typename E, std::size_t N>
std::string_view NameIn(const internal::EnumTable<E, N>& table, E value) {
  for (const auto& [name, known] : table) {
    if (known == value) return name;
  }
  return "unknown";
}

}  // namespace

std::optional<EventType> ParseEventType(std::string_view name) {
  for (std::size_t i = 0; i < kEventTypeNames.size(); ++i) {
    if (kEventTypeNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

std::string_view EventTypeName(EventType type) {
  const auto index = static_cast<std::size_t>(type);
  return index < kEventTypeNames.size() ? kEventTypeNames[index] : "unknown";
}

std::string_view HouseholdStatusName(HouseholdStatus value) {
  return NameIn(internal::kHouseholdStatuses, value);
}
std::string_view BenefitMechanismName(BenefitMechanism value) {
  return NameIn(internal::kBenefitMechanisms, value);
}
std::string_view OutletKindName(OutletKind value) { return NameIn(internal::kOutletKinds, value); }
std::string_view BuyerKindName(BuyerKind value) { return NameIn(internal::kBuyerKinds, value); }
std::string_view FlagSeverityName(FlagSeverity value) {
  return NameIn(internal::kFlagSeverities, value);
}
std::string_view FlagResolutionName(FlagResolution value) {
  return NameIn(internal::kFlagResolutions, value);
}
std::string_view RegionLevelName(RegionLevel value) {
  return NameIn(internal::kRegionLevels, value);
}

namespace {

template <typename T>
Result<EventBody> Wrap(Result<T> parsed) {
  if (!parsed.ok()) return parsed.status();
  return EventBody(std::move(parsed).value());
}

}  // namespace

Result<EventBody> ParseEventBody(EventType type, const boost::json::object& body) {
  switch (type) {
    case EventType::kKeyRegistered:
      return Wrap(ParseKeyRegistered(body));
    case EventType::kKeyRevoked:
      return Wrap(ParseKeyRevoked(body));
    case EventType::kRegionDefined:
      return Wrap(ParseRegionDefined(body));
    case EventType::kCampaignDefined:
      return Wrap(ParseCampaignDefined(body));
    case EventType::kSupplierRegistered:
      return Wrap(ParseSupplierRegistered(body));
    case EventType::kHouseholdRegistered:
      return Wrap(ParseHouseholdRegistered(body));
    case EventType::kProductCertified:
      return Wrap(ParseProductCertified(body));
    case EventType::kProductRepriced:
      return Wrap(ParseProductRepriced(body));
    case EventType::kProductRevoked:
      return Wrap(ParseProductRevoked(body));
    case EventType::kOutletDeployed:
      return Wrap(ParseOutletDeployed(body));
    case EventType::kOutletClosed:
      return Wrap(ParseOutletClosed(body));
    case EventType::kPromotionHeld:
      return Wrap(ParsePromotionHeld(body));
    case EventType::kSaleRecorded:
      return Wrap(ParseSaleRecorded(body));
    case EventType::kSaleRefunded:
      return Wrap(ParseSaleRefunded(body));
    case EventType::kBenefitPaid:
      return Wrap(ParseBenefitPaid(body));
    case EventType::kReportSubmitted:
      return Wrap(ParseReportSubmitted(body));
    case EventType::kFlagRaised:
      return Wrap(ParseFlagRaised(body));
    case EventType::kFlagResolved:
      return Wrap(ParseFlagResolved(body));
  }
  return Status(ErrorCode::kInternal, "event type outside the catalog");
}

}  // namespace fupin
