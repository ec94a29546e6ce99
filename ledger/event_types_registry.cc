// Bodies of the registry types: key.*, region.defined, campaign.defined.
#include <algorithm>

#include "ledger/event_key.h"
#include "ledger/event_types.h"
#include "ledger/validation_internal.h"

namespace fupin {

using internal::FieldPath;
using internal::FieldReader;
using internal::InvalidField;

namespace {

// The scope that covers every region; valid in key scopes, never a region.
inline constexpr std::string_view kWholeCountryScope = "000000";

Status ReadRoles(FieldReader& r, uint32_t& roles) {
  const boost::json::array* list = nullptr;
  FUPIN_RETURN_IF_ERROR(r.Array("roles", list));
  const FieldPath at = r.path().Member("roles");
  if (list->empty()) return InvalidField(at, "must not be empty");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const FieldPath item = at.Index(i);
    std::string_view name;
    FUPIN_RETURN_IF_ERROR(internal::ReadString((*list)[i], item, name));
    std::optional<Role> role = ParseRole(name);
    if (!role) return InvalidField(item, "unknown role \"" + std::string(name) + "\"");
    // Decision: only genesis grants `system` (the ledger's own key), and
    // genesis does not go through validation; a registered key claiming it
    // could raise flags in the ledger's name.
    if (*role == kRoleSystem) return InvalidField(item, "role system cannot be granted");
    if ((roles & *role) != 0) return InvalidField(item, "duplicate role");
    roles |= *role;
  }
  return Status::Ok();
}

Status ReadScope(FieldReader& r, std::vector<std::string>& regions) {
  const boost::json::array* list = nullptr;
  FUPIN_RETURN_IF_ERROR(r.Array("regions", list));
  const FieldPath at = r.path().Member("regions");
  if (list->empty()) return InvalidField(at, "must not be empty");
  if (list->size() > kMaxKeyRegions) {
    return InvalidField(at, "must list at most " + std::to_string(kMaxKeyRegions) + " regions");
  }
  regions.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string code;
    FUPIN_RETURN_IF_ERROR(internal::ReadRegionCode((*list)[i], at.Index(i), code));
    if (std::find(regions.begin(), regions.end(), code) != regions.end()) {
      return InvalidField(at.Index(i), "duplicate region");
    }
    regions.push_back(std::move(code));
  }
  return Status::Ok();
}

// Level by GB/T 2260 code structure: "xx0000" province, "xxyy00"
// prefecture, anything else county-level.
RegionLevel LevelOfCode(std::string_view code) {
  if (code.ends_with("0000")) return RegionLevel::kProvince;
  if (code.ends_with("00")) return RegionLevel::kPrefecture;
  return RegionLevel::kCounty;
}

}  // namespace

Result<KeyRegistered> ParseKeyRegistered(const boost::json::object& body) {
  return internal::ParseBody<KeyRegistered>(body, [](FieldReader& r, KeyRegistered& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("key_id", e.key_id));
    FUPIN_ASSIGN_OR_RETURN(const boost::json::value* alg, r.Require("alg"));
    std::string_view alg_name;
    FUPIN_RETURN_IF_ERROR(internal::ReadString(*alg, r.path().Member("alg"), alg_name));
    // SPEC §2.5 names ed25519 only; sm2 is the extension of docs/format.md.
    std::optional<KeyAlg> alg_parsed = ParseKeyAlg(alg_name);
    if (!alg_parsed) {
      return InvalidField(r.path().Member("alg"), "must be \"ed25519\" or \"sm2\"");
    }
    e.alg = *alg_parsed;
    FUPIN_ASSIGN_OR_RETURN(const boost::json::value* public_key, r.Require("public_key"));
    std::string_view public_b64;
    const FieldPath public_at = r.path().Member("public_key");
    FUPIN_RETURN_IF_ERROR(internal::ReadString(*public_key, public_at, public_b64));
    Result<crypto::EventPublicKey> key = crypto::EventPublicKey::FromBase64(e.alg, public_b64);
    if (!key.ok()) {
      return InvalidField(public_at, e.alg == KeyAlg::kSm2
                                         ? "must be base64 of a valid 65-byte uncompressed SM2 "
                                           "point (04 || X || Y on the curve)"
                                         : "must be base64 of a valid 32-byte Ed25519 public key");
    }
    e.public_key = key->raw();
    FUPIN_RETURN_IF_ERROR(ReadRoles(r, e.roles));
    FUPIN_RETURN_IF_ERROR(ReadScope(r, e.regions));
    FUPIN_RETURN_IF_ERROR(r.OptionalTimestamp("not_before", e.not_before_ms));
    FUPIN_RETURN_IF_ERROR(r.OptionalTimestamp("not_after", e.not_after_ms));
    if (e.not_before_ms && e.not_after_ms && *e.not_before_ms > *e.not_after_ms) {
      return InvalidField(r.path().Member("not_after"), "must not be before not_before");
    }
    // Extension to SPEC §2.5 (decision): `supplier.registered` says nothing
    // about which supplier a `supplier` key pays for, yet §2.4 allows
    // benefit.paid for the own supplier only. The key names it here,
    // required exactly when the key holds the supplier role.
    FUPIN_RETURN_IF_ERROR(r.OptionalId("supplier_id", e.supplier_id));
    const bool is_supplier = (e.roles & kRoleSupplier) != 0;
    if (is_supplier && !e.supplier_id) {
      return InvalidField(r.path().Member("supplier_id"), "required for a key with role supplier");
    }
    if (!is_supplier && e.supplier_id) {
      return InvalidField(r.path().Member("supplier_id"),
                          "allowed only for a key with role supplier");
    }
    return Status::Ok();
  });
}

