// FP-14 zombie_counter (SPEC §4): a counter (专柜) in operation at least
// min_days_in_operation days of a campaign's window without one sale dated
// in the window. Counters are a target of the plan (30,000 in the
// province), so a counter installed only to be counted shows up as one
// that never sells.
//
// Days in operation run from the later of starts_on and the deployment's
// date to the earlier of ends_on and the day before the closure's date.
// The rule is about absence, so it judges a campaign once, in OnClock,
// when the business clock passes the end of ends_on plus grace_days (sales
// dated in the window may be booked a little late).
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ledger/time.h"
#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

class ZombieCounterRule final : public Rule {
 public:
  ZombieCounterRule(FlagSeverity severity, int64_t min_days_in_operation, int64_t grace_days)
      : severity_(severity),
        min_days_in_operation_(min_days_in_operation),
        deadlines_(grace_days) {}

  std::string_view id() const override { return "FP-14"; }
  std::string_view name() const override { return "zombie_counter"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink&) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    auto outlet = world.entities.outlets.find(sale->outlet_id);
    if (outlet == world.entities.outlets.end() || outlet->second.kind != OutletKind::kCounter) {
      return;
    }
    for (const projections::CampaignInfo& campaign : world.statistics.campaigns) {
      const bool dated_in_window =
          record.occurred_day >= campaign.starts_day && record.occurred_day <= campaign.ends_day;
      // Once judged, a campaign's window is closed for this rule.
      if (dated_in_window && !deadlines_.closed(campaign.id)) {
        sold_[campaign.id].insert(sale->outlet_id);
      }
    }
  }

  void OnClock(int64_t, const DecodedRecord&, const World& world, FlagSink& sink) override {
    for (const DueCampaign& due : deadlines_.Due(world)) {
      Judge(due, world.entities, sink);
      sold_.erase(due.id);
    }
  }

  void SaveState(snapshot_io::Writer& out) const override {
    deadlines_.SaveState(out);
    out.Each(sold_, [](snapshot_io::Writer& w, const auto& campaign) {
      w.Str(campaign.first);
      w.Each(campaign.second,
             [](snapshot_io::Writer& o, const std::string& outlet_id) { o.Str(outlet_id); });
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    deadlines_.LoadState(in);
    sold_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string campaign_id = r.Str();
      std::set<std::string, std::less<>>& counters =
          sold_
              .emplace_hint(sold_.end(), std::move(campaign_id),
                            std::set<std::string, std::less<>>())
              ->second;
      r.Each([&counters](snapshot_io::Reader& i) { counters.insert(counters.end(), i.Str()); });
    });
  }

 private:
  void Judge(const DueCampaign& campaign, const projections::EntityCatalog& entities,
             FlagSink& sink) const {
    auto sold = sold_.find(campaign.id);
    for (const auto& [outlet_id, outlet] : entities.outlets) {
      if (outlet.kind != OutletKind::kCounter) continue;
      if (sold != sold_.end() && sold->second.contains(outlet_id)) continue;
      const int32_t first =
          std::max(campaign.starts_day, ShanghaiDay(outlet.deployed.occurred_at_ms));
      int32_t last = campaign.ends_day;
      if (outlet.closed_at)
        last = std::min(last, ShanghaiDay(outlet.closed_at->occurred_at_ms) - 1);
      const int64_t days = static_cast<int64_t>(last) - first + 1;
      if (days < min_days_in_operation_) continue;

      std::vector<uint64_t> seqs = {outlet.deployed.seq};
      if (outlet.closed_at) seqs.push_back(outlet.closed_at->seq);
      FlagDraft draft;
      draft.severity = severity_;
      draft.subject = "outlet:" + outlet_id;
      draft.region = outlet.region;
      draft.window = campaign.id;
      draft.evidence = SortedEvidence(std::move(seqs));
      draft.summary = "专柜 " + outlet_id + " 在活动 " + campaign.id + " 期间运营 " +
                      std::to_string(days) + " 天（" + FormatDate(first) + " 至 " +
                      FormatDate(last) + "），无一笔销售";
      draft.details = {{"campaign_id", campaign.id},
                       {"first_day", FormatDate(first)},
                       {"last_day", FormatDate(last)},
                       {"days_in_operation", days},
                       {"min_days_in_operation", min_days_in_operation_}};
      sink.Raise(std::move(draft));
    }
  }

  FlagSeverity severity_;
  int64_t min_days_in_operation_;
  // Judges each campaign once, grace_days after its end.
  CampaignDeadlines deadlines_;
  // Campaign id -> counters with a sale dated in its window, until the
  // campaign is judged.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> sold_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeZombieCounter(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(int64_t min_days, params.Int("min_days_in_operation", 1, 366));
  FUPIN_ASSIGN_OR_RETURN(int64_t grace_days, params.Int("grace_days", 0, 366));
  return std::unique_ptr<Rule>(std::make_unique<ZombieCounterRule>(severity, min_days, grace_days));
}

}  // namespace fupin::rules
