// Names, roles, region scope and the binary codec of entity_state.h.
#include "ledger/entity_state.h"

#include <array>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/cereal.hpp>
#include <concepts>
#include <istream>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace fupin {
namespace {

// Role bits and their wire names, in bit order.
inline constexpr std::array<std::pair<Role, std::string_view>, 7> kRoleNames = {{
    {kRoleAdmin, "admin"},
    {kRoleCertifier, "certifier"},
    {kRoleOperator, "operator"},
    {kRoleSupplier, "supplier"},
    {kRoleReporter, "reporter"},
    {kRoleSupervisor, "supervisor"},
    {kRoleSystem, "system"},
}};

// The prefix a scope code stands for: trailing "00" pairs say "every child
// at this level", so "430100" -> "4301", "430000" -> "43", "000000" -> "".
std::string_view ScopePrefix(std::string_view scope) {
  while (scope.size() >= 2 && scope.substr(scope.size() - 2) == "00") {
    scope.remove_suffix(2);
  }
  return scope;
}

}  // namespace

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kKey:
      return "key";
    case EntityKind::kRegion:
      return "region";
    case EntityKind::kCampaign:
      return "campaign";
    case EntityKind::kSupplier:
      return "supplier";
    case EntityKind::kHousehold:
      return "household";
    case EntityKind::kProduct:
      return "product";
    case EntityKind::kOutlet:
      return "outlet";
    case EntityKind::kPromotion:
      return "promotion";
    case EntityKind::kSale:
      return "sale";
    case EntityKind::kFlag:
      return "flag";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [role, role_name] : kRoleNames) {
    if (role_name == name) return role;
  }
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  for (const auto& [known, name] : kRoleNames) {
    if (known == role) return name;
  }
  return "unknown";
}

EntityKind KindOf(const EntityState& state) {
  // The variant alternatives are declared in EntityKind order, starting at 1.
  static_assert(std::variant_size_v<EntityState> == static_cast<std::size_t>(EntityKind::kFlag));
  static_assert(std::is_same_v<std::variant_alternative_t<0, EntityState>, KeyState>);
  static_assert(std::is_same_v<std::variant_alternative_t<9, EntityState>, FlagState>);
  return static_cast<EntityKind>(state.index() + 1);
}

bool RegionCovers(std::string_view scope, std::string_view code) {
  return code.starts_with(ScopePrefix(scope));
}

bool ScopeCovers(const std::vector<std::string>& scope, std::string_view code) {
  for (const std::string& s : scope) {
    if (RegionCovers(s, code)) return true;
  }
  return false;
}

}  // namespace fupin

