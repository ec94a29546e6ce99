#include "cli/statistics_source.h"

#include <memory>

#include "cli/progress.h"
#include "ledger/ledger.h"
#include "projections/ledger_projections.h"
#include "projections/statistics_projection.h"

namespace fupin::cli {

Result<projections::StatisticsTable> LoadStatisticsTable(const std::string& data,
                                                         const std::string& campaign,
                                                         std::optional<uint64_t> as_of,
                                                         bool rebuild) {
  LedgerOptions ledger_options;
  ledger_options.read_only = true;
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(data, ledger_options));
  const uint64_t size = ledger->tree_size();
  if (as_of && *as_of >= size) {
    return Status(ErrorCode::kInvalidArgument, "--as-of " + std::to_string(*as_of) +
                                                   " is beyond the log (last seq " +
                                                   std::to_string(size - 1) + ")");
  }
  projections::RunnerOptions runner_options;
  runner_options.persist = false;
  runner_options.use_stored_state = !rebuild;
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<projections::LedgerProjections> opened,
                         projections::LedgerProjections::Open(*ledger, runner_options));
  const uint64_t position = as_of ? *as_of + 1 : size;
  ProgressMeter progress(rebuild ? "rebuilding statistics" : "folding statistics");
  FUPIN_ASSIGN_OR_RETURN(
      std::unique_ptr<projections::Projection> state,
      opened->runner().StateAt(projections::LedgerProjections::kStatistics, position,
                               [&](uint64_t done, uint64_t target) { progress(done, target); }));
  const auto& statistics = static_cast<const projections::StatisticsProjection&>(*state);
  return projections::BuildStatisticsTable(statistics.state(), campaign);
}

}  // namespace fupin::cli
