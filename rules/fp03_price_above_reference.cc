// FP-03 price_above_reference (SPEC §4): a sale's unit price above the
// product's reference price times warning_ratio (warning) or alert_ratio
// alert. The reference is the product's current one (its latest
// certification or repricing in the log).
#include <variant>

#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

// Ratios may be set up to 100x the reference; anything beyond is a typo.
inline constexpr double kMaxPriceRatio = 100.0;

class PriceAboveReferenceRule final : public Rule {
 public:
  PriceAboveReferenceRule(int64_t warning_bp, int64_t alert_bp)
      : warning_bp_(warning_bp), alert_bp_(alert_bp) {}

  std::string_view id() const override { return "FP-03"; }
  std::string_view name() const override { return "price_above_reference"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    auto product = world.entities.products.find(sale->product_id);
    if (product == world.entities.products.end()) return;  // FP-01's case
    const int64_t reference = product->second.reference_price_fen();
    if (reference <= 0) return;
    const int64_t price = sale->unit_price_fen;
    if (!ExceedsRatio(price, reference, warning_bp_)) return;
    const bool alert = ExceedsRatio(price, reference, alert_bp_);

    FlagDraft draft;
    draft.severity = alert ? FlagSeverity::kAlert : FlagSeverity::kWarning;
    draft.subject = "product:" + sale->product_id;
    draft.region = product->second.origin_region;
    draft.evidence = {record.seq};
    draft.summary = "单价 " + FormatYuan(price) + " 元，高于参考价 " + FormatYuan(reference) +
                    " 元 " + FormatPercent(price - reference, reference) + "%（" +
                    (alert ? "告警" : "预警") + "阈值 " +
                    FormatBasisPoints(alert ? alert_bp_ : warning_bp_) + " 倍）";
    draft.details["sale_id"] = sale->sale_id;
    draft.details["outlet_id"] = sale->outlet_id;
    draft.details["unit_price_fen"] = price;
    draft.details["reference_price_fen"] = reference;
    draft.details["ratio"] = FormatDecimal(price, reference, 4);
    draft.details["threshold_ratio"] = FormatBasisPoints(alert ? alert_bp_ : warning_bp_);
    sink.Raise(std::move(draft));
  }

 private:
  int64_t warning_bp_;
  int64_t alert_bp_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakePriceAboveReference(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(double warning, params.Number("warning_ratio", 1.0, kMaxPriceRatio));
  FUPIN_ASSIGN_OR_RETURN(double alert, params.Number("alert_ratio", 1.0, kMaxPriceRatio));
  if (alert < warning) {
    return Status(ErrorCode::kInvalidArgument,
                  "rules config: " + params.rule_id() + ".alert_ratio must be >= warning_ratio (" +
                      FormatFixed(warning, 2) + "), got " + FormatFixed(alert, 2));
  }
  return std::unique_ptr<Rule>(
      std::make_unique<PriceAboveReferenceRule>(ToBasisPoints(warning), ToBasisPoints(alert)));
}

}  // namespace fupin::rules
