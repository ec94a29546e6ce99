// FP-02 inactive_outlet (SPEC §4): a sale at an outlet that, at the sale's
// occurred_at, was unknown, not yet deployed or already closed.
#include <variant>

#include "ledger/time.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

class InactiveOutletRule final : public Rule {
 public:
  explicit InactiveOutletRule(FlagSeverity severity) : severity_(severity) {}

  std::string_view id() const override { return "FP-02"; }
  std::string_view name() const override { return "inactive_outlet"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "outlet:" + sale->outlet_id;
    draft.region = std::string(kProvinceRegion);
    draft.evidence = {record.seq};
    std::string_view reason;
    std::string why;
    auto it = world.entities.outlets.find(sale->outlet_id);
    if (it == world.entities.outlets.end()) {
      reason = "unknown_outlet";
      why = "网点从未部署";
    } else {
      const projections::OutletEntity& outlet = it->second;
      draft.region = outlet.region;
      if (outlet.deployed.occurred_at_ms > record.occurred_at_ms) {
        reason = "not_yet_deployed";
        why = "网点尚未部署（部署于 " + FormatDate(ShanghaiDay(outlet.deployed.occurred_at_ms)) +
              "）";
        draft.evidence.insert(draft.evidence.begin(), outlet.deployed.seq);
      } else if (outlet.closed_at && outlet.closed_at->occurred_at_ms <= record.occurred_at_ms) {
        reason = "closed";
        why = "网点已于 " + FormatDate(ShanghaiDay(outlet.closed_at->occurred_at_ms)) + " 关闭";
        draft.evidence.insert(draft.evidence.begin(), outlet.closed_at->seq);
      } else {
        return;
      }
    }
    const std::string sale_date = FormatDate(record.occurred_day);
    draft.summary = "销售 " + sale->sale_id + "（" + sale_date + "，金额 " +
                    FormatYuan(sale->amount_fen) + " 元）时，" + why;
    draft.details["reason"] = reason;
    draft.details["sale_id"] = sale->sale_id;
    draft.details["product_id"] = sale->product_id;
    draft.details["sale_date"] = sale_date;
    draft.details["amount_fen"] = sale->amount_fen;
    sink.Raise(std::move(draft));
  }

 private:
  FlagSeverity severity_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeInactiveOutlet(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  return std::unique_ptr<Rule>(std::make_unique<InactiveOutletRule>(severity));
}

}  // namespace fupin::rules
