// The compact per-entity state the ledger keeps to validate new events
// (existence, region, status, remaining refundable amount, key registry).
//
// It is written in the same WriteBatch as the record that changed it, so it
// always reflects exactly the records up to the store's tree size. Richer
// state (statistics, rule windows) belongs to projections, not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/key_alg.h"
#include "ledger/status.h"

namespace fupin {

enum class EntityKind : uint8_t {
  kKey = 1,
  kRegion,
  kCampaign,
  kSupplier,
  kHousehold,
  kProduct,
  kOutlet,
  kPromotion,
  kSale,
  kFlag,
};

// "key", "region", ... as used in stream names and reference-index entities.
std::string_view EntityKindName(EntityKind kind);

// Roles of SPEC §2.4 as bits.
enum Role : uint32_t {
  kRoleAdmin = 1u << 0,
  kRoleCertifier = 1u << 1,
  kRoleOperator = 1u << 2,
  kRoleSupplier = 1u << 3,
  kRoleReporter = 1u << 4,
  kRoleSupervisor = 1u << 5,
  kRoleSystem = 1u << 6,
};
// Parses "admin", "certifier", ...; nullopt for an unknown name.
std::optional<Role> ParseRole(std::string_view name);
std::string_view RoleName(Role role);

enum class RegionLevel : uint8_t { kProvince = 1, kPrefecture, kCounty };

struct KeyState {
  KeyAlg alg = KeyAlg::kEd25519;
  std::string public_key;                // raw: 32 bytes (Ed25519) or 65 (SM2)
  uint32_t roles = 0;                    // bit set of Role
  std::vector<std::string> regions;      // scope; "000000" covers every region
  std::optional<int64_t> not_before_ms;  // validity window, Unix ms
  std::optional<int64_t> not_after_ms;
  bool revoked = false;
  std::string supplier_id;  // the supplier a `supplier` key pays for
};

struct RegionState {
  std::string name;
  RegionLevel level = RegionLevel::kCounty;
  std::string parent;  // empty for the province
  bool poverty_county = false;
};

struct CampaignState {
  std::string starts_on;  // YYYY-MM-DD
  std::string ends_on;
};

struct SupplierState {
  std::string region;
};

struct HouseholdState {
  std::string region;
};

struct ProductState {
  std::string supplier_id;
  std::string origin_region;
  bool revoked = false;
};

struct OutletState {
  std::string region;
  std::string kind;
  bool closed = false;
};

struct PromotionState {
  std::string region;
};

struct SaleState {
  std::string outlet_id;
  int64_t amount_fen = 0;
  int64_t refunded_fen = 0;  // sum of recorded refunds, never > amount_fen
};

struct FlagState {
  std::string region;
  bool resolved = false;
};

using EntityState =
    std::variant<KeyState, RegionState, CampaignState, SupplierState, HouseholdState, ProductState,
                 OutletState, PromotionState, SaleState, FlagState>;

EntityKind KindOf(const EntityState& state);

// One entity state to store (insert or replace) when the event is appended.
struct StateWrite {
  EntityKind kind;
  std::string id;
  EntityState state;
};

// Read access to entity state as of the events sequenced so far (including
// earlier events of the batch being sequenced). Errors: kIoError/kDataLoss
// from the underlying store. Implementations need not be thread-safe.
class LedgerView {
 public:
  virtual ~LedgerView() = default;
  // The state of (kind, id), or null when there is none. The state is
  // lent, not copied (validation looks up several entities per event, and
  // verification does so for every record of the log): the pointer stays
  // valid until the next state write to the view's owner, which validation
  // never makes.
  virtual Result<const EntityState*> Find(EntityKind kind, std::string_view id) const = 0;
};

// Typed lookup: null when absent; kDataLoss when the stored state has
// another kind than asked for. Lent as LedgerView::Find lends.
template <typename T>
Result<const T*> FindEntity(const LedgerView& view, EntityKind kind, std::string_view id) {
  FUPIN_ASSIGN_OR_RETURN(const EntityState* found, view.Find(kind, id));
  if (found == nullptr) return static_cast<const T*>(nullptr);
  if (const T* typed = std::get_if<T>(found)) return typed;
  return Status(ErrorCode::kDataLoss, "entity state of unexpected kind");
}

// Binary codec of EntityState (cereal), versioned; decode errors kDataLoss.
std::string EncodeEntityState(const EntityState& state);
Result<EntityState> DecodeEntityState(std::string_view bytes);

// Region scope: a code covers itself and its descendants by GB/T 2260
// structure ("430000" covers "43xxxx", "430100" covers "4301xx", "000000"
// covers every code).
bool RegionCovers(std::string_view scope, std::string_view code);
bool ScopeCovers(const std::vector<std::string>& scope, std::string_view code);

}  // namespace fupin
