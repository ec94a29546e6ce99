#include "projections/ledger_projections.h"

#include <limits>
#include <utility>

#include "projections/reconciliation.h"

namespace fupin::projections {

Result<std::unique_ptr<LedgerProjections>> LedgerProjections::Open(const Ledger& ledger,
                                                                   RunnerOptions options) {
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<StatisticsProjection>());  // kStatistics
  projections.push_back(std::make_unique<EntityProjection>());      // kEntities
  FUPIN_ASSIGN_OR_RETURN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(ledger, std::move(projections), std::move(options)));
  return std::unique_ptr<LedgerProjections>(new LedgerProjections(std::move(runner)));
}

template <typename T>
Result<T> LedgerProjections::WithStatistics(
    std::optional<uint64_t> as_of,
    const std::function<Result<T>(const StatisticsState&)>& fn) const {
  std::optional<Result<T>> live;
  runner_->Read(kStatistics, [&](const Projection& projection, uint64_t position) {
    if (!as_of || (position > 0 && *as_of == position - 1)) {
      live.emplace(fn(static_cast<const StatisticsProjection&>(projection).state()));
    }
  });
  if (live) return std::move(*live);
  if (*as_of == std::numeric_limits<uint64_t>::max()) {
    return Status(ErrorCode::kInvalidArgument, "as_of is beyond the log");
  }
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Projection> state,
                         runner_->StateAt(kStatistics, *as_of + 1));
  return fn(static_cast<const StatisticsProjection&>(*state).state());
}

Result<StatisticsTable> LedgerProjections::Statistics(std::string_view campaign,
                                                      std::optional<uint64_t> as_of,
                                                      const RowFilter& filter) const {
  return WithStatistics<StatisticsTable>(
      as_of, [&](const StatisticsState& state) -> Result<StatisticsTable> {
        FUPIN_ASSIGN_OR_RETURN(StatisticsTable table, BuildStatisticsTable(state, campaign));
        return FilterRows(std::move(table), filter);
      });
}

Result<TargetsReport> LedgerProjections::Targets(std::string_view campaign,
                                                 std::optional<uint64_t> as_of) const {
  return WithStatistics<TargetsReport>(
      as_of, [&](const StatisticsState& state) { return BuildTargets(state, campaign); });
}

Result<std::vector<ReportReconciliation>> LedgerProjections::Reconciliations(
    std::string_view campaign, std::optional<uint64_t> as_of) const {
  return WithStatistics<std::vector<ReportReconciliation>>(
      as_of, [&](const StatisticsState& state) -> Result<std::vector<ReportReconciliation>> {
        std::vector<ReportReconciliation> out;
        for (const ReportReconciliation& report : state.reports) {
          if (campaign.empty() || report.campaign_id == campaign) out.push_back(report);
        }
        return out;
      });
}

void LedgerProjections::ReadEntities(const std::function<void(const EntityCatalog&)>& read) const {
  runner_->Read(kEntities, [&](const Projection& projection, uint64_t) {
    read(static_cast<const EntityProjection&>(projection).catalog());
  });
}

Result<std::unique_ptr<EntityProjection>> LedgerProjections::EntitiesAt(uint64_t as_of) const {
  if (as_of == std::numeric_limits<uint64_t>::max()) {
    return Status(ErrorCode::kInvalidArgument, "as_of is beyond the log");
  }
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Projection> state, runner_->StateAt(kEntities, as_of + 1));
  return std::unique_ptr<EntityProjection>(
      static_cast<EntityProjection*>(std::move(state).release()));
}

}  // namespace fupin::projections
