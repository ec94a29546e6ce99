// FP-07 household_overclaimed (SPEC §4): one household in the benefit
// claims of at least min_suppliers distinct suppliers at once, or of at
// least min_employment_suppliers distinct suppliers under `employment`
// (one person rarely holds two jobs). "At once" means the claims in force:
// each product's latest certification; a renewal replaces its product's
// claim. Fires on the certification that reaches a threshold.
#include <algorithm>
#include <boost/json/array.hpp>
#include <map>
#include <set>
#include <variant>

#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

struct Claim {
  std::string supplier_id;
  bool employment = false;
  uint64_t seq = 0;  // the certification that made it
};

class HouseholdOverclaimedRule final : public Rule {
 public:
  HouseholdOverclaimedRule(FlagSeverity severity, int64_t min_suppliers,
                           int64_t min_employment_suppliers)
      : severity_(severity),
        min_suppliers_(static_cast<std::size_t>(min_suppliers)),
        min_employment_suppliers_(static_cast<std::size_t>(min_employment_suppliers)) {}

  std::string_view id() const override { return "FP-07"; }
  std::string_view name() const override { return "household_overclaimed"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* certified = std::get_if<ProductCertified>(&record.body);
    if (certified == nullptr) return;
    Replace(record.seq, *certified);
    for (const std::string& household : certified->benefit.households) {
      Evaluate(record, household, *certified, world, sink);
    }
  }

  // Both maps as they are (the claims carry what the lists do not).
  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(claims_by_household_, [](snapshot_io::Writer& w, const auto& household) {
      w.Str(household.first);
      w.Each(household.second, [](snapshot_io::Writer& o, const auto& product) {
        o.Str(product.first);
        o.Str(product.second.supplier_id);
        o.Bool(product.second.employment);
        o.U64(product.second.seq);
      });
    });
    out.Each(households_of_product_, [](snapshot_io::Writer& w, const auto& product) {
      w.Str(product.first);
      w.List(product.second,
             [](snapshot_io::Writer& o, const std::string& household) { o.Str(household); });
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    claims_by_household_.clear();
    households_of_product_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string household = r.Str();
      std::map<std::string, Claim>& claims =
          claims_by_household_
              .emplace_hint(claims_by_household_.end(), std::move(household),
                            std::map<std::string, Claim>())
              ->second;
      r.Each([&claims](snapshot_io::Reader& i) {
        std::string product_id = i.Str();
        Claim claim;
        claim.supplier_id = i.Str();
        claim.employment = i.Bool();
        claim.seq = i.U64();
        claims.insert_or_assign(claims.end(), std::move(product_id), std::move(claim));
      });
    });
    in.Each([this](snapshot_io::Reader& r) {
      std::string product_id = r.Str();
      r.List(households_of_product_[product_id],
             [](snapshot_io::Reader& i, std::string& household) { household = i.Str(); });
    });
  }

 private:
  void Replace(uint64_t seq, const ProductCertified& certified) {
    std::vector<std::string>& listed = households_of_product_[certified.product_id];
    for (const std::string& household : listed) {
      auto claims = claims_by_household_.find(household);
      if (claims == claims_by_household_.end()) continue;
      claims->second.erase(certified.product_id);
      if (claims->second.empty()) claims_by_household_.erase(claims);
    }
    listed = certified.benefit.households;
    const bool employment =
        std::find(certified.benefit.mechanisms.begin(), certified.benefit.mechanisms.end(),
                  BenefitMechanism::kEmployment) != certified.benefit.mechanisms.end();
    for (const std::string& household : listed) {
      claims_by_household_[household][certified.product_id] =
          Claim{certified.supplier_id, employment, seq};
    }
  }

  void Evaluate(const DecodedRecord& record, const std::string& household,
                const ProductCertified& certified, const World& world, FlagSink& sink) const {
    const std::map<std::string, Claim>& claims = claims_by_household_.at(household);
    std::set<std::string> suppliers;
    std::set<std::string> employment_suppliers;
    for (const auto& [product_id, claim] : claims) {
      suppliers.insert(claim.supplier_id);
      if (claim.employment) employment_suppliers.insert(claim.supplier_id);
    }
    if (suppliers.size() < min_suppliers_ &&
        employment_suppliers.size() < min_employment_suppliers_) {
      return;
    }

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "household:" + household;
    auto registered = world.entities.households.find(household);
    draft.region = registered != world.entities.households.end() ? registered->second.region
                                                                 : certified.origin_region;
    boost::json::array supplier_ids;
    boost::json::array product_ids;
    std::string names;
    for (const std::string& supplier : suppliers) {
      names += (names.empty() ? "" : "、") + supplier;
      supplier_ids.emplace_back(supplier);
    }
    for (const auto& [product_id, claim] : claims) {
      draft.evidence.push_back(claim.seq);
      product_ids.emplace_back(product_id);
    }
    draft.evidence.push_back(record.seq);
    draft.evidence = SortedEvidence(std::move(draft.evidence));
    draft.summary = "住户 " + household + " 同时被 " + std::to_string(suppliers.size()) +
                    " 家供应商列入带贫名单（其中以就业帮扶 " +
                    std::to_string(employment_suppliers.size()) + " 家）：" + names;
    draft.details["suppliers"] = static_cast<int64_t>(suppliers.size());
    draft.details["employment_suppliers"] = static_cast<int64_t>(employment_suppliers.size());
    draft.details["min_suppliers"] = static_cast<int64_t>(min_suppliers_);
    draft.details["min_employment_suppliers"] = static_cast<int64_t>(min_employment_suppliers_);
    draft.details["supplier_ids"] = std::move(supplier_ids);
    draft.details["product_ids"] = std::move(product_ids);
    sink.Raise(std::move(draft));
  }

  FlagSeverity severity_;
  std::size_t min_suppliers_;
  std::size_t min_employment_suppliers_;
  // household -> product -> the product's claim in force naming it.
  std::map<std::string, std::map<std::string, Claim>, std::less<>> claims_by_household_;
  // product -> the households its claim in force names.
  std::map<std::string, std::vector<std::string>, std::less<>> households_of_product_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeHouseholdOverclaimed(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  // One supplier alone cannot over-claim: thresholds start at two.
  FUPIN_ASSIGN_OR_RETURN(int64_t min_suppliers, params.Int("min_suppliers", 2, 1000));
  FUPIN_ASSIGN_OR_RETURN(int64_t min_employment, params.Int("min_employment_suppliers", 2, 1000));
  return std::unique_ptr<Rule>(
      std::make_unique<HouseholdOverclaimedRule>(severity, min_suppliers, min_employment));
}

}  // namespace fupin::rules
