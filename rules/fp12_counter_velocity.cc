// FP-12 counter_velocity (SPEC §4): more than max_sales_per_hour sales
// within one hour at one counter (专柜), or one buyer_ref making more than
// max_buyer_purchases_per_day purchases on one Shanghai day at one outlet.
// A counter is a shelf with a card reader: sales faster than a cashier can
// ring them up, or one card paying all day, are sales typed in to meet a
// target.
//
// The hour slides: a counter's window is its sales dated in
// (clock - 1 h, clock], so when sales arrive in time order it holds the
// sales of the hour ending at the newest sale. A sale booked more than an
// hour behind the business clock no longer counts towards velocity (its
// hour was already judged). Per-day buyer tallies are kept for the
// clock's day and the day before (kLateDaysKept) and then dropped.
#include <algorithm>
#include <compare>
#include <deque>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger/time.h"
#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/flag_wording.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

// A sale booked the day after its date (a counter that syncs after
// midnight) still counts in its day; older per-day tallies are dropped.
inline constexpr int32_t kLateDaysKept = 1;

struct TimedSale {
  int64_t occurred_at_ms = 0;
  uint64_t seq = 0;
  auto operator<=>(const TimedSale&) const = default;
};

struct BuyerDay {
  int32_t day = 0;  // first, so that a day's tallies are one key range
  std::string outlet_id;
  std::string buyer_ref;
  auto operator<=>(const BuyerDay&) const = default;
};

struct BuyerTally {
  int64_t purchases = 0;
  std::vector<uint64_t> seqs;  // the first kEvidenceKept
};

class CounterVelocityRule final : public Rule {
 public:
  CounterVelocityRule(FlagSeverity severity, int64_t max_sales_per_hour,
                      int64_t max_buyer_purchases_per_day)
      : severity_(severity),
        max_sales_per_hour_(max_sales_per_hour),
        max_buyer_purchases_per_day_(max_buyer_purchases_per_day) {}

  std::string_view id() const override { return "FP-12"; }
  std::string_view name() const override { return "counter_velocity"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    auto outlet = world.entities.outlets.find(sale->outlet_id);
    if (outlet == world.entities.outlets.end()) return;
    if (outlet->second.kind == OutletKind::kCounter) {
      CheckHour(record, *sale, outlet->second, world.clock_ms, sink);
    }
    if (sale->buyer_ref) CheckBuyer(record, *sale, outlet->second, world.clock_ms, sink);
  }

