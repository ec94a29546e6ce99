// Private to the event_types_*.cc and validation_*.cc files: typed readers
// of JSON fields that produce the precise messages of the catalog, and the
// per-type checks against ledger state.
#pragma once

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ledger/entity_state.h"
#include "ledger/event_types.h"
#include "ledger/status.h"

namespace fupin::internal {

// --- Field readers -----------------------------------------------------------

// Where a value sits in the event ("body.payments[2].amount_fen"). Each
// level lives on the stack of the code reading it and points to its
// parent; the text is only built when an error names the path, so valid
// events pay no string formatting.
class FieldPath {
 public:
  explicit FieldPath(std::string_view root) : name_(root) {}
  FieldPath Member(std::string_view name) const { return FieldPath(this, name, kNoIndex); }
  FieldPath Index(std::size_t index) const { return FieldPath(this, {}, index); }
  std::string ToString() const;

 private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  FieldPath(const FieldPath* parent, std::string_view name, std::size_t index)
      : parent_(parent), name_(name), index_(index) {}
  void AppendTo(std::string& out) const;

  const FieldPath* parent_ = nullptr;
  std::string_view name_;
  std::size_t index_ = kNoIndex;
};

// kInvalidField "<path>: <what>".
Status InvalidField(const FieldPath& at, std::string_view what);

// A wire name and its enumerator.
template <typename E>
using EnumNames = std::span<const std::pair<std::string_view, E>>;

// Value readers: check one JSON value and copy it out. kInvalidField with
// the path on a wrong type or value.
Status ReadId(const boost::json::value& v, const FieldPath& at, std::string& out);
// Non-empty, at most `max_chars` code points.
Status ReadText(const boost::json::value& v, const FieldPath& at, std::size_t max_chars,
                std::string& out);
Status ReadRegionCode(const boost::json::value& v, const FieldPath& at, std::string& out);
Status ReadDate(const boost::json::value& v, const FieldPath& at, std::string& text, int32_t& days);
Status ReadTimestamp(const boost::json::value& v, const FieldPath& at, int64_t& millis);
// An integer >= min (JSON numbers of events are integers by then).
Status ReadInteger(const boost::json::value& v, const FieldPath& at, int64_t min, int64_t& out);
Status ReadBool(const boost::json::value& v, const FieldPath& at, bool& out);
Status ReadString(const boost::json::value& v, const FieldPath& at, std::string_view& out);

template <typename E>
Status ReadEnum(const boost::json::value& v, const FieldPath& at,
                std::type_identity_t<EnumNames<E>> names, E& out) {
  std::string_view text;
  FUPIN_RETURN_IF_ERROR(ReadString(v, at, text));
  for (const auto& [name, value] : names) {
    if (name == text) {
      out = value;
      return Status::Ok();
    }
  }
  std::string allowed;
  for (const auto& entry : names) {
    allowed += allowed.empty() ? "" : ", ";
    allowed += entry.first;
  }
  return InvalidField(at, "must be one of " + allowed);
}

// Reads the members of one JSON object by name and, in Finish, refuses the
// members nobody asked for. Not copyable: it holds the path of its object.
class FieldReader {
 public:
  FieldReader(const boost::json::object& object, const FieldPath& at) : object_(object), at_(at) {}
  FieldReader(const FieldReader&) = delete;
  FieldReader& operator=(const FieldReader&) = delete;

  // The member, or nullptr when absent; either way `name` becomes known.
  const boost::json::value* Find(std::string_view name);
  // The member, or kInvalidField "<path>.<name>: required".
  Result<const boost::json::value*> Require(std::string_view name);

  // Required unless named Optional*. Id: IsValidEntityId; Name: text of
  // 1..kMaxNameChars; Note: text of 1..kMaxNoteChars; RegionCode: 6 digits
  // (whether defined is a state check); Date: YYYY-MM-DD; Integer: >= min.
  Status Id(std::string_view name, std::string& out);
  Status OptionalId(std::string_view name, std::optional<std::string>& out);
  Status Name(std::string_view name, std::string& out);
  Status OptionalName(std::string_view name, std::optional<std::string>& out);
  Status Note(std::string_view name, std::string& out);
  Status RegionCode(std::string_view name, std::string& out);
  Status Date(std::string_view name, std::string& text, int32_t& days);
  Status OptionalTimestamp(std::string_view name, std::optional<int64_t>& millis);
  Status Integer(std::string_view name, int64_t min, int64_t& out);
  Status Bool(std::string_view name, bool& out);
  Status Object(std::string_view name, const boost::json::object*& out);
  Status Array(std::string_view name, const boost::json::array*& out);
  template <typename E>
  Status Enum(std::string_view name, std::type_identity_t<EnumNames<E>> names, E& out) {
    FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
    return ReadEnum(*v, at_.Member(name), names, out);
  }

  // kInvalidField "<path>.<member>: unknown field" for the first member
  // that no call above asked for.
  Status Finish() const;

  const FieldPath& path() const { return at_; }

 private:
  // The largest body object has 13 members; room for a few more.
  static constexpr std::size_t kMaxKnown = 16;

