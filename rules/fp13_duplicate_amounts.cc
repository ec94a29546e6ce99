// FP-13 duplicate_amounts (SPEC §4): the same product, amount and buyer_ref
// at one outlet at least min_repeats times on one Shanghai day. Real
// shoppers vary what they buy; one card paying the identical basket again
// and again is a purchase split or replayed to inflate the count.
//
// Sales without a buyer_ref are anonymous walk-in sales and are not
// compared. Tallies are kept for the clock's day and the day before
// (kLateDaysKept), then dropped.
#include <compare>
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

// A sale booked the day after its date still counts in its day; older
// per-day tallies are dropped.
inline constexpr int32_t kLateDaysKept = 1;

struct Basket {
  int32_t day = 0;  // first, so that a day's tallies are one key range
  std::string outlet_id;
  std::string product_id;
  int64_t amount_fen = 0;
  std::string buyer_ref;
  auto operator<=>(const Basket&) const = default;
};

struct Repeats {
  int64_t count = 0;
  std::vector<uint64_t> seqs;  // the first kEvidenceKept
};

class DuplicateAmountsRule final : public Rule {
 public:
  DuplicateAmountsRule(FlagSeverity severity, int64_t min_repeats)
      : severity_(severity), min_repeats_(min_repeats) {}

  std::string_view id() const override { return "FP-13"; }
  std::string_view name() const override { return "duplicate_amounts"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr || !sale->buyer_ref) return;
    const int32_t day = record.occurred_day;
    if (day < ShanghaiDay(world.clock_ms) - kLateDaysKept) return;  // its day was dropped
    Repeats& repeats = baskets_[Basket{day, sale->outlet_id, sale->product_id, sale->amount_fen,
                                       *sale->buyer_ref}];
    ++repeats.count;
    if (repeats.seqs.size() < kEvidenceKept) repeats.seqs.push_back(record.seq);
    if (repeats.count < min_repeats_) return;

    auto outlet = world.entities.outlets.find(sale->outlet_id);
    const bool known = outlet != world.entities.outlets.end();
    std::vector<uint64_t> seqs = repeats.seqs;
    seqs.push_back(record.seq);
    const std::string date = FormatDate(day);
    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "outlet:" + sale->outlet_id;
    draft.region = known ? outlet->second.region : std::string(kProvinceRegion);
    draft.window = date;
    draft.evidence = SortedEvidence(std::move(seqs));
    draft.summary = std::string(known ? OutletKindLabel(outlet->second.kind) : "网点") + " " +
                    sale->outlet_id + " 在 " + date + " 向同一买家 " + *sale->buyer_ref + " 录入 " +
                    std::to_string(repeats.count) + " 笔相同销售（产品 " + sale->product_id +
                    "，金额 " + FormatYuan(sale->amount_fen) + " 元），阈值 " +
                    std::to_string(min_repeats_) + " 笔";
    draft.details = {{"date", date},
                     {"product_id", sale->product_id},
                     {"amount_fen", sale->amount_fen},
                     {"buyer_ref", *sale->buyer_ref},
                     {"repeats", repeats.count},
                     {"min_repeats", min_repeats_}};
    sink.Raise(std::move(draft));
  }

  void OnClock(int64_t previous_clock_ms, const DecodedRecord&, const World& world,
               FlagSink&) override {
    const int32_t today = ShanghaiDay(world.clock_ms);
    if (today == ShanghaiDay(previous_clock_ms)) return;
    Basket first_kept;
    first_kept.day = today - kLateDaysKept;
    baskets_.erase(baskets_.begin(), baskets_.lower_bound(first_kept));
  }

  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(baskets_, [](snapshot_io::Writer& w, const auto& entry) {
      const Basket& basket = entry.first;
      w.I32(basket.day);
      w.Str(basket.outlet_id);
      w.Str(basket.product_id);
      w.I64(basket.amount_fen);
      w.Str(basket.buyer_ref);
      w.I64(entry.second.count);
      w.Records(entry.second.seqs);
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    baskets_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      Basket basket;
      basket.day = r.I32();
      basket.outlet_id = r.Str();
      basket.product_id = r.Str();
      basket.amount_fen = r.I64();
      basket.buyer_ref = r.Str();
      Repeats repeats;
      repeats.count = r.I64();
      r.Records(repeats.seqs);
      baskets_.insert_or_assign(baskets_.end(), std::move(basket), std::move(repeats));
    });
  }

 private:
  FlagSeverity severity_;
  int64_t min_repeats_;
  std::map<Basket, Repeats> baskets_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeDuplicateAmounts(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  // One repeat is every second purchase of a staple; 2 is the least that
  // can mean "the same basket again".
  FUPIN_ASSIGN_OR_RETURN(int64_t min_repeats, params.Int("min_repeats", 2, 1'000'000));
  return std::unique_ptr<Rule>(std::make_unique<DuplicateAmountsRule>(severity, min_repeats));
}

}  // namespace fupin::rules
