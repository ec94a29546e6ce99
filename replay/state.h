// `replay state`: the statistics table, target progress and entity states
// exactly as they were after a given seq, folded in memory from the
// nearest stored snapshot (or from zero) -- the same fold the projections
// run live, so the answer equals LedgerProjections' as_of answer.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/entity_projection.h"
#include "projections/statistics_table.h"
#include "projections/targets.h"

namespace fupin::replay {

struct StateQuery {
  uint64_t as_of = 0;    // the last seq folded in
  std::string campaign;  // empty: every campaign defined at as_of
  std::string region;    // empty: all rows and no entity list
};

struct CampaignState {
  projections::StatisticsTable table;  // filtered by the query's region
  projections::TargetsReport targets;
};

// One entity under the query's region, for the listing.
struct RegionEntity {
  std::string kind;  // "product", "supplier", "household", "outlet"
  std::string id;
  std::string name;
  std::string region;
  std::string status;  // certified/revoked, poor/exited, active/closed, registered
};

struct ReplayState {
  uint64_t as_of = 0;
  uint64_t tree_size = 0;
  std::string recorded_at;  // of the as_of record
  std::vector<CampaignState> campaigns;
  std::unique_ptr<projections::EntityProjection> entities;
  std::vector<RegionEntity> region_entities;  // only with a region
};

// Errors: kInvalidArgument (as_of beyond the log), kNotFound (campaign not
// defined at as_of, region not in the table), fold errors.
Result<ReplayState> StateAt(const Ledger& ledger, const StateQuery& query,
                            const std::function<void(uint64_t, uint64_t)>& progress = {});

// {"as_of","tree_size","recorded_at","campaigns":[{"statistics":{SPEC §3},
//  "targets":{...}}],"entities":{"counts":{...},"region":...,"list":[...]}}
boost::json::object StateJson(const ReplayState& state, const StateQuery& query);
// The tables, targets not met and entity counts, with Chinese labels.
std::string RenderStateText(const ReplayState& state, const StateQuery& query);

}  // namespace fupin::replay
