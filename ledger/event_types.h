// Typed bodies of the 18 event types of the v1 catalog (SPEC §2.5).
//
// Each Parse function checks everything about a body that needs no ledger
// state: required and unknown fields, JSON types, formats, enumerations,
// ranges, date order, arithmetic (amount_fen) and check characters (USCC).
// Checks against state (existence, uniqueness, ownership, scope) are
// validation.h's. Projections and rules read bodies of already validated
// records through these functions instead of walking JSON themselves.
//
// Errors: kInvalidField with the field's path ("body.payments[2].amount_fen:
// must be a positive integer"), kAmountMismatch (sale.recorded),
// kInvalidUscc (supplier.registered). Pure functions, thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ledger/entity_state.h"
#include "ledger/status.h"
#include "ledger/uscc.h"

namespace fupin {

// --- The catalog -----------------------------------------------------------

// In catalog order; EventBody's alternatives follow the same order.
enum class EventType : uint8_t {
  kKeyRegistered,
  kKeyRevoked,
  kRegionDefined,
  kCampaignDefined,
  kSupplierRegistered,
  kHouseholdRegistered,
  kProductCertified,
  kProductRepriced,
  kProductRevoked,
  kOutletDeployed,
  kOutletClosed,
  kPromotionHeld,
  kSaleRecorded,
  kSaleRefunded,
  kBenefitPaid,
  kReportSubmitted,
  kFlagRaised,
  kFlagResolved,
};
inline constexpr std::size_t kEventTypeCount = 18;
// Every type of the catalog is at schema version 1.
inline constexpr int64_t kCatalogVersion = 1;

// "sale.recorded" -> kSaleRecorded; nullopt for names outside the catalog.
std::optional<EventType> ParseEventType(std::string_view name);
std::string_view EventTypeName(EventType type);

// --- Field limits (shared with validation messages) -------------------------

// Ids become part of stream names ("outlet:ID", "report:CAMP:REGION") and
// reference-index keys, so they are short and never contain ':' (which
// would make "kind:id" ambiguous): 1..64 characters of [A-Za-z0-9._-].
inline constexpr std::size_t kMaxIdLength = 64;
// Names and short free text (category, spec, unit, venue, platform,
// certificate_no, source, device_id): 1..200 Unicode code points, counted
// as characters rather than bytes so a Chinese name gets the same room as
// a Latin one (200 汉字 are 600 UTF-8 bytes).
inline constexpr std::size_t kMaxNameChars = 200;
// Explanations (reason, note, summary) may carry the numbers that fired a
// rule or a supervisor's justification, so they get more room than names.
inline constexpr std::size_t kMaxNoteChars = 1000;
// A household of more than 20 members is a data-entry error, not a family.
inline constexpr int64_t kMaxHouseholdMembers = 20;
// A key's scope lists regions it acts for; the province has 138, so 256
// leaves room while bounding what the key registry stores per key.
inline constexpr std::size_t kMaxKeyRegions = 256;

// True for a valid entity id (see kMaxIdLength).
bool IsValidEntityId(std::string_view id);
// True for a 6-digit GB/T 2260 code (format only, not whether defined).
bool IsRegionCodeFormat(std::string_view code);

// --- Enumerations
// -------------------------------------------------------------

enum class HouseholdStatus : uint8_t { kPoor, kExited };
enum class BenefitMechanism : uint8_t {
  kEmployment,     // 就业
  kOrderPurchase,  // 订单收购
  kLandLease,      // 土地流转
  kDividend,       // 入股分红
  kOther,
};
enum class OutletKind : uint8_t {
  kCounter,
  kPavilion,
  kZoneOnline,
  kZoneOffline,
  kLivestreamBase,
};
enum class BuyerKind : uint8_t { kBudgetUnit, kEnterprise, kIndividual };
enum class FlagSeverity : uint8_t { kInfo, kWarning, kAlert };
enum class FlagResolution : uint8_t { kConfirmed, kDismissed };

// Wire names ("order_purchase", "zone_online", "budget_unit", ...).
std::string_view HouseholdStatusName(HouseholdStatus value);
std::string_view BenefitMechanismName(BenefitMechanism value);
std::string_view OutletKindName(OutletKind value);
std::string_view BuyerKindName(BuyerKind value);
std::string_view FlagSeverityName(FlagSeverity value);
std::string_view FlagResolutionName(FlagResolution value);
std::string_view RegionLevelName(RegionLevel value);

// --- Bodies -----------------------------------------------------------------
// Dates are kept as sent ("2020-09-01") and as days since 1970-01-01.

struct KeyRegistered {
  std::string key_id;
  KeyAlg alg = KeyAlg::kEd25519;
  std::string public_key;            // raw: 32 bytes (Ed25519) or 65 (SM2); the body carries base64
  uint32_t roles = 0;                // bit set of Role, never kRoleSystem
  std::vector<std::string> regions;  // "000000" or region codes
  std::optional<int64_t> not_before_ms;
  std::optional<int64_t> not_after_ms;
  // Extension to SPEC §2.5: the supplier a `supplier` key pays for;
  // present iff roles include supplier.
  std::optional<std::string> supplier_id;
};

struct KeyRevoked {
  std::string key_id;
  std::string reason;
};

struct RegionDefined {
  std::string code;
  std::string name;
  RegionLevel level = RegionLevel::kCounty;
  std::string parent;  // empty for the province
  bool poverty_county = false;
};

struct CampaignTargets {
  int64_t sales_fen = 0;
  int64_t counters_total = 0;
  // (region code, counters), sorted by code.
  std::vector<std::pair<std::string, int64_t>> counters_by_region;
  int64_t counters_min_per_prefecture = 0;
  int64_t pavilions_min_per_region = 0;
  int64_t offline_zones_min_per_prefecture = 0;
};

struct CampaignDefined {
  std::string campaign_id;
  std::string name;
  std::string starts_on;
  std::string ends_on;
  int32_t starts_on_day = 0;
  int32_t ends_on_day = 0;
  CampaignTargets targets;
};

struct SupplierRegistered {
  std::string supplier_id;
  std::string name;
  std::string uscc;
  std::string region;
};

struct HouseholdRegistered {
  std::string household_id;  // a pseudonym, never a raw ID number
  std::string region;
  int64_t members = 0;
  HouseholdStatus status = HouseholdStatus::kPoor;
};

struct BenefitClaim {
  std::vector<BenefitMechanism> mechanisms;  // non-empty, unique
  std::vector<std::string> households;       // unique; existence not checked
  int64_t people_claimed = 0;
};

struct ProductCertified {
  std::string product_id;
  std::string name;
  std::string category;
  std::string spec;
  std::string unit;
  std::string supplier_id;
  std::string origin_region;
  int64_t reference_price_fen = 0;
  std::string certificate_no;
  std::string valid_from;
  std::string valid_to;
  int32_t valid_from_day = 0;
  int32_t valid_to_day = 0;
  int64_t annual_value_fen = 0;
  BenefitClaim benefit;
};

struct ProductRepriced {
  std::string product_id;
  int64_t reference_price_fen = 0;
  std::string source;
};

struct ProductRevoked {
  std::string product_id;
  std::string reason;
};

struct OutletDeployed {
  std::string outlet_id;
  OutletKind kind = OutletKind::kCounter;
  std::string name;
  std::string region;
  std::optional<std::string> venue;
  std::optional<std::string> platform;
  std::optional<std::string> device_id;
};

struct OutletClosed {
  std::string outlet_id;
  std::string reason;
};

struct PromotionHeld {
  std::string promotion_id;
  std::string name;
  std::string region;
  std::string held_on;
  int32_t held_on_day = 0;
};

struct SaleRecorded {
  std::string sale_id;
  std::string product_id;
  std::string outlet_id;
  int64_t quantity = 0;
  int64_t unit_price_fen = 0;
  int64_t amount_fen = 0;  // == quantity * unit_price_fen
  BuyerKind buyer_kind = BuyerKind::kIndividual;
  // An id, or "<org id>/<person id>"; the latter form is required for
  // budget units (FP-19 groups their purchases by org).
  std::optional<std::string> buyer_ref;
};

struct SaleRefunded {
  std::string sale_id;
  std::string outlet_id;
  int64_t amount_fen = 0;
  std::string reason;
};

struct BenefitPayment {
  std::string household_id;  // existence not checked (FP-06 flags it)
  BenefitMechanism mechanism = BenefitMechanism::kOther;
  int64_t amount_fen = 0;
};

struct BenefitPaid {
  std::string supplier_id;
  std::string period_from;
  std::string period_to;
  int32_t period_from_day = 0;
  int32_t period_to_day = 0;
  std::vector<BenefitPayment> payments;  // non-empty
};

// One line of the 附件统计表, same names as GET /v1/stats rows.
struct ReportRow {
  std::string region;
  int64_t online_zones = 0;
  int64_t offline_zones = 0;
  int64_t pavilions = 0;
  int64_t counters = 0;
  int64_t livestream_bases = 0;
  int64_t promotions = 0;
  int64_t sales_fen = 0;
  int64_t poor_people_covered = 0;
};

struct ReportSubmitted {
  std::string campaign_id;
  std::string region;
  std::vector<ReportRow> rows;  // non-empty, one per region
};

struct FlagRaised {
  std::string flag_id;
  std::string rule;  // "FP-" and two digits
  FlagSeverity severity = FlagSeverity::kInfo;
  std::string subject;  // "kind:id"
  std::string region;
  std::vector<int64_t> evidence;  // seqs
  std::string summary;
  boost::json::object details;
};

struct FlagResolved {
  std::string flag_id;
  FlagResolution resolution = FlagResolution::kConfirmed;
  std::string note;
};

// Alternatives in EventType order: index() == static_cast<size_t>(type).
using EventBody =
    std::variant<KeyRegistered, KeyRevoked, RegionDefined, CampaignDefined, SupplierRegistered,
                 HouseholdRegistered, ProductCertified, ProductRepriced, ProductRevoked,
                 OutletDeployed, OutletClosed, PromotionHeld, SaleRecorded, SaleRefunded,
                 BenefitPaid, ReportSubmitted, FlagRaised, FlagResolved>;

inline EventType TypeOf(const EventBody& body) { return static_cast<EventType>(body.index()); }

Result<KeyRegistered> ParseKeyRegistered(const boost::json::object& body);
Result<KeyRevoked> ParseKeyRevoked(const boost::json::object& body);
Result<RegionDefined> ParseRegionDefined(const boost::json::object& body);
Result<CampaignDefined> ParseCampaignDefined(const boost::json::object& body);
Result<SupplierRegistered> ParseSupplierRegistered(const boost::json::object& body);
Result<HouseholdRegistered> ParseHouseholdRegistered(const boost::json::object& body);
Result<ProductCertified> ParseProductCertified(const boost::json::object& body);
Result<ProductRepriced> ParseProductRepriced(const boost::json::object& body);
Result<ProductRevoked> ParseProductRevoked(const boost::json::object& body);
Result<OutletDeployed> ParseOutletDeployed(const boost::json::object& body);
Result<OutletClosed> ParseOutletClosed(const boost::json::object& body);
Result<PromotionHeld> ParsePromotionHeld(const boost::json::object& body);
Result<SaleRecorded> ParseSaleRecorded(const boost::json::object& body);
Result<SaleRefunded> ParseSaleRefunded(const boost::json::object& body);
Result<BenefitPaid> ParseBenefitPaid(const boost::json::object& body);
Result<ReportSubmitted> ParseReportSubmitted(const boost::json::object& body);
Result<FlagRaised> ParseFlagRaised(const boost::json::object& body);
Result<FlagResolved> ParseFlagResolved(const boost::json::object& body);

// Dispatches to the Parse function of `type`.
Result<EventBody> ParseEventBody(EventType type, const boost::json::object& body);

}  // namespace fupin
