#include "api/scope.h"

#include <boost/json/value.hpp>
#include <functional>

#include "api/projection_wait.h"
#include "ledger/entity_state.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;
using projections::EntityCatalog;

constexpr std::string_view kTrailKinds[] = {"product", "supplier", "outlet", "household",
                                            "region",  "key",      "flag",   "campaign"};

// body.region of the first record of `stream` (flag.raised,
// promotion.held); nullopt when the stream has no record.
Result<std::optional<std::string>> FirstRecordRegion(const Ledger& ledger,
                                                     const std::string& stream) {
  FUPIN_ASSIGN_OR_RETURN(std::vector<StreamEntry> first, ledger.ReadStream(stream, 1, 1));
  if (first.empty()) return std::optional<std::string>();
  const StoredRecord& record = first.front().record;
  Result<bj::object> event = StoredEvent(record);
  const bj::value* region = nullptr;
  if (event.ok()) {
    if (const bj::value* body = event->if_contains("body"); body != nullptr && body->is_object()) {
      region = body->get_object().if_contains("region");
    }
  }
  if (region == nullptr || !region->is_string()) {
    return Status(ErrorCode::kDataLoss,
                  "record " + std::to_string(record.seq) + " of " + stream + " names no region");
  }
  return std::optional<std::string>(std::string(region->get_string()));
}

template <typename Map>
std::vector<std::string> RegionOf(const Map& map, std::string_view id,
                                  std::string (*region)(const typename Map::mapped_type&)) {
  auto found = map.find(id);
  if (found == map.end()) return {std::string(kEveryRegion)};
  return {region(found->second)};
}

}  // namespace

ReadScope::ReadScope(const Principal* principal)
    : regions_(principal == nullptr ? nullptr : &principal->regions) {}

const std::vector<std::string>& ReadScope::regions() const {
  static const std::vector<std::string> kNone;
  return regions_ == nullptr ? kNone : *regions_;
}

bool ReadScope::Covers(std::string_view code, const EntityCatalog& catalog) const {
  if (unlimited() || ScopeCovers(*regions_, code)) return true;
  return code == kEveryRegion && CoversProvince(catalog);
}

bool ReadScope::CoversProvince(const EntityCatalog& catalog) const {
  if (unlimited() || ScopeCovers(*regions_, kEveryRegion)) return true;
  bool any = false;
  for (const auto& [code, region] : catalog.regions) {
    if (region.level != RegionLevel::kProvince) continue;
    if (!ScopeCovers(*regions_, code)) return false;
    any = true;
  }
  return any;
}

bool IsTrailKind(std::string_view kind) {
  for (std::string_view known : kTrailKinds) {
    if (kind == known) return true;
  }
  return false;
}

Result<std::vector<std::string>> EntityRegions(const Ledger& ledger, const EntityCatalog& catalog,
                                               std::string_view kind, std::string_view id) {
  if (kind == "product") {
    return RegionOf(
        catalog.products, id, +[](const projections::ProductEntity& e) { return e.origin_region; });
  }
  if (kind == "supplier") {
    return RegionOf(
        catalog.suppliers, id, +[](const projections::SupplierEntity& e) { return e.region; });
  }
  if (kind == "outlet") {
    return RegionOf(
        catalog.outlets, id, +[](const projections::OutletEntity& e) { return e.region; });
  }
  if (kind == "household") {
    return RegionOf(
        catalog.households, id, +[](const projections::HouseholdEntity& e) { return e.region; });
  }
  if (kind == "region") return std::vector<std::string>{std::string(id)};
  if (kind == "key") {
    auto key = catalog.keys.find(id);
    if (key == catalog.keys.end() || key->second.regions.empty()) {
      return std::vector<std::string>{std::string(kEveryRegion)};
    }
    return key->second.regions;
  }
  if (kind == "flag" || kind == "promotion") {
    FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> region,
                           FirstRecordRegion(ledger, std::string(kind) + ":" + std::string(id)));
    return std::vector<std::string>{region.value_or(std::string(kEveryRegion))};
  }
  // Campaigns, and kinds that name no region.
  return std::vector<std::string>{std::string(kEveryRegion)};
}

