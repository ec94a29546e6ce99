// FP-08 benefit_without_sales (SPEC §4): when a campaign's window closes
// (grace_days after ends_on, so late-booked sales are in), a supplier whose
// counted campaign sales per claimed household are below
// min_sales_per_household_fen: its 带贫 claim is not backed by trade.
//
// Counted sales are the sales the 附件统计表 counts (SPEC §3: dated in the
// window, of a product certified, valid and not revoked at the sale), by
// their recorded amount; claimed households are the distinct households
// any certification of the supplier's products ever named.
#include <map>
#include <set>

#include "ledger/time.h"
#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

struct SupplierTotals {
  int64_t counted_sales_fen = 0;
  int64_t refunded_fen = 0;  // of those sales, for the supervisor
  int64_t counted_sales = 0;
  std::set<uint32_t> households;  // statistics household indexes
  std::vector<uint64_t> certifications;
};

class BenefitWithoutSalesRule final : public Rule {
 public:
  BenefitWithoutSalesRule(FlagSeverity severity, int64_t min_per_household_fen, int64_t grace_days)
      : severity_(severity),
        min_per_household_fen_(min_per_household_fen),
        deadlines_(grace_days) {}

  std::string_view id() const override { return "FP-08"; }
  std::string_view name() const override { return "benefit_without_sales"; }

  void OnRecord(const DecodedRecord&, const World&, FlagSink&) override {}

  void OnClock(int64_t, const DecodedRecord&, const World& world, FlagSink& sink) override {
    for (const DueCampaign& due : deadlines_.Due(world)) Close(due, world, sink);
  }

  // The campaigns judged; the totals are read from the projections at
  // judgement.
  void SaveState(snapshot_io::Writer& out) const override { deadlines_.SaveState(out); }
  void LoadState(snapshot_io::Reader& in) override { deadlines_.LoadState(in); }

 private:
  static std::map<std::string, SupplierTotals> Totals(const DueCampaign& due, const World& world) {
    const projections::StatisticsState& statistics = world.statistics;
    std::map<std::string, SupplierTotals> totals;
    for (const auto& [product_id, product] : world.entities.products) {
      std::optional<uint32_t> index = statistics.product_ids.Find(product_id);
      if (!index) continue;
      const projections::ProductFacts& facts = statistics.products[*index];
      SupplierTotals& supplier = totals[product.supplier_id];
      supplier.households.insert(facts.households.begin(), facts.households.end());
      for (const projections::Stamp& certification : product.certifications) {
        supplier.certifications.push_back(certification.seq);
      }
      for (uint32_t s : facts.sales) {
        const projections::SaleFact& sale = statistics.sales[s];
        const int32_t day = ShanghaiDay(sale.occurred_ms);
        if (sale.eligible == 0 || day < due.starts_day || day > due.ends_day) continue;
        supplier.counted_sales_fen += sale.amount_fen;
        supplier.refunded_fen += sale.refunded_fen;
        ++supplier.counted_sales;
      }
    }
    return totals;
  }

  void Close(const DueCampaign& due, const World& world, FlagSink& sink) const {
    for (auto& [supplier_id, totals] : Totals(due, world)) {
      const auto households = static_cast<int64_t>(totals.households.size());
      if (households == 0) continue;
      // sales / households < minimum, without division (the summary shows
      // the quotient rounded down, so it never reads as the minimum).
      if (totals.counted_sales_fen >= min_per_household_fen_ * households) continue;

      FlagDraft draft;
      draft.severity = severity_;
      draft.subject = "supplier:" + supplier_id;
      draft.region = SupplierRegion(world.entities, supplier_id);
      draft.window = due.id;
      draft.evidence = SortedEvidence(std::move(totals.certifications));
      draft.summary = "活动 " + due.id + " 计入销售 " + FormatYuan(totals.counted_sales_fen) +
                      " 元，认领带贫 " + std::to_string(households) + " 户，户均 " +
                      FormatYuan(totals.counted_sales_fen / households) + " 元，低于 " +
                      FormatYuan(min_per_household_fen_) + " 元";
      draft.details["campaign_id"] = due.id;
      draft.details["counted_sales_fen"] = totals.counted_sales_fen;
      draft.details["counted_sales"] = totals.counted_sales;
      draft.details["refunded_fen"] = totals.refunded_fen;
      draft.details["households"] = households;
      draft.details["sales_per_household_fen"] = totals.counted_sales_fen / households;
      draft.details["min_sales_per_household_fen"] = min_per_household_fen_;
      sink.Raise(std::move(draft));
    }
  }

  FlagSeverity severity_;
  int64_t min_per_household_fen_;
  CampaignDeadlines deadlines_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeBenefitWithoutSales(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  // Up to 1亿元 per household: far beyond any plausible threshold.
  FUPIN_ASSIGN_OR_RETURN(int64_t minimum,
                         params.Int("min_sales_per_household_fen", 1, 10'000'000'000));
  FUPIN_ASSIGN_OR_RETURN(int64_t grace_days, params.Int("grace_days", 0, 366));
  return std::unique_ptr<Rule>(
      std::make_unique<BenefitWithoutSalesRule>(severity, minimum, grace_days));
}

}  // namespace fupin::rules
