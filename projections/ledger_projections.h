// The projections of one ledger, ready to serve: the statistics and
// entity-state projections kept by one ProjectionRunner, with typed
// queries live or as_of any seq. This is what the HTTP handlers
// (/v1/stats, /v1/targets), the CLI and the rules read.
//
// Thread-safety: every method may be called from any thread. Live queries
// hold the runner's shared lock while they compute (milliseconds); as_of
// queries fold a private copy and hold no lock while folding.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/entity_projection.h"
#include "projections/projection_runner.h"
#include "projections/statistics_projection.h"
#include "projections/statistics_table.h"
#include "projections/targets.h"

namespace fupin::projections {

class LedgerProjections {
 public:
  // Positions of the projections inside the runner.
  static constexpr std::size_t kStatistics = 0;
  static constexpr std::size_t kEntities = 1;

  // Opens the runner over `ledger`, which must outlive the result; loads
  // the stored states (see ProjectionRunner::Open). Call runner().Start()
  // for background catch-up, or runner().CatchUp() to fold now.
  static Result<std::unique_ptr<LedgerProjections>> Open(const Ledger& ledger,
                                                         RunnerOptions options = {});

  ProjectionRunner& runner() { return *runner_; }
  const ProjectionRunner& runner() const { return *runner_; }

  // The table of `campaign` as of seq `as_of` (nullopt: the live state, as
  // of runner position - 1, which may lag the log by lag() records),
  // filtered. Errors: kNotFound (campaign unknown at that seq, region not
  // in the table), kInvalidArgument (as_of >= tree size), scan errors.
  Result<StatisticsTable> Statistics(std::string_view campaign, std::optional<uint64_t> as_of,
                                     const RowFilter& filter = {}) const;
  // Target progress, same as_of rules and errors.
  Result<TargetsReport> Targets(std::string_view campaign, std::optional<uint64_t> as_of) const;
  // Reconciliations of every report.submitted up to as_of, in log order;
  // an empty campaign means all campaigns.
  Result<std::vector<ReportReconciliation>> Reconciliations(std::string_view campaign,
                                                            std::optional<uint64_t> as_of) const;
  // Runs `read` on the live entity catalog under the shared lock.
  void ReadEntities(const std::function<void(const EntityCatalog&)>& read) const;
  // The entity catalog as of seq `as_of` (a private copy).
  Result<std::unique_ptr<EntityProjection>> EntitiesAt(uint64_t as_of) const;

 private:
  explicit LedgerProjections(std::unique_ptr<ProjectionRunner> runner)
      : runner_(std::move(runner)) {}

  // Runs `fn` on the statistics state as of `as_of` (live when nullopt or
  // when the live state is exactly there).
  template <typename T>
  Result<T> WithStatistics(std::optional<uint64_t> as_of,
                           const std::function<Result<T>(const StatisticsState&)>& fn) const;

  std::unique_ptr<ProjectionRunner> runner_;
};

}  // namespace fupin::projections
