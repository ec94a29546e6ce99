// FP-20 benford_deviation (SPEC §4, info): the first digits of a
// prefecture's sale amounts (in fen) in a campaign's window deviate from
// Benford's law by a mean absolute deviation above max_mad, over at least
// min_sales sales. Retail amounts spanning orders of magnitude follow
// Benford's law; sales invented in bulk to reach a target usually do not.
//
// An aggregate over the whole window, so judged once per campaign, in
// OnClock, when the business clock passes the end of ends_on plus
// grace_days. The state is nine counters per prefecture and campaign, kept
// in integers: the deviation is computed in billionths, exactly.
//
// The prefecture of a sale is the first ancestor of its outlet's region
// (or the region itself) that is not a county; an outlet registered at the
// province counts under the province.
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger/time.h"
#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

inline constexpr int64_t kBillion = 1'000'000'000;
// log10(1 + 1/d) in billionths, d = 1..9 (index 0 unused); they sum to 10^9
// within rounding.
inline constexpr std::array<int64_t, 10> kBenfordBillionths = {
    0, 301029996, 176091259, 124938737, 96910013, 79181246, 66946790, 57991947, 51152522, 45757491};

struct DigitCounts {
  std::array<int64_t, 10> by_digit{};  // index = first digit, 1..9
  int64_t total = 0;
  uint64_t first_seq = 0;  // the first and last sale counted: evidence
  uint64_t last_seq = 0;
};

int FirstDigit(int64_t amount) {
  int64_t value = std::llabs(amount);
  while (value >= 10) value /= 10;
  return static_cast<int>(value);
}

// Mean absolute deviation of the first-digit shares from Benford's, in
// billionths: sum_d |count_d / n - B_d| / 9, each term scaled by 10^9 n.
int64_t MadBillionths(const DigitCounts& counts) {
  // The terms sum to at most 2 n 10^9, so n may reach 4 * 10^9 sales.
  int64_t sum = 0;
  for (std::size_t d = 1; d <= 9; ++d) {
    sum += std::llabs(counts.by_digit[d] * kBillion - counts.total * kBenfordBillionths[d]);
  }
  return sum / (9 * counts.total);
}

class BenfordDeviationRule final : public Rule {
 public:
  BenfordDeviationRule(FlagSeverity severity, int64_t max_mad_billionths, int64_t min_sales,
                       int64_t grace_days)
      : severity_(severity),
        max_mad_billionths_(max_mad_billionths),
        min_sales_(min_sales),
        deadlines_(grace_days) {}