std::pair<std::string, std::string> StreamEntity(std::string_view stream) {
  std::size_t colon = stream.find(':');
  if (colon == std::string_view::npos) return {std::string(stream), ""};
  std::string kind(stream.substr(0, colon));
  std::string_view id = stream.substr(colon + 1);
  if (kind == "report") {
    std::size_t last = id.rfind(':');
    return {"region", std::string(last == std::string_view::npos ? id : id.substr(last + 1))};
  }
  return {std::move(kind), std::string(id)};
}

Status CheckRegions(const ReadScope& scope, std::string_view kind, std::string_view id,
                    const std::vector<std::string>& regions, const EntityCatalog& catalog) {
  for (const std::string& region : regions) {
    if (scope.Covers(region, catalog)) continue;
    std::string where =
        region == kEveryRegion ? std::string("is province-wide") : "lies in region " + region;
    return Status(ErrorCode::kPermissionDenied, std::string(kind) + ":" + std::string(id) + " " +
                                                    where + ", outside the token's region scope");
  }
  return Status::Ok();
}

namespace {

// Checks `check` against the live catalog; when it refuses while the
// projections lag the log, waits for them and checks again: a refusal must
// not come from a record not yet folded (an entity just created), while an
// allowed read never waits behind a busy writer.
Status CheckLive(const Call& call, const std::function<Status(const EntityCatalog&)>& check) {
  if (call.state.projections == nullptr) {
    return Status(ErrorCode::kUnavailable, "the entity projection is not running");
  }
  Status checked = Status::Ok();
  call.state.projections->ReadEntities(
      [&](const EntityCatalog& catalog) { checked = check(catalog); });
  if (checked.ok() ||
      call.state.projections->runner().position() >= call.state.ledger.tree_size()) {
    return checked;
  }
  WaitForProjections(call.state);
  call.state.projections->ReadEntities(
      [&](const EntityCatalog& catalog) { checked = check(catalog); });
  return checked;
}

}  // namespace

Status CheckEntityInScope(const Call& call, std::string_view kind, std::string_view id) {
  ReadScope scope(call.principal);
  if (scope.unlimited()) return Status::Ok();
  return CheckLive(call, [&](const EntityCatalog& catalog) {
    Result<std::vector<std::string>> regions = EntityRegions(call.state.ledger, catalog, kind, id);
    return regions.ok() ? CheckRegions(scope, kind, id, *regions, catalog) : regions.status();
  });
}

Status CheckProvinceScope(const Call& call, std::string_view what) {
  ReadScope scope(call.principal);
  if (scope.unlimited()) return Status::Ok();
  return CheckLive(call, [&](const EntityCatalog& catalog) {
    if (scope.CoversProvince(catalog)) return Status::Ok();
    return Status(ErrorCode::kPermissionDenied,
                  std::string(what) + " is province-wide; the token's region scope is not");
  });
}

Status CheckFilterRegion(const ReadScope& scope, std::string_view parameter,
                         std::string_view region) {
  if (scope.unlimited() || ScopeCovers(scope.regions(), region)) return Status::Ok();
  return Status(ErrorCode::kPermissionDenied, "query parameter \"" + std::string(parameter) +
                                                  "\": region " + std::string(region) +
                                                  " is outside the token's region scope");
}

Status CheckNamedEntityInScope(const Call& call, std::string_view kind, std::string_view id) {
  const std::string entity = std::string(kind) + ":" + std::string(id);
  FUPIN_ASSIGN_OR_RETURN(std::vector<uint64_t> named,
                         call.state.ledger.ReferencingSeqs(entity, 0, 1));
  if (named.empty()) return Status(ErrorCode::kNotFound, "no record names " + entity);
  return CheckEntityInScope(call, kind, id);
}

}  // namespace fupin::api