// ---------------------------------------------------------------------------
// Binary codec.
//
// Layout: byte 0 is the format version, byte 1 the EntityKind, then the
// state's members in declaration order through a cereal PortableBinary
// archive (it fixes the byte order, so stored state survives a move to
// another host): strings and lists as a uint32 length and their items,
// optionals as a presence byte and the value, bools and enums as one byte.
namespace fupin {
namespace {

// Bumped whenever the layout of any state changes; decoders refuse others.
// Format 2 adds one byte after a KeyState's members: its KeyAlg. The
// encoder writes the lowest format that holds the state, so every state
// but an SM2 key is still written as format 1, byte for byte as before
// (stores written before SM2 keys existed stay valid, and `verify`, which
// compares encodings, finds them equal); format 1 key states are Ed25519.
inline constexpr uint8_t kEntityStateFormatV1 = 1;
inline constexpr uint8_t kEntityStateFormatKeyAlg = 2;
// A corrupt length prefix must not allocate gigabytes before the read
// fails: no stored string is longer than the strict JSON parser admits for
// one string (64 KiB), and no stored list is longer than a key's scope,
// which validation bounds far below this.
inline constexpr uint32_t kMaxStoredStringBytes = 64 * 1024;
inline constexpr uint32_t kMaxStoredListSize = 4096;

using OutArchive = cereal::PortableBinaryOutputArchive;
using InArchive = cereal::PortableBinaryInputArchive;

template <typename S, typename T>
concept StateOf = std::same_as<std::remove_const_t<S>, T>;

// The members of each state, in stored order; one list serves both
// directions (S is const when encoding).
template <StateOf<KeyState> S>
auto Members(S& s) {
  return std::tie(s.public_key, s.roles, s.regions, s.not_before_ms, s.not_after_ms, s.revoked,
                  s.supplier_id);
}
template <StateOf<RegionState> S>
auto Members(S& s) {
  return std::tie(s.name, s.level, s.parent, s.poverty_county);
}
template <StateOf<CampaignState> S>
auto Members(S& s) {
  return std::tie(s.starts_on, s.ends_on);
}
template <StateOf<SupplierState> S>
auto Members(S& s) {
  return std::tie(s.region);
}
template <StateOf<HouseholdState> S>
auto Members(S& s) {
  return std::tie(s.region);
}
template <StateOf<ProductState> S>
auto Members(S& s) {
  return std::tie(s.supplier_id, s.origin_region, s.revoked);
}
template <StateOf<OutletState> S>
auto Members(S& s) {
  return std::tie(s.region, s.kind, s.closed);
}
template <StateOf<PromotionState> S>
auto Members(S& s) {
  return std::tie(s.region);
}
template <StateOf<SaleState> S>
auto Members(S& s) {
  return std::tie(s.outlet_id, s.amount_fen, s.refunded_fen);
}
template <StateOf<FlagState> S>
auto Members(S& s) {
  return std::tie(s.region, s.resolved);
}

void Io(OutArchive& ar, uint32_t v) { ar(v); }
void Io(InArchive& ar, uint32_t& v) { ar(v); }
void Io(OutArchive& ar, int64_t v) { ar(v); }
void Io(InArchive& ar, int64_t& v) { ar(v); }

void Io(OutArchive& ar, bool v) { ar(static_cast<uint8_t>(v ? 1 : 0)); }
void Io(InArchive& ar, bool& v) {
  uint8_t byte = 0;
  ar(byte);
  if (byte > 1) throw cereal::Exception("bool out of range");
  v = byte == 1;
}

void Io(OutArchive& ar, RegionLevel v) { ar(static_cast<uint8_t>(v)); }
void Io(InArchive& ar, RegionLevel& v) {
  uint8_t byte = 0;
  ar(byte);
  if (byte < static_cast<uint8_t>(RegionLevel::kProvince) ||
      byte > static_cast<uint8_t>(RegionLevel::kCounty)) {
    throw cereal::Exception("region level out of range");
  }
  v = static_cast<RegionLevel>(byte);
}

void Io(OutArchive& ar, KeyAlg v) { ar(static_cast<uint8_t>(v)); }
void Io(InArchive& ar, KeyAlg& v) {
  uint8_t byte = 0;
  ar(byte);
  if (byte != static_cast<uint8_t>(KeyAlg::kEd25519) &&
      byte != static_cast<uint8_t>(KeyAlg::kSm2)) {
    throw cereal::Exception("key algorithm out of range");
  }
  v = static_cast<KeyAlg>(byte);
}

void Io(OutArchive& ar, const std::string& s) {
  ar(static_cast<uint32_t>(s.size()));
  ar(cereal::binary_data(s.data(), s.size()));
}
void Io(InArchive& ar, std::string& s) {
  uint32_t size = 0;
  ar(size);
  if (size > kMaxStoredStringBytes) throw cereal::Exception("string too long");
  s.resize(size);
  ar(cereal::binary_data(s.data(), size));
}

void Io(OutArchive& ar, const std::vector<std::string>& list) {
  ar(static_cast<uint32_t>(list.size()));
  for (const std::string& s : list) Io(ar, s);
}
void Io(InArchive& ar, std::vector<std::string>& list) {
  uint32_t size = 0;
  ar(size);
  if (size > kMaxStoredListSize) throw cereal::Exception("list too long");
  list.resize(size);
  for (std::string& s : list) Io(ar, s);
}

void Io(OutArchive& ar, const std::optional<int64_t>& v) {
  Io(ar, v.has_value());
  if (v) Io(ar, *v);
}
void Io(InArchive& ar, std::optional<int64_t>& v) {
  bool present = false;
  Io(ar, present);
  if (!present) {
    v.reset();
    return;
  }
  int64_t value = 0;
  Io(ar, value);
  v = value;
}

template <typename Archive, typename State>
void IoMembers(Archive& ar, State& state, uint8_t version) {
  std::apply([&ar](auto&... member) { (Io(ar, member), ...); }, Members(state));
  if constexpr (StateOf<State, KeyState>) {
    if (version >= kEntityStateFormatKeyAlg) Io(ar, state.alg);
  }
}

uint8_t FormatVersionOf(const EntityState& state) {
  const KeyState* key = std::get_if<KeyState>(&state);
  return key != nullptr && key->alg != KeyAlg::kEd25519 ? kEntityStateFormatKeyAlg
                                                        : kEntityStateFormatV1;
}

// Default-constructs the alternative at `index` (0-based).
template <std::size_t I = 0>
void EmplaceAlternative(EntityState& state, std::size_t index) {
  if constexpr (I < std::variant_size_v<EntityState>) {
    if (index == I) {
      state.emplace<I>();
    } else {
      EmplaceAlternative<I + 1>(state, index);
    }
  }
}

// Reads a byte range in place; cereal only ever reads through it.
class ByteViewBuffer : public std::streambuf {
 public:
  explicit ByteViewBuffer(std::string_view bytes) {
    char* begin = const_cast<char*>(bytes.data());
    setg(begin, begin, begin + bytes.size());
  }
  std::size_t remaining() const { return static_cast<std::size_t>(egptr() - gptr()); }
};

}  // namespace

std::string EncodeEntityState(const EntityState& state) {
  std::ostringstream out(std::ios::binary);
  const uint8_t version = FormatVersionOf(state);
  out.put(static_cast<char>(version));
  out.put(static_cast<char>(KindOf(state)));
  {
    OutArchive ar(out);
    std::visit([&ar, version](const auto& s) { IoMembers(ar, s, version); }, state);
  }
  return std::move(out).str();
}

Result<EntityState> DecodeEntityState(std::string_view bytes) {
  if (bytes.size() < 2) {
    return Status(ErrorCode::kDataLoss, "entity state: truncated header");
  }
  const auto version = static_cast<uint8_t>(bytes[0]);
  if (version != kEntityStateFormatV1 && version != kEntityStateFormatKeyAlg) {
    return Status(ErrorCode::kDataLoss,
                  "entity state: unknown format version " + std::to_string(version));
  }
  const auto kind = static_cast<uint8_t>(bytes[1]);
  if (kind < static_cast<uint8_t>(EntityKind::kKey) ||
      kind > static_cast<uint8_t>(EntityKind::kFlag)) {
    return Status(ErrorCode::kDataLoss, "entity state: unknown kind " + std::to_string(kind));
  }
  EntityState state;
  EmplaceAlternative(state, kind - 1u);
  ByteViewBuffer buffer(bytes.substr(2));
  std::istream in(&buffer);
  try {
    InArchive ar(in);
    std::visit([&ar, version](auto& s) { IoMembers(ar, s, version); }, state);
  } catch (const cereal::Exception& e) {
    return Status(ErrorCode::kDataLoss, std::string("entity state: ") + e.what());
  }
  if (buffer.remaining() != 0) {
    return Status(ErrorCode::kDataLoss, "entity state: trailing bytes");
  }
  // One encoding per state: format 2 only for what format 1 cannot hold.
  if (version != FormatVersionOf(state)) {
    return Status(ErrorCode::kDataLoss,
                  "entity state: format " + std::to_string(version) + " for this state");
  }
  return state;
}

}  // namespace fupin
