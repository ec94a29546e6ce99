// FP-01 uncertified_sale (SPEC §4): a sale of a product that, at the
// sale's occurred_at, was unknown, not yet certified, outside its
// certificate's validity or revoked.
//
// The product's standing is read from the statistics projection's
// certification timeline (ordered by business time), the same standing
// that decides whether a sale counts in the 附件统计表 (SPEC §3), so a
// flagged sale is exactly a sale the statistics leave out.
#include <algorithm>
#include <variant>

#include "ledger/time.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

enum class Standing {
  kCertified,
  kUnknownProduct,
  kNotYetCertified,
  kRevoked,
  kNotYetValid,
  kExpired
};

struct StandingAt {
  Standing standing = Standing::kCertified;
  const projections::ProductEvent* entry = nullptr;  // the timeline entry in force
};

StandingAt StandingOf(const projections::StatisticsState& statistics, std::string_view product_id,
                      int64_t at_ms, int32_t day) {
  std::optional<uint32_t> index = statistics.product_ids.Find(product_id);
  if (!index) return {Standing::kUnknownProduct, nullptr};
  const std::vector<projections::ProductEvent>& timeline = statistics.products[*index].timeline;
  auto after = std::upper_bound(
      timeline.begin(), timeline.end(), at_ms,
      [](int64_t ms, const projections::ProductEvent& entry) { return ms < entry.occurred_ms; });
  if (after == timeline.begin()) return {Standing::kNotYetCertified, nullptr};
  const projections::ProductEvent& entry = *std::prev(after);
  if (entry.revocation != 0) return {Standing::kRevoked, &entry};
  if (day < entry.valid_from_day) return {Standing::kNotYetValid, &entry};
  if (day > entry.valid_to_day) return {Standing::kExpired, &entry};
  return {Standing::kCertified, &entry};
}

std::string_view ReasonCode(Standing standing) {
  switch (standing) {
    case Standing::kUnknownProduct:
      return "unknown_product";
    case Standing::kNotYetCertified:
      return "not_yet_certified";
    case Standing::kRevoked:
      return "revoked";
    case Standing::kNotYetValid:
      return "not_yet_valid";
    case Standing::kExpired:
      return "expired";
    case Standing::kCertified:
      break;
  }
  return "certified";
}

std::string Reason(const StandingAt& at) {
  switch (at.standing) {
    case Standing::kUnknownProduct:
      return "产品从未认证";
    case Standing::kNotYetCertified:
      return "产品在销售时尚未认证";
    case Standing::kRevoked:
      return "产品认证已于 " + FormatDate(ShanghaiDay(at.entry->occurred_ms)) + " 撤销";
    case Standing::kNotYetValid:
      return "认证尚未生效（有效期自 " + FormatDate(at.entry->valid_from_day) + " 起）";
    case Standing::kExpired:
      return "认证已过期（有效期至 " + FormatDate(at.entry->valid_to_day) + "）";
    case Standing::kCertified:
      break;
  }
  return "产品已认证";
}

class UncertifiedSaleRule final : public Rule {
 public:
  explicit UncertifiedSaleRule(FlagSeverity severity) : severity_(severity) {}

  std::string_view id() const override { return "FP-01"; }
  std::string_view name() const override { return "uncertified_sale"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    const StandingAt at =
        StandingOf(world.statistics, sale->product_id, record.occurred_at_ms, record.occurred_day);
    if (at.standing == Standing::kCertified) return;

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "product:" + sale->product_id;
    draft.region = RegionOfSale(world, *sale);
    draft.evidence = {record.seq};
    if (at.entry != nullptr) draft.evidence.insert(draft.evidence.begin(), at.entry->seq);
    const std::string sale_date = FormatDate(record.occurred_day);
    draft.summary = "销售 " + sale->sale_id + "（" + sale_date + "，金额 " +
                    FormatYuan(sale->amount_fen) + " 元）时，" + Reason(at);
    draft.details["reason"] = ReasonCode(at.standing);
    draft.details["sale_id"] = sale->sale_id;
    draft.details["outlet_id"] = sale->outlet_id;
    draft.details["sale_date"] = sale_date;
    draft.details["amount_fen"] = sale->amount_fen;
    sink.Raise(std::move(draft));
  }

 private:
  // The product's origin; for a product never certified, the outlet's
  // region, where the sale happened.
  static std::string RegionOfSale(const World& world, const SaleRecorded& sale) {
    if (auto product = world.entities.products.find(sale.product_id);
        product != world.entities.products.end()) {
      return product->second.origin_region;
    }
    if (auto outlet = world.entities.outlets.find(sale.outlet_id);
        outlet != world.entities.outlets.end()) {
      return outlet->second.region;
    }
    return std::string(kProvinceRegion);
  }

  FlagSeverity severity_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeUncertifiedSale(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  return std::unique_ptr<Rule>(std::make_unique<UncertifiedSaleRule>(severity));
}

}  // namespace fupin::rules