  void OnClock(int64_t previous_clock_ms, const DecodedRecord&, const World& world,
               FlagSink&) override {
    const int32_t today = ShanghaiDay(world.clock_ms);
    if (today > ShanghaiDay(previous_clock_ms)) {
      buyer_days_.erase(buyer_days_.begin(),
                        buyer_days_.lower_bound(BuyerDay{today - kLateDaysKept, "", ""}));
    }
    // Counters that stopped selling keep their last hour until the next
    // hour boundary of the clock, then go.
    if (world.clock_ms / kMillisPerHour > previous_clock_ms / kMillisPerHour) {
      for (auto it = recent_sales_.begin(); it != recent_sales_.end();) {
        DropBefore(it->second, world.clock_ms - kMillisPerHour);
        it = it->second.empty() ? recent_sales_.erase(it) : std::next(it);
      }
    }
  }

  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(recent_sales_, [](snapshot_io::Writer& w, const auto& counter) {
      w.Str(counter.first);
      w.Each(counter.second, [](snapshot_io::Writer& o, const TimedSale& sale) {
        o.I64(sale.occurred_at_ms);
        o.U64(sale.seq);
      });
    });
    out.Each(buyer_days_, [](snapshot_io::Writer& w, const auto& entry) {
      w.I32(entry.first.day);
      w.Str(entry.first.outlet_id);
      w.Str(entry.first.buyer_ref);
      w.I64(entry.second.purchases);
      w.Records(entry.second.seqs);
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    recent_sales_.clear();
    buyer_days_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string outlet_id = r.Str();
      std::deque<TimedSale>& sales =
          recent_sales_
              .emplace_hint(recent_sales_.end(), std::move(outlet_id), std::deque<TimedSale>())
              ->second;
      r.Each([&sales](snapshot_io::Reader& i) {
        TimedSale sale;
        sale.occurred_at_ms = i.I64();
        sale.seq = i.U64();
        // CheckHour binary-searches the window.
        if (!sales.empty() && sale < sales.back()) {
          throw cereal::Exception("counter sales out of time order");
        }
        sales.push_back(sale);
      });
    });
    in.Each([this](snapshot_io::Reader& r) {
      BuyerDay key;
      key.day = r.I32();
      key.outlet_id = r.Str();
      key.buyer_ref = r.Str();
      BuyerTally tally;
      tally.purchases = r.I64();
      r.Records(tally.seqs);
      buyer_days_.insert_or_assign(buyer_days_.end(), std::move(key), std::move(tally));
    });
  }

 private:
  // Drops the sales at or before `cutoff_ms` from a time-ordered window.
  static void DropBefore(std::deque<TimedSale>& sales, int64_t cutoff_ms) {
    while (!sales.empty() && sales.front().occurred_at_ms <= cutoff_ms) sales.pop_front();
  }

  void CheckHour(const DecodedRecord& record, const SaleRecorded& sale,
                 const projections::OutletEntity& outlet, int64_t clock_ms, FlagSink& sink) {
    const int64_t cutoff_ms = clock_ms - kMillisPerHour;
    if (record.occurred_at_ms <= cutoff_ms) return;
    std::deque<TimedSale>& sales = recent_sales_[sale.outlet_id];
    const TimedSale entry{record.occurred_at_ms, record.seq};
    sales.insert(std::upper_bound(sales.begin(), sales.end(), entry), entry);
    DropBefore(sales, cutoff_ms);
    const auto count = static_cast<int64_t>(sales.size());
    if (count <= max_sales_per_hour_) return;

    std::vector<uint64_t> seqs;
    for (const TimedSale& s : sales) seqs.push_back(s.seq);
    const int64_t first_ms = sales.front().occurred_at_ms;
    const int64_t last_ms = sales.back().occurred_at_ms;
    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "outlet:" + sale.outlet_id;
    draft.region = outlet.region;
    draft.window = FormatDate(record.occurred_day);
    draft.evidence = SortedEvidence(std::move(seqs));
    draft.summary = std::string(OutletKindLabel(outlet.kind)) + " " + sale.outlet_id + " 在 " +
                    ShanghaiMinuteText(first_ms) + " 至 " + ShanghaiMinuteText(last_ms) +
                    " 的一小时内录入 " + std::to_string(count) + " 笔销售，上限 " +
                    std::to_string(max_sales_per_hour_) + " 笔";
    draft.details = {{"check", "sales_per_hour"},
                     {"sales", count},
                     {"max_sales_per_hour", max_sales_per_hour_},
                     {"first_at", ShanghaiTimestamp(first_ms)},
                     {"last_at", ShanghaiTimestamp(last_ms)}};
    sink.Raise(std::move(draft));
  }

  void CheckBuyer(const DecodedRecord& record, const SaleRecorded& sale,
                  const projections::OutletEntity& outlet, int64_t clock_ms, FlagSink& sink) {
    const int32_t day = record.occurred_day;
    if (day < ShanghaiDay(clock_ms) - kLateDaysKept) return;  // its day was dropped
    BuyerTally& tally = buyer_days_[BuyerDay{day, sale.outlet_id, *sale.buyer_ref}];
    ++tally.purchases;
    if (tally.seqs.size() < kEvidenceKept) tally.seqs.push_back(record.seq);
    if (tally.purchases <= max_buyer_purchases_per_day_) return;

    std::vector<uint64_t> seqs = tally.seqs;
    seqs.push_back(record.seq);
    const std::string date = FormatDate(day);
    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "outlet:" + sale.outlet_id;
    draft.region = outlet.region;
    // Per buyer, so two buyers on one day are two cases, and neither is
    // merged into the same day's hourly flag.
    draft.window = date + " buyer:" + *sale.buyer_ref;
    draft.evidence = SortedEvidence(std::move(seqs));
    draft.summary = std::string(OutletKindLabel(outlet.kind)) + " " + sale.outlet_id + " 在 " +
                    date + " 向同一买家 " + *sale.buyer_ref + " 录入 " +
                    std::to_string(tally.purchases) + " 笔销售，上限 " +
                    std::to_string(max_buyer_purchases_per_day_) + " 笔";
    draft.details = {{"check", "buyer_purchases_per_day"},
                     {"date", date},
                     {"buyer_ref", *sale.buyer_ref},
                     {"purchases", tally.purchases},
                     {"max_buyer_purchases_per_day", max_buyer_purchases_per_day_}};
    sink.Raise(std::move(draft));
  }

  FlagSeverity severity_;
  int64_t max_sales_per_hour_;
  int64_t max_buyer_purchases_per_day_;
  // Counter id -> its sales in the last hour of the clock, by time.
  std::map<std::string, std::deque<TimedSale>, std::less<>> recent_sales_;
  std::map<BuyerDay, BuyerTally> buyer_days_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeCounterVelocity(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(int64_t per_hour, params.Int("max_sales_per_hour", 1, 1'000'000));
  FUPIN_ASSIGN_OR_RETURN(int64_t per_day, params.Int("max_buyer_purchases_per_day", 1, 1'000'000));
  return std::unique_ptr<Rule>(std::make_unique<CounterVelocityRule>(severity, per_hour, per_day));
}

}  // namespace fupin::rules
