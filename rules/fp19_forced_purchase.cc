// FP-19 forced_purchase (SPEC §4): at least min_purchases budget_unit
// purchases by one organization, at one identical amount, within
// window_days. Staff of an office each made to buy the same 200元 gift box
// is 摊派 (an apportioned quota), which the campaign forbids.
//
// The organization is the part of buyer_ref before '/' (SPEC §4: a budget
// unit's buyer_ref is "<organization id>/<person pseudonym>"). The window
// slides: an (organization, amount) keeps its purchases dated in
// (clock - window_days, clock], so with sales in time order it holds the
// window ending at the newest one. A purchase booked more than window_days
// behind the clock no longer counts.
#include <algorithm>
#include <compare>
#include <deque>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/flag_wording.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

struct TimedSale {
  int64_t occurred_at_ms = 0;
  uint64_t seq = 0;
  auto operator<=>(const TimedSale&) const = default;
};

struct OrgAmount {
  std::string org;
  int64_t amount_fen = 0;
  auto operator<=>(const OrgAmount&) const = default;
};

class ForcedPurchaseRule final : public Rule {
 public:
  ForcedPurchaseRule(FlagSeverity severity, int64_t min_purchases, int64_t window_days)
      : severity_(severity),
        min_purchases_(min_purchases),
        window_days_(window_days),
        window_ms_(window_days * kMillisPerDay) {}

  std::string_view id() const override { return "FP-19"; }
  std::string_view name() const override { return "forced_purchase"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr || sale->buyer_kind != BuyerKind::kBudgetUnit || !sale->buyer_ref) return;
    const int64_t cutoff_ms = world.clock_ms - window_ms_;
    if (record.occurred_at_ms <= cutoff_ms) return;
    const std::string& buyer = *sale->buyer_ref;
    const OrgAmount key{buyer.substr(0, buyer.find('/')), sale->amount_fen};
    std::deque<TimedSale>& purchases = recent_[key];
    const TimedSale entry{record.occurred_at_ms, record.seq};
    purchases.insert(std::upper_bound(purchases.begin(), purchases.end(), entry), entry);
    DropBefore(purchases, cutoff_ms);
    const auto count = static_cast<int64_t>(purchases.size());
    if (count < min_purchases_) return;

    std::vector<uint64_t> seqs;
    for (const TimedSale& p : purchases) seqs.push_back(p.seq);
    auto outlet = world.entities.outlets.find(sale->outlet_id);
    const int64_t first_ms = purchases.front().occurred_at_ms;
    const int64_t last_ms = purchases.back().occurred_at_ms;
    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "org:" + key.org;
    // Where the purchase that completed the pattern was made.
    draft.region = outlet == world.entities.outlets.end() ? std::string(kProvinceRegion)
                                                          : outlet->second.region;
    draft.evidence = SortedEvidence(std::move(seqs));
    draft.summary = "预算单位 " + key.org + " 在 " + ShanghaiMinuteText(first_ms) + " 至 " +
                    ShanghaiMinuteText(last_ms) + " 的 " + std::to_string(window_days_) +
                    " 天内以相同金额 " + FormatYuan(key.amount_fen) + " 元购买 " +
                    std::to_string(count) + " 次，阈值 " + std::to_string(min_purchases_) + " 次";
    draft.details = {{"org", key.org},
                     {"amount_fen", key.amount_fen},
                     {"purchases", count},
                     {"min_purchases", min_purchases_},
                     {"window_days", window_days_},
                     {"first_at", ShanghaiTimestamp(first_ms)},
                     {"last_at", ShanghaiTimestamp(last_ms)}};
    sink.Raise(std::move(draft));
  }

  void OnClock(int64_t previous_clock_ms, const DecodedRecord&, const World& world,
               FlagSink&) override {
    // Once per business day, forget organizations that stopped buying.
    if (ShanghaiDay(world.clock_ms) == ShanghaiDay(previous_clock_ms)) return;
    for (auto it = recent_.begin(); it != recent_.end();) {
      DropBefore(it->second, world.clock_ms - window_ms_);
      it = it->second.empty() ? recent_.erase(it) : std::next(it);
    }
  }

  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(recent_, [](snapshot_io::Writer& w, const auto& entry) {
      w.Str(entry.first.org);
      w.I64(entry.first.amount_fen);
      w.Each(entry.second, [](snapshot_io::Writer& o, const TimedSale& purchase) {
        o.I64(purchase.occurred_at_ms);
        o.U64(purchase.seq);
      });
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    recent_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      OrgAmount key;
      key.org = r.Str();
      key.amount_fen = r.I64();
      std::deque<TimedSale>& purchases =
          recent_.emplace_hint(recent_.end(), std::move(key), std::deque<TimedSale>())->second;
      r.Each([&purchases](snapshot_io::Reader& i) {
        TimedSale purchase;
        purchase.occurred_at_ms = i.I64();
        purchase.seq = i.U64();
        // OnRecord binary-searches the window.
        if (!purchases.empty() && purchase < purchases.back()) {
          throw cereal::Exception("purchases out of time order");
        }
        purchases.push_back(purchase);
      });
    });
  }

 private:
  // Drops the purchases at or before `cutoff_ms` from a time-ordered window.
  static void DropBefore(std::deque<TimedSale>& purchases, int64_t cutoff_ms) {
    while (!purchases.empty() && purchases.front().occurred_at_ms <= cutoff_ms) {
      purchases.pop_front();
    }
  }

  FlagSeverity severity_;
  int64_t min_purchases_;
  int64_t window_days_;
  int64_t window_ms_;
  std::map<OrgAmount, std::deque<TimedSale>> recent_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeForcedPurchase(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(int64_t min_purchases, params.Int("min_purchases", 2, 1'000'000));
  FUPIN_ASSIGN_OR_RETURN(int64_t window_days, params.Int("window_days", 1, 366));
  return std::unique_ptr<Rule>(
      std::make_unique<ForcedPurchaseRule>(severity, min_purchases, window_days));
}

}  // namespace fupin::rules