  const boost::json::object& object_;
  const FieldPath& at_;
  std::array<std::string_view, kMaxKnown> known_{};
  std::size_t known_count_ = 0;
};

// Enum tables (wire name, enumerator), shared by parsing and naming.
template <typename E, std::size_t N>
using EnumTable = std::array<std::pair<std::string_view, E>, N>;

inline constexpr EnumTable<HouseholdStatus, 2> kHouseholdStatuses = {{
    {"poor", HouseholdStatus::kPoor},
    {"exited", HouseholdStatus::kExited},
}};
inline constexpr EnumTable<BenefitMechanism, 5> kBenefitMechanisms = {{
    {"employment", BenefitMechanism::kEmployment},
    {"order_purchase", BenefitMechanism::kOrderPurchase},
    {"land_lease", BenefitMechanism::kLandLease},
    {"dividend", BenefitMechanism::kDividend},
    {"other", BenefitMechanism::kOther},
}};
inline constexpr EnumTable<OutletKind, 5> kOutletKinds = {{
    {"counter", OutletKind::kCounter},
    {"pavilion", OutletKind::kPavilion},
    {"zone_online", OutletKind::kZoneOnline},
    {"zone_offline", OutletKind::kZoneOffline},
    {"livestream_base", OutletKind::kLivestreamBase},
}};
inline constexpr EnumTable<BuyerKind, 3> kBuyerKinds = {{
    {"budget_unit", BuyerKind::kBudgetUnit},
    {"enterprise", BuyerKind::kEnterprise},
    {"individual", BuyerKind::kIndividual},
}};
inline constexpr EnumTable<FlagSeverity, 3> kFlagSeverities = {{
    {"info", FlagSeverity::kInfo},
    {"warning", FlagSeverity::kWarning},
    {"alert", FlagSeverity::kAlert},
}};
inline constexpr EnumTable<FlagResolution, 2> kFlagResolutions = {{
    {"confirmed", FlagResolution::kConfirmed},
    {"dismissed", FlagResolution::kDismissed},
}};
inline constexpr EnumTable<RegionLevel, 3> kRegionLevels = {{
    {"province", RegionLevel::kProvince},
    {"prefecture", RegionLevel::kPrefecture},
    {"county", RegionLevel::kCounty},
}};

// Runs `parse` and, on success, requires that it consumed every member.
template <typename T, typename ParseFn>
Result<T> ParseBody(const boost::json::object& body, ParseFn parse) {
  static const FieldPath kBody("body");
  FieldReader reader(body, kBody);
  T out;
  FUPIN_RETURN_IF_ERROR(parse(reader, out));
  FUPIN_RETURN_IF_ERROR(reader.Finish());
  return out;
}

// --- Checks against ledger state ---------------------------------------------

// What a type's state check found, for ValidateEvent to finish with.
struct StateCheckOutcome {
  // The region(s) the event acts in; each must lie in the signer's scope.
  std::vector<std::string> scope_regions;
  // benefit.paid: the supplier paid for, which a supplier key must own.
  std::optional<std::string> paying_supplier;
  std::vector<StateWrite> writes;
};

// One per type: the existence, uniqueness and state rules of the catalog.
// Errors: kUnknownReference, kAlreadyExists, kInvalidField,
// kRefundExceedsSale, kFlagAlreadyResolved, and the view's own errors.
Status CheckState(const KeyRegistered& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const KeyRevoked& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const RegionDefined& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const CampaignDefined& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const SupplierRegistered& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const HouseholdRegistered& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const ProductCertified& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const ProductRepriced& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const ProductRevoked& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const OutletDeployed& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const OutletClosed& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const PromotionHeld& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const SaleRecorded& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const SaleRefunded& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const BenefitPaid& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const ReportSubmitted& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const FlagRaised& e, const LedgerView& view, StateCheckOutcome& out);
Status CheckState(const FlagResolved& e, const LedgerView& view, StateCheckOutcome& out);

// Lookup helpers with the catalog's messages.
// The entity (lent, never null), or kUnknownReference
// "<path>: unknown <kind> \"<id>\"".
template <typename T>
Result<const T*> RequireEntity(const LedgerView& view, EntityKind kind, std::string_view id,
                               std::string_view path);
// kAlreadyExists "<path>: <kind> \"<id>\" already exists" when present.
Status RequireAbsent(const LedgerView& view, EntityKind kind, std::string_view id,
                     std::string_view path);
// kUnknownReference unless `code` is a defined region.
Status RequireRegion(const LedgerView& view, std::string_view code, std::string_view path);

Status UnknownReference(std::string_view path, EntityKind kind, std::string_view id);

template <typename T>
Result<const T*> RequireEntity(const LedgerView& view, EntityKind kind, std::string_view id,
                               std::string_view path) {
  FUPIN_ASSIGN_OR_RETURN(const T* found, FindEntity<T>(view, kind, id));
  if (found == nullptr) return UnknownReference(path, kind, id);
  return found;
}

// --- References (validation_references.cc) -----------------------------------

// Every entity the body names, as "kind:id", unsorted, possibly repeated.
void AppendReferences(const EventBody& body, std::vector<std::string>& out);

}  // namespace fupin::internal
