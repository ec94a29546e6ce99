// FP-16 people_claimed_inflated (SPEC §4): a product's benefit claim says
// it lifts more people (people_claimed) than the registered members of the
// households the claim lists. The claim is judged when it is made, at
// product.certified, against the households registered by then; a listed
// household not registered counts 0 members (FP-06 flags it as unknown).
#include <memory>
#include <string>
#include <vector>

#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

class PeopleClaimedInflatedRule final : public Rule {
 public:
  explicit PeopleClaimedInflatedRule(FlagSeverity severity) : severity_(severity) {}

  std::string_view id() const override { return "FP-16"; }
  std::string_view name() const override { return "people_claimed_inflated"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* product = std::get_if<ProductCertified>(&record.body);
    if (product == nullptr) return;
    const BenefitClaim& claim = product->benefit;
    int64_t registered_members = 0;
    int64_t unregistered = 0;
    std::vector<uint64_t> seqs = {record.seq};
    for (const std::string& household_id : claim.households) {
      auto household = world.entities.households.find(household_id);
      if (household == world.entities.households.end()) {
        ++unregistered;
        continue;
      }
      registered_members += household->second.members;
      seqs.push_back(household->second.registered.seq);
    }
    if (claim.people_claimed <= registered_members) return;

    const auto listed = static_cast<int64_t>(claim.households.size());
    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "product:" + product->product_id;
    draft.region = product->origin_region;
    draft.evidence = SortedEvidence(std::move(seqs));
    draft.summary = "产品 " + product->product_id + " 声称带贫 " +
                    std::to_string(claim.people_claimed) + " 人，所列 " + std::to_string(listed) +
                    " 户登记人口合计 " + std::to_string(registered_members) + " 人";
    if (unregistered > 0) {
      draft.summary += "（其中 " + std::to_string(unregistered) + " 户未登记）";
    }
    draft.details = {{"people_claimed", claim.people_claimed},
                     {"registered_members", registered_members},
                     {"households_listed", listed},
                     {"households_unregistered", unregistered}};
    sink.Raise(std::move(draft));
  }

 private:
  FlagSeverity severity_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakePeopleClaimedInflated(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  return std::unique_ptr<Rule>(std::make_unique<PeopleClaimedInflatedRule>(severity));
}

}  // namespace fupin::rules
