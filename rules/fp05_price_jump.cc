// FP-05 price_jump (SPEC §4): a Hampel filter per outlet and product. A
// sale's unit price fires when it lies more than mad_factor·1.4826·MAD from
// the median of the outlet's last `history` prices of that product and
// changes by more than min_change_ratio from that median. Nothing is
// decided before `history` prices are known.
#include <deque>
#include <map>
#include <utility>
#include <variant>

#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

// 1.4826 = 1/Φ⁻¹(3/4): scales the MAD of normal data to its standard
// deviation, the usual Hampel constant.
inline constexpr double kMadToSigma = 1.4826;

struct PricedSale {
  uint64_t seq = 0;
  int64_t unit_price_fen = 0;
};

class PriceJumpRule final : public Rule {
 public:
  PriceJumpRule(FlagSeverity severity, int64_t history, double mad_factor, int64_t min_change_bp)
      : severity_(severity),
        history_(static_cast<std::size_t>(history)),
        mad_factor_(mad_factor),
        min_change_bp_(min_change_bp) {}

  std::string_view id() const override { return "FP-05"; }
  std::string_view name() const override { return "price_jump"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    std::deque<PricedSale>& history = history_by_pair_[{sale->outlet_id, sale->product_id}];
    if (history.size() >= history_) Evaluate(record, *sale, history, world, sink);
    history.push_back({record.seq, sale->unit_price_fen});
    if (history.size() > history_) history.pop_front();
  }

  // The histories; prices_ and scratch_ only serve one sale's evaluation.
  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(history_by_pair_, [](snapshot_io::Writer& w, const auto& entry) {
      w.Str(entry.first.first);
      w.Str(entry.first.second);
      w.Each(entry.second, [](snapshot_io::Writer& o, const PricedSale& past) {
        o.U64(past.seq);
        o.I64(past.unit_price_fen);
      });
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    history_by_pair_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string outlet_id = r.Str();
      std::string product_id = r.Str();
      std::deque<PricedSale>& history =
          history_by_pair_
              .emplace_hint(history_by_pair_.end(),
                            std::make_pair(std::move(outlet_id), std::move(product_id)),
                            std::deque<PricedSale>())
              ->second;
      r.Each([&history](snapshot_io::Reader& i) {
        PricedSale past;
        past.seq = i.U64();
        past.unit_price_fen = i.I64();
        history.push_back(past);
      });
    });
  }

 private:
  void Evaluate(const DecodedRecord& record, const SaleRecorded& sale,
                const std::deque<PricedSale>& history, const World& world, FlagSink& sink) {
    prices_.clear();
    for (const PricedSale& past : history) prices_.push_back(past.unit_price_fen);
    const int64_t doubled_median = DoubledMedian(prices_);
    const int64_t quadrupled_mad = QuadrupledMad(prices_, doubled_median, scratch_);
    const int64_t doubled_change = 2 * sale.unit_price_fen - doubled_median;
    const int64_t doubled_jump = doubled_change < 0 ? -doubled_change : doubled_change;
    // |x − median| > k·1.4826·MAD  <=>  2·|2x − 2·median| > k·1.4826·(4·MAD).
    const bool outlier = 2.0 * static_cast<double>(doubled_jump) >
                         mad_factor_ * kMadToSigma * static_cast<double>(quadrupled_mad);
    if (!outlier || doubled_median <= 0 ||
        !ExceedsRatio(doubled_jump, doubled_median, min_change_bp_)) {
      return;
    }

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "outlet:" + sale.outlet_id;
    auto outlet = world.entities.outlets.find(sale.outlet_id);
    draft.region = outlet != world.entities.outlets.end() ? outlet->second.region
                                                          : std::string(kProvinceRegion);
    for (const PricedSale& past : history) draft.evidence.push_back(past.seq);
    draft.evidence.push_back(record.seq);
    draft.summary = "产品 " + sale.product_id + " 单价 " + FormatYuan(sale.unit_price_fen) +
                    " 元，较本网点最近 " + std::to_string(history.size()) + " 笔中位数 " +
                    FormatDecimal(doubled_median, 200, 2) + " 元" +
                    (doubled_change > 0 ? "上涨 " : "下降 ") +
                    FormatPercent(doubled_jump, doubled_median) + "%（MAD " +
                    FormatDecimal(quadrupled_mad, 400, 2) + " 元）";
    draft.details["product_id"] = sale.product_id;
    draft.details["sale_id"] = sale.sale_id;
    draft.details["unit_price_fen"] = sale.unit_price_fen;
    draft.details["history"] = static_cast<int64_t>(history.size());
    draft.details["median_fen"] = FormatDecimal(doubled_median, 2, 1);
    draft.details["mad_fen"] = FormatDecimal(quadrupled_mad, 4, 2);
    draft.details["change_ratio"] = FormatDecimal(doubled_change, doubled_median, 4);
    draft.details["min_change_ratio"] = FormatBasisPoints(min_change_bp_);
    sink.Raise(std::move(draft));
  }

  FlagSeverity severity_;
  std::size_t history_;
  double mad_factor_;
  int64_t min_change_bp_;
  // (outlet, product) -> its last `history_` prices there, oldest first.
  std::map<std::pair<std::string, std::string>, std::deque<PricedSale>> history_by_pair_;
  std::vector<int64_t> prices_;   // reused per sale
  std::vector<int64_t> scratch_;  // reused per sale
};

}  // namespace

Result<std::unique_ptr<Rule>> MakePriceJump(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  // A median and a MAD of fewer than three prices say nothing robust.
  FUPIN_ASSIGN_OR_RETURN(int64_t history, params.Int("history", 3, 1000));
  FUPIN_ASSIGN_OR_RETURN(double mad_factor, params.Number("mad_factor", 0.0, 100.0));
  FUPIN_ASSIGN_OR_RETURN(double min_change, params.Number("min_change_ratio", 0.0, 100.0));
  return std::unique_ptr<Rule>(
      std::make_unique<PriceJumpRule>(severity, history, mad_factor, ToBasisPoints(min_change)));
}

}  // namespace fupin::rules
