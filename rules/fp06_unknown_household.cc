// FP-06 unknown_household (SPEC §4): a benefit claim (product.certified)
// or a benefit payment (benefit.paid) names a household that is not
// registered at that point of the log. The subject is the supplier that
// claims or pays.
#include <boost/json/array.hpp>
#include <variant>

#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

// Households named in a summary; the details list them all.
inline constexpr std::size_t kHouseholdsInSummary = 5;

class UnknownHouseholdRule final : public Rule {
 public:
  explicit UnknownHouseholdRule(FlagSeverity severity) : severity_(severity) {}

  std::string_view id() const override { return "FP-06"; }
  std::string_view name() const override { return "unknown_household"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    if (const auto* claim = std::get_if<ProductCertified>(&record.body)) {
      Check(record, world, claim->supplier_id, claim->benefit.households, "claim",
            "产品 " + claim->product_id + " 的带贫名单", claim->product_id, sink);
    } else if (const auto* paid = std::get_if<BenefitPaid>(&record.body)) {
      std::vector<std::string> households;
      for (const BenefitPayment& payment : paid->payments) {
        households.push_back(payment.household_id);
      }
      Check(record, world, paid->supplier_id, households, "payment",
            "带贫收益发放（" + paid->period_from + " 至 " + paid->period_to + "）", "", sink);
    }
  }

 private:
  void Check(const DecodedRecord& record, const World& world, const std::string& supplier_id,
             const std::vector<std::string>& households, std::string_view source,
             const std::string& what, const std::string& product_id, FlagSink& sink) const {
    boost::json::array unknown;
    std::string named;
    for (const std::string& household : households) {
      if (world.entities.households.contains(household)) continue;
      if (unknown.size() < kHouseholdsInSummary) named += (unknown.empty() ? "" : "、") + household;
      unknown.emplace_back(household);
    }
    if (unknown.empty()) return;

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "supplier:" + supplier_id;
    draft.region = SupplierRegion(world.entities, supplier_id);
    draft.evidence = {record.seq};
    draft.summary = what + "中有 " + std::to_string(unknown.size()) + " 户（共 " +
                    std::to_string(households.size()) + " 户）未登记：" + named +
                    (unknown.size() > kHouseholdsInSummary ? " 等" : "");
    draft.details["source"] = source;
    if (!product_id.empty()) draft.details["product_id"] = product_id;
    draft.details["households_named"] = static_cast<int64_t>(households.size());
    draft.details["unknown_households"] = static_cast<int64_t>(unknown.size());
    draft.details["households"] = std::move(unknown);
    sink.Raise(std::move(draft));
  }

  FlagSeverity severity_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeUnknownHousehold(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  return std::unique_ptr<Rule>(std::make_unique<UnknownHouseholdRule>(severity));
}

}  // namespace fupin::rules
