// State checks of the registry types (key.*, region.defined,
// campaign.defined) and the lookup helpers every type's check uses.
#include <string>

#include "ledger/validation_internal.h"

namespace fupin::internal {
namespace {

// The scope that covers every region; not itself a defined region.
inline constexpr std::string_view kWholeCountryScope = "000000";

std::string Quoted(std::string_view id) {
  std::string out = "\"";
  out += id;
  out += '"';
  return out;
}

}  // namespace

Status UnknownReference(std::string_view path, EntityKind kind, std::string_view id) {
  return Status(
      ErrorCode::kUnknownReference,
      std::string(path) + ": unknown " + std::string(EntityKindName(kind)) + " " + Quoted(id));
}

Status RequireAbsent(const LedgerView& view, EntityKind kind, std::string_view id,
                     std::string_view path) {
  FUPIN_ASSIGN_OR_RETURN(const EntityState* found, view.Find(kind, id));
  if (found != nullptr) {
    return Status(ErrorCode::kAlreadyExists, std::string(path) + ": " +
                                                 std::string(EntityKindName(kind)) + " " +
                                                 Quoted(id) + " already exists");
  }
  return Status::Ok();
}

Status RequireRegion(const LedgerView& view, std::string_view code, std::string_view path) {
  FUPIN_ASSIGN_OR_RETURN(const EntityState* found, view.Find(EntityKind::kRegion, code));
  if (found == nullptr) return UnknownReference(path, EntityKind::kRegion, code);
  return Status::Ok();
}

Status CheckState(const KeyRegistered& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(RequireAbsent(view, EntityKind::kKey, e.key_id, "body.key_id"));
  for (std::size_t i = 0; i < e.regions.size(); ++i) {
    if (e.regions[i] == kWholeCountryScope) continue;
    FUPIN_RETURN_IF_ERROR(
        RequireRegion(view, e.regions[i], "body.regions[" + std::to_string(i) + "]"));
  }
  if (e.supplier_id) {
    FUPIN_RETURN_IF_ERROR(RequireEntity<SupplierState>(view, EntityKind::kSupplier, *e.supplier_id,
                                                       "body.supplier_id")
                              .status());
  }
  // Scope: a key can only hand out what it holds, region by region.
  out.scope_regions = e.regions;
  KeyState key;
  key.alg = e.alg;
  key.public_key = e.public_key;
  key.roles = e.roles;
  key.regions = e.regions;
  key.not_before_ms = e.not_before_ms;
  key.not_after_ms = e.not_after_ms;
  key.supplier_id = e.supplier_id.value_or("");
  out.writes.push_back({EntityKind::kKey, e.key_id, std::move(key)});
  return Status::Ok();
}

Status CheckState(const KeyRevoked& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_ASSIGN_OR_RETURN(const KeyState* key_found,
                         RequireEntity<KeyState>(view, EntityKind::kKey, e.key_id, "body.key_id"));
  const KeyState& key = *key_found;
  if (key.revoked) {
    return Status(ErrorCode::kInvalidField,
                  "body.key_id: key " + Quoted(e.key_id) + " is already revoked");
  }
  // The ledger's own key signs checkpoints and flags; revoking it through
  // an event would leave the log unable to sign its own heads.
  if ((key.roles & kRoleSystem) != 0) {
    return Status(ErrorCode::kInvalidField,
                  "body.key_id: the system key " + Quoted(e.key_id) + " cannot be revoked");
  }
  // Scope: revoking needs authority over every region the key acts for.
  out.scope_regions = key.regions;
  KeyState updated = key;
  updated.revoked = true;
  out.writes.push_back({EntityKind::kKey, e.key_id, std::move(updated)});
  return Status::Ok();
}

Status CheckState(const RegionDefined& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(RequireAbsent(view, EntityKind::kRegion, e.code, "body.code"));
  if (!e.parent.empty()) {
    FUPIN_ASSIGN_OR_RETURN(
        const RegionState* parent_found,
        RequireEntity<RegionState>(view, EntityKind::kRegion, e.parent, "body.parent"));
    const RegionState& parent = *parent_found;
    const RegionLevel expected =
        e.level == RegionLevel::kCounty ? RegionLevel::kPrefecture : RegionLevel::kProvince;
    if (parent.level != expected) {
      return Status(ErrorCode::kInvalidField, "body.parent: region " + Quoted(e.parent) + " is a " +
                                                  std::string(RegionLevelName(parent.level)) +
                                                  ", not a " +
                                                  std::string(RegionLevelName(expected)));
    }
  }
  // Decision: scope is the new code itself, so a prefecture's admin may
  // define its counties but not its neighbours'.
  out.scope_regions.push_back(e.code);
  RegionState region;
  region.name = e.name;
  region.level = e.level;
  region.parent = e.parent;
  region.poverty_county = e.poverty_county;
  out.writes.push_back({EntityKind::kRegion, e.code, std::move(region)});
  return Status::Ok();
}

Status CheckState(const CampaignDefined& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(
      RequireAbsent(view, EntityKind::kCampaign, e.campaign_id, "body.campaign_id"));
  for (const auto& [code, counters] : e.targets.counters_by_region) {
    FUPIN_RETURN_IF_ERROR(RequireRegion(view, code, "body.targets.counters_by_region." + code));
    // Scope: a campaign sets targets for the regions it names.
    out.scope_regions.push_back(code);
  }
  CampaignState campaign;
  campaign.starts_on = e.starts_on;
  campaign.ends_on = e.ends_on;
  out.writes.push_back({EntityKind::kCampaign, e.campaign_id, std::move(campaign)});
  return Status::Ok();
}

}  // namespace fupin::internal