Result<KeyRevoked> ParseKeyRevoked(const boost::json::object& body) {
  return internal::ParseBody<KeyRevoked>(body, [](FieldReader& r, KeyRevoked& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("key_id", e.key_id));
    return r.Note("reason", e.reason);
  });
}

Result<RegionDefined> ParseRegionDefined(const boost::json::object& body) {
  return internal::ParseBody<RegionDefined>(body, [](FieldReader& r, RegionDefined& e) {
    FUPIN_RETURN_IF_ERROR(r.RegionCode("code", e.code));
    const FieldPath code_at = r.path().Member("code");
    if (e.code == kWholeCountryScope) return InvalidField(code_at, "000000 is not a region");
    FUPIN_RETURN_IF_ERROR(r.Name("name", e.name));
    FUPIN_RETURN_IF_ERROR(r.Enum("level", internal::kRegionLevels, e.level));
    // Decision: the level must agree with the code's GB/T 2260 structure
    // and the parent must be the code's structural parent, because key
    // scopes (RegionCovers) and statistics roll-ups both read the hierarchy
    // from the codes; a region whose parent disagreed with its code would
    // be covered by one scope and counted under another.
    if (LevelOfCode(e.code) != e.level) {
      return InvalidField(r.path().Member("level"),
                          "does not match the structure of code " + e.code);
    }
    if (const boost::json::value* parent = r.Find("parent")) {
      const FieldPath parent_at = r.path().Member("parent");
      if (e.level == RegionLevel::kProvince) {
        return InvalidField(parent_at, "a province has no parent");
      }
      FUPIN_RETURN_IF_ERROR(internal::ReadRegionCode(*parent, parent_at, e.parent));
      const RegionLevel expected =
          e.level == RegionLevel::kCounty ? RegionLevel::kPrefecture : RegionLevel::kProvince;
      if (LevelOfCode(e.parent) != expected || !RegionCovers(e.parent, e.code)) {
        return InvalidField(parent_at, "is not the parent of code " + e.code);
      }
    } else if (e.level != RegionLevel::kProvince) {
      return InvalidField(r.path().Member("parent"), "required below the province");
    }
    FUPIN_RETURN_IF_ERROR(r.Bool("poverty_county", e.poverty_county));
    if (e.poverty_county && e.level != RegionLevel::kCounty) {
      return InvalidField(r.path().Member("poverty_county"),
                          "only a county can be a poverty county");
    }
    return Status::Ok();
  });
}

namespace {

Status ReadTargets(FieldReader& r, CampaignTargets& t) {
  const boost::json::object* object = nullptr;
  FUPIN_RETURN_IF_ERROR(r.Object("targets", object));
  const FieldPath at = r.path().Member("targets");
  FieldReader targets(*object, at);
  FUPIN_RETURN_IF_ERROR(targets.Integer("sales_fen", 0, t.sales_fen));
  FUPIN_RETURN_IF_ERROR(targets.Integer("counters_total", 0, t.counters_total));
  const boost::json::object* by_region = nullptr;
  FUPIN_RETURN_IF_ERROR(targets.Object("counters_by_region", by_region));
  const FieldPath by_region_at = at.Member("counters_by_region");
  t.counters_by_region.reserve(by_region->size());
  for (const auto& member : *by_region) {
    const FieldPath item = by_region_at.Member(member.key());
    if (!IsRegionCodeFormat(member.key()))
      return InvalidField(item, "must be a 6-digit region code");
    int64_t counters = 0;
    FUPIN_RETURN_IF_ERROR(internal::ReadInteger(member.value(), item, 0, counters));
    t.counters_by_region.emplace_back(std::string(member.key()), counters);
  }
  // Object member order is the sender's; keep a canonical order.
  std::sort(t.counters_by_region.begin(), t.counters_by_region.end());
  FUPIN_RETURN_IF_ERROR(
      targets.Integer("counters_min_per_prefecture", 0, t.counters_min_per_prefecture));
  FUPIN_RETURN_IF_ERROR(targets.Integer("pavilions_min_per_region", 0, t.pavilions_min_per_region));
  FUPIN_RETURN_IF_ERROR(
      targets.Integer("offline_zones_min_per_prefecture", 0, t.offline_zones_min_per_prefecture));
  return targets.Finish();
}

}  // namespace

Result<CampaignDefined> ParseCampaignDefined(const boost::json::object& body) {
  return internal::ParseBody<CampaignDefined>(body, [](FieldReader& r, CampaignDefined& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("campaign_id", e.campaign_id));
    FUPIN_RETURN_IF_ERROR(r.Name("name", e.name));
    FUPIN_RETURN_IF_ERROR(r.Date("starts_on", e.starts_on, e.starts_on_day));
    FUPIN_RETURN_IF_ERROR(r.Date("ends_on", e.ends_on, e.ends_on_day));
    if (e.starts_on_day > e.ends_on_day) {
      return InvalidField(r.path().Member("ends_on"), "must not be before starts_on");
    }
    return ReadTargets(r, e.targets);
  });
}

}  // namespace fupin
