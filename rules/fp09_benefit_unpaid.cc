// FP-09 benefit_unpaid (SPEC §4): deadline_days after a campaign's
// ends_on, a product fewer than min_paid_ratio of whose claimed households
// received a benefit.paid from the product's supplier before the deadline
// (the end of ends_on + deadline_days, Asia/Shanghai).
//
// State: per supplier and household, the business time of its earliest
// payment; the claims are the products' current ones (entity projection).
#include <map>
#include <variant>

#include "ledger/time.h"
#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

class BenefitUnpaidRule final : public Rule {
 public:
  BenefitUnpaidRule(FlagSeverity severity, int64_t min_paid_bp, int64_t deadline_days)
      : severity_(severity), min_paid_bp_(min_paid_bp), deadlines_(deadline_days) {}

  std::string_view id() const override { return "FP-09"; }
  std::string_view name() const override { return "benefit_unpaid"; }

  void OnRecord(const DecodedRecord& record, const World&, FlagSink&) override {
    const auto* paid = std::get_if<BenefitPaid>(&record.body);
    if (paid == nullptr) return;
    std::map<std::string, int64_t, std::less<>>& first_paid = first_paid_[paid->supplier_id];
    for (const BenefitPayment& payment : paid->payments) {
      auto [it, added] = first_paid.emplace(payment.household_id, record.occurred_at_ms);
      if (!added && record.occurred_at_ms < it->second) it->second = record.occurred_at_ms;
    }
  }

  void OnClock(int64_t, const DecodedRecord&, const World& world, FlagSink& sink) override {
    for (const DueCampaign& due : deadlines_.Due(world)) Close(due, world, sink);
  }

  void SaveState(snapshot_io::Writer& out) const override {
    deadlines_.SaveState(out);
    out.Each(first_paid_, [](snapshot_io::Writer& w, const auto& supplier) {
      w.Str(supplier.first);
      w.Each(supplier.second, [](snapshot_io::Writer& o, const auto& household) {
        o.Str(household.first);
        o.I64(household.second);
      });
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    deadlines_.LoadState(in);
    first_paid_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string supplier_id = r.Str();
      std::map<std::string, int64_t, std::less<>>& first_paid =
          first_paid_
              .emplace_hint(first_paid_.end(), std::move(supplier_id),
                            std::map<std::string, int64_t, std::less<>>())
              ->second;
      r.Each([&first_paid](snapshot_io::Reader& i) {
        std::string household_id = i.Str();
        const int64_t occurred_at_ms = i.I64();
        first_paid.insert_or_assign(first_paid.end(), std::move(household_id), occurred_at_ms);
      });
    });
  }

 private:
  void Close(const DueCampaign& due, const World& world, FlagSink& sink) const {
    const int64_t deadline_ms = ShanghaiDayEndMillis(due.deadline_day);
    const std::string deadline = FormatDate(due.deadline_day);
    for (const auto& [product_id, product] : world.entities.products) {
      const auto claimed = static_cast<int64_t>(product.households.size());
      if (claimed == 0) continue;
      int64_t paid = 0;
      auto payments = first_paid_.find(product.supplier_id);
      if (payments != first_paid_.end()) {
        for (const std::string& household : product.households) {
          auto first = payments->second.find(household);
          if (first != payments->second.end() && first->second < deadline_ms) ++paid;
        }
      }
      if (!BelowRatio(paid, claimed, min_paid_bp_)) continue;

      FlagDraft draft;
      draft.severity = severity_;
      draft.subject = "product:" + product_id;
      draft.region = product.origin_region;
      draft.window = due.id;
      if (!product.certifications.empty()) {
        draft.evidence = {product.certifications.back().seq};
      }
      draft.summary = "截至 " + deadline + "，产品认领带贫 " + std::to_string(claimed) +
                      " 户，仅 " + std::to_string(paid) + " 户（" + FormatPercent(paid, claimed) +
                      "%）收到供应商 " + product.supplier_id + " 的带贫收益，低于 " +
                      FormatPercent(min_paid_bp_, kBasisPointsPerUnit) + "%";
      draft.details["campaign_id"] = due.id;
      draft.details["supplier_id"] = product.supplier_id;
      draft.details["deadline"] = deadline;
      draft.details["households"] = claimed;
      draft.details["paid_households"] = paid;
      draft.details["paid_ratio"] = FormatDecimal(paid, claimed, 4);
      draft.details["min_paid_ratio"] = FormatBasisPoints(min_paid_bp_);
      sink.Raise(std::move(draft));
    }
  }

  FlagSeverity severity_;
  int64_t min_paid_bp_;
  CampaignDeadlines deadlines_;
  // supplier -> household -> occurred_at of its earliest payment.
  std::map<std::string, std::map<std::string, int64_t, std::less<>>, std::less<>> first_paid_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeBenefitUnpaid(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(double min_paid, params.Number("min_paid_ratio", 0.0, 1.0));
  FUPIN_ASSIGN_OR_RETURN(int64_t deadline_days, params.Int("deadline_days", 0, 3660));
  return std::unique_ptr<Rule>(
      std::make_unique<BenefitUnpaidRule>(severity, ToBasisPoints(min_paid), deadline_days));
}

}  // namespace fupin::rules
