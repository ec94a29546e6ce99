// FP-11 sales_exceed_capacity (SPEC §4): a product's cumulative recorded
// sales exceed max_ratio × its certified annual value (商品价值量). A
// product cannot honestly sell more than it can produce; volume beyond
// that is bought elsewhere and relabelled, or fictitious.
//
// Cumulative means every sale recorded, whatever its date, and gross of
// refunds: a refunded sale was still booked against the product's
// capacity. Every sale past the limit raises again, so later sales become
// extra evidence of the open flag.
#include <map>
#include <memory>
#include <string>

#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

class SalesExceedCapacityRule final : public Rule {
 public:
  SalesExceedCapacityRule(FlagSeverity severity, int64_t max_ratio_bp)
      : severity_(severity), max_ratio_bp_(max_ratio_bp) {}

  std::string_view id() const override { return "FP-11"; }
  std::string_view name() const override { return "sales_exceed_capacity"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    int64_t& cumulative = cumulative_fen_[sale->product_id];
    cumulative += sale->amount_fen;
    auto product = world.entities.products.find(sale->product_id);
    if (product == world.entities.products.end()) return;
    const int64_t annual = product->second.annual_value_fen;
    if (!ExceedsRatio(cumulative, annual, max_ratio_bp_)) return;

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "product:" + sale->product_id;
    draft.region = product->second.origin_region;
    draft.evidence = {record.seq};
    draft.summary = "产品 " + sale->product_id + " 累计销售 " + FormatYuan(cumulative) +
                    " 元，超过年商品价值量 " + FormatYuan(annual) + " 元的 " +
                    FormatBasisPoints(max_ratio_bp_) + " 倍";
    draft.details = {{"cumulative_sales_fen", cumulative},
                     {"annual_value_fen", annual},
                     {"max_ratio_bp", max_ratio_bp_}};
    // A product certified with no annual value (0 is valid) has no ratio.
    if (annual > 0) {
      draft.summary += "（为 " + FormatDecimal(cumulative, annual, 4) + " 倍）";
      draft.details["ratio"] = FormatDecimal(cumulative, annual, 4);
    }
    sink.Raise(std::move(draft));
  }

  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(cumulative_fen_, [](snapshot_io::Writer& w, const auto& product) {
      w.Str(product.first);
      w.I64(product.second);
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    cumulative_fen_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string product_id = r.Str();
      const int64_t cumulative = r.I64();
      cumulative_fen_.insert_or_assign(cumulative_fen_.end(), std::move(product_id), cumulative);
    });
  }

 private:
  FlagSeverity severity_;
  int64_t max_ratio_bp_;
  // Product id -> every sale recorded so far, in fen. One entry per
  // product sold: bounded by the catalog, not by time.
  std::map<std::string, int64_t, std::less<>> cumulative_fen_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeSalesExceedCapacity(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  // Below 1 would flag honest products halfway through their harvest; the
  // upper bound only keeps basis points far from overflow.
  FUPIN_ASSIGN_OR_RETURN(double max_ratio, params.Number("max_ratio", 1.0, 1000.0));
  return std::unique_ptr<Rule>(
      std::make_unique<SalesExceedCapacityRule>(severity, ToBasisPoints(max_ratio)));
}

}  // namespace fupin::rules
