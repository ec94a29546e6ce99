// FP-10 origin_not_poverty_area (SPEC §4): a certified product whose
// origin is not a poverty county, or not the county its supplier is
// registered in (a product bought in elsewhere and relabelled).
#include <variant>

#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

class OriginNotPovertyAreaRule final : public Rule {
 public:
  explicit OriginNotPovertyAreaRule(FlagSeverity severity) : severity_(severity) {}

  std::string_view id() const override { return "FP-10"; }
  std::string_view name() const override { return "origin_not_poverty_area"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* certified = std::get_if<ProductCertified>(&record.body);
    if (certified == nullptr) return;
    const std::string& origin = certified->origin_region;
    auto region = world.entities.regions.find(origin);
    const bool poverty = region != world.entities.regions.end() && region->second.poverty_county;
    auto supplier = world.entities.suppliers.find(certified->supplier_id);
    const std::string supplier_region =
        supplier != world.entities.suppliers.end() ? supplier->second.region : "";
    const bool supplier_county = origin == supplier_region;
    if (poverty && supplier_county) return;

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "product:" + certified->product_id;
    draft.region = origin;
    draft.evidence = {record.seq};
    std::string why;
    if (!poverty) why = "不是贫困县";
    if (!supplier_county) {
      why += std::string(why.empty() ? "" : "，且") + "不在供应商 " + certified->supplier_id +
             " 所在地 " + RegionLabel(world.entities, supplier_region);
    }
    draft.summary = "产品产地 " + RegionLabel(world.entities, origin) + " " + why;
    draft.details["origin_region"] = origin;
    draft.details["poverty_county"] = poverty;
    draft.details["supplier_id"] = certified->supplier_id;
    draft.details["supplier_region"] = supplier_region;
    sink.Raise(std::move(draft));
  }

 private:
  FlagSeverity severity_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeOriginNotPovertyArea(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  return std::unique_ptr<Rule>(std::make_unique<OriginNotPovertyAreaRule>(severity));
}

}  // namespace fupin::rules
