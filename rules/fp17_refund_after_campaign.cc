// FP-17 refund_after_campaign (SPEC §4): refunds dated after a campaign's
// ends_on, of sales dated in its window, exceed max_refund_ratio of the
// outlet's window sales. Buying to meet the month's target and returning
// the goods once the figures are reported inflates the statistics.
//
// Judged on each such refund: the refund that takes the outlet over the
// ratio raises, and later ones add evidence. A window sale booked after a
// refund still raises the denominator of the next refund's check.
#include <compare>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/flag_wording.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

struct CampaignOutlet {
  std::string campaign_id;
  std::string outlet_id;
  auto operator<=>(const CampaignOutlet&) const = default;
};

struct OutletWindow {
  int64_t sales_fen = 0;                   // sales dated in the window
  int64_t late_refunds_fen = 0;            // their refunds dated after ends_on
  std::vector<uint64_t> late_refund_seqs;  // the first kEvidenceKept
};

class RefundAfterCampaignRule final : public Rule {
 public:
  RefundAfterCampaignRule(FlagSeverity severity, int64_t max_refund_ratio_bp)
      : severity_(severity), max_refund_ratio_bp_(max_refund_ratio_bp) {}

  std::string_view id() const override { return "FP-17"; }
  std::string_view name() const override { return "refund_after_campaign"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    if (const auto* sale = std::get_if<SaleRecorded>(&record.body)) {
      for (const projections::CampaignInfo& campaign : world.statistics.campaigns) {
        if (InWindow(campaign, record.occurred_day)) {
          windows_[{campaign.id, sale->outlet_id}].sales_fen += sale->amount_fen;
        }
      }
    } else if (const auto* refund = std::get_if<SaleRefunded>(&record.body)) {
      OnRefund(record, *refund, world, sink);
    }
  }

  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(windows_, [](snapshot_io::Writer& w, const auto& entry) {
      w.Str(entry.first.campaign_id);
      w.Str(entry.first.outlet_id);
      w.I64(entry.second.sales_fen);
      w.I64(entry.second.late_refunds_fen);
      w.Records(entry.second.late_refund_seqs);
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    windows_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      CampaignOutlet key;
      key.campaign_id = r.Str();
      key.outlet_id = r.Str();
      OutletWindow window;
      window.sales_fen = r.I64();
      window.late_refunds_fen = r.I64();
      r.Records(window.late_refund_seqs);
      windows_.insert_or_assign(windows_.end(), std::move(key), std::move(window));
    });
  }

 private:
  static bool InWindow(const projections::CampaignInfo& campaign, int32_t day) {
    return day >= campaign.starts_day && day <= campaign.ends_day;
  }

  void OnRefund(const DecodedRecord& record, const SaleRefunded& refund, const World& world,
                FlagSink& sink) {
    const projections::StatisticsState& statistics = world.statistics;
    std::optional<uint32_t> sale = statistics.sale_ids.Find(refund.sale_id);
    if (!sale || *sale >= statistics.sales.size()) return;
    const int32_t sale_day = ShanghaiDay(statistics.sales[*sale].occurred_ms);
    for (const projections::CampaignInfo& campaign : statistics.campaigns) {
      if (!InWindow(campaign, sale_day) || record.occurred_day <= campaign.ends_day) continue;
      OutletWindow& window = windows_[{campaign.id, refund.outlet_id}];
      window.late_refunds_fen += refund.amount_fen;
      if (window.late_refund_seqs.size() < kEvidenceKept) {
        window.late_refund_seqs.push_back(record.seq);
      }
      // Without window sales (booked before the campaign was defined)
      // there is no ratio to judge.
      if (window.sales_fen <= 0 ||
          !ExceedsRatio(window.late_refunds_fen, window.sales_fen, max_refund_ratio_bp_)) {
        continue;
      }
      Raise(record, refund, campaign, window, world.entities, sink);
    }
  }

  void Raise(const DecodedRecord& record, const SaleRefunded& refund,
             const projections::CampaignInfo& campaign, const OutletWindow& window,
             const projections::EntityCatalog& entities, FlagSink& sink) const {
    auto outlet = entities.outlets.find(refund.outlet_id);
    const bool known = outlet != entities.outlets.end();
    std::vector<uint64_t> seqs = window.late_refund_seqs;
    seqs.push_back(record.seq);
    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "outlet:" + refund.outlet_id;
    draft.region = known ? outlet->second.region : std::string(kProvinceRegion);
    draft.window = campaign.id;
    draft.evidence = SortedEvidence(std::move(seqs));
    draft.summary = std::string(known ? OutletKindLabel(outlet->second.kind) : "网点") + " " +
                    refund.outlet_id + " 在活动 " + campaign.id + " 结束（" + campaign.ends_on +
                    "）后退款 " + FormatYuan(window.late_refunds_fen) + " 元，占其活动期销售 " +
                    FormatYuan(window.sales_fen) + " 元的 " +
                    FormatPercent(window.late_refunds_fen, window.sales_fen) + "%，上限 " +
                    FormatPercent(max_refund_ratio_bp_, kBasisPointsPerUnit) + "%";
    draft.details = {{"campaign_id", campaign.id},
                     {"late_refunds_fen", window.late_refunds_fen},
                     {"window_sales_fen", window.sales_fen},
                     {"ratio", FormatDecimal(window.late_refunds_fen, window.sales_fen, 4)},
                     {"max_refund_ratio_bp", max_refund_ratio_bp_}};
    sink.Raise(std::move(draft));
  }

  FlagSeverity severity_;
  int64_t max_refund_ratio_bp_;
  // One entry per outlet that sold in a campaign's window: bounded by the
  // outlets, not by time.
  std::map<CampaignOutlet, OutletWindow> windows_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeRefundAfterCampaign(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(double max_ratio, params.Number("max_refund_ratio", 0.0, 1.0));
  return std::unique_ptr<Rule>(
      std::make_unique<RefundAfterCampaignRule>(severity, ToBasisPoints(max_ratio)));
}

}  // namespace fupin::rules