  std::string_view id() const override { return "FP-20"; }
  std::string_view name() const override { return "benford_deviation"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink&) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr || sale->amount_fen <= 0) return;
    auto outlet = world.entities.outlets.find(sale->outlet_id);
    if (outlet == world.entities.outlets.end()) return;
    for (const projections::CampaignInfo& campaign : world.statistics.campaigns) {
      const bool dated_in_window =
          record.occurred_day >= campaign.starts_day && record.occurred_day <= campaign.ends_day;
      if (!dated_in_window || deadlines_.closed(campaign.id)) continue;
      DigitCounts& counts =
          counts_[campaign.id][PrefectureOf(world.entities, outlet->second.region)];
      ++counts.by_digit[static_cast<std::size_t>(FirstDigit(sale->amount_fen))];
      if (counts.total++ == 0) counts.first_seq = record.seq;
      counts.last_seq = record.seq;
    }
  }

  void OnClock(int64_t, const DecodedRecord&, const World& world, FlagSink& sink) override {
    for (const DueCampaign& due : deadlines_.Due(world)) {
      Judge(due, world.entities, sink);
      counts_.erase(due.id);
    }
  }

  void SaveState(snapshot_io::Writer& out) const override {
    deadlines_.SaveState(out);
    out.Each(counts_, [](snapshot_io::Writer& w, const auto& campaign) {
      w.Str(campaign.first);
      w.Each(campaign.second, [](snapshot_io::Writer& o, const auto& prefecture) {
        o.Str(prefecture.first);
        const DigitCounts& counts = prefecture.second;
        for (int64_t n : counts.by_digit) o.I64(n);
        o.I64(counts.total);
        o.U64(counts.first_seq);
        o.U64(counts.last_seq);
      });
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    deadlines_.LoadState(in);
    counts_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string campaign_id = r.Str();
      std::map<std::string, DigitCounts, std::less<>>& prefectures =
          counts_
              .emplace_hint(counts_.end(), std::move(campaign_id),
                            std::map<std::string, DigitCounts, std::less<>>())
              ->second;
      r.Each([&prefectures](snapshot_io::Reader& i) {
        std::string prefecture = i.Str();
        DigitCounts counts;
        for (int64_t& n : counts.by_digit) n = i.I64();
        counts.total = i.I64();
        counts.first_seq = i.U64();
        counts.last_seq = i.U64();
        // As OnRecord keeps them: digits 1..9 add up to the total.
        int64_t left = counts.total;
        for (int64_t n : counts.by_digit) {
          if (n < 0 || n > left) throw cereal::Exception("digit counts out of range");
          left -= n;
        }
        if (left != 0 || counts.by_digit[0] != 0) {
          throw cereal::Exception("digit counts do not add up");
        }
        prefectures.insert_or_assign(prefectures.end(), std::move(prefecture), counts);
      });
    });
  }

 private:
  static std::string PrefectureOf(const projections::EntityCatalog& entities, std::string code) {
    while (true) {
      auto region = entities.regions.find(code);
      if (region == entities.regions.end() || region->second.level != RegionLevel::kCounty ||
          region->second.parent.empty()) {
        return code;
      }
      code = region->second.parent;
    }
  }

  void Judge(const DueCampaign& campaign, const projections::EntityCatalog& entities,
             FlagSink& sink) const {
    auto campaign_counts = counts_.find(campaign.id);
    if (campaign_counts == counts_.end()) return;
    for (const auto& [prefecture, counts] : campaign_counts->second) {
      if (counts.total < min_sales_) continue;
      const int64_t mad = MadBillionths(counts);
      if (mad <= max_mad_billionths_) continue;

      boost::json::array digits;
      for (std::size_t d = 1; d <= 9; ++d) digits.push_back(counts.by_digit[d]);
      FlagDraft draft;
      draft.severity = severity_;
      draft.subject = "region:" + prefecture;
      draft.region = prefecture;
      draft.window = campaign.id;
      draft.evidence = SortedEvidence({counts.first_seq, counts.last_seq});
      draft.summary = RegionLabel(entities, prefecture) + " 活动 " + campaign.id + " 期间 " +
                      std::to_string(counts.total) + " 笔销售金额的首位数字偏离本福特分布：MAD " +
                      FormatDecimal(mad, kBillion, 4) + "，阈值 " +
                      FormatDecimal(max_mad_billionths_, kBillion, 4);
      draft.details = {{"campaign_id", campaign.id},
                       {"sales", counts.total},
                       {"mad", FormatDecimal(mad, kBillion, 4)},
                       {"max_mad", FormatDecimal(max_mad_billionths_, kBillion, 4)},
                       {"first_digit_counts", std::move(digits)}};
      sink.Raise(std::move(draft));
    }
  }

  FlagSeverity severity_;
  int64_t max_mad_billionths_;
  int64_t min_sales_;
  // Judges each campaign once, grace_days after its end.
  CampaignDeadlines deadlines_;
  // Campaign id -> prefecture code -> first-digit counts of the sales
  // dated in its window, until the campaign is judged.
  std::map<std::string, std::map<std::string, DigitCounts, std::less<>>, std::less<>> counts_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeBenfordDeviation(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(double max_mad, params.Number("max_mad", 0.0, 1.0));
  FUPIN_ASSIGN_OR_RETURN(int64_t min_sales, params.Int("min_sales", 1, 1'000'000'000));
  FUPIN_ASSIGN_OR_RETURN(int64_t grace_days, params.Int("grace_days", 0, 366));
  const auto max_mad_billionths = std::llround(max_mad * static_cast<double>(kBillion));
  return std::unique_ptr<Rule>(
      std::make_unique<BenfordDeviationRule>(severity, max_mad_billionths, min_sales, grace_days));
}

}  // namespace fupin::rules
