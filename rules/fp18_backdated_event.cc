// FP-18 backdated_event (SPEC §4): an event whose occurred_at lies more
// than max_backdate_days before the latest occurred_at already on its
// stream, and inside a campaign's window. Booking a sale (or a refund, a
// payment) weeks later under a date inside the campaign month is how
// figures are topped up after the fact.
//
// Every stream is watched, except the flag streams the ledger writes
// itself. The subject is the stream ("outlet:C-1", "report:CAMP-1:430100").
#include <map>
#include <memory>
#include <string>
#include <variant>

#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/flag_wording.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

struct StreamHead {
  int64_t latest_ms = 0;
  uint64_t seq = 0;  // of the record that set latest_ms
};

// The region of the entity a record's stream is about.
std::string RegionOf(const EventBody& body, const projections::EntityCatalog& entities) {
  auto outlet_region = [&](const std::string& id) -> std::string {
    auto it = entities.outlets.find(id);
    return it == entities.outlets.end() ? std::string(kProvinceRegion) : it->second.region;
  };
  auto product_region = [&](const std::string& id) -> std::string {
    auto it = entities.products.find(id);
    return it == entities.products.end() ? std::string(kProvinceRegion) : it->second.origin_region;
  };
  auto supplier_region = [&](const std::string& id) -> std::string {
    auto it = entities.suppliers.find(id);
    return it == entities.suppliers.end() ? std::string(kProvinceRegion) : it->second.region;
  };
  if (const auto* b = std::get_if<SaleRecorded>(&body)) return outlet_region(b->outlet_id);
  if (const auto* b = std::get_if<SaleRefunded>(&body)) return outlet_region(b->outlet_id);
  if (const auto* b = std::get_if<OutletDeployed>(&body)) return b->region;
  if (const auto* b = std::get_if<OutletClosed>(&body)) return outlet_region(b->outlet_id);
  if (const auto* b = std::get_if<ProductCertified>(&body)) return b->origin_region;
  if (const auto* b = std::get_if<ProductRepriced>(&body)) return product_region(b->product_id);
  if (const auto* b = std::get_if<ProductRevoked>(&body)) return product_region(b->product_id);
  if (const auto* b = std::get_if<SupplierRegistered>(&body)) return b->region;
  if (const auto* b = std::get_if<BenefitPaid>(&body)) return supplier_region(b->supplier_id);
  if (const auto* b = std::get_if<HouseholdRegistered>(&body)) return b->region;
  if (const auto* b = std::get_if<PromotionHeld>(&body)) return b->region;
  if (const auto* b = std::get_if<ReportSubmitted>(&body)) return b->region;
  if (const auto* b = std::get_if<RegionDefined>(&body)) return b->code;
  return std::string(kProvinceRegion);
}

class BackdatedEventRule final : public Rule {
 public:
  BackdatedEventRule(FlagSeverity severity, int64_t max_backdate_days)
      : severity_(severity), max_backdate_days_(max_backdate_days) {}

  std::string_view id() const override { return "FP-18"; }
  std::string_view name() const override { return "backdated_event"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    if (record.type == EventType::kFlagRaised || record.type == EventType::kFlagResolved) return;
    auto [head, first] =
        heads_.try_emplace(record.stream, StreamHead{record.occurred_at_ms, record.seq});
    if (first) return;
    const StreamHead previous = head->second;
    if (record.occurred_at_ms > previous.latest_ms) {
      head->second = StreamHead{record.occurred_at_ms, record.seq};
      return;
    }
    const int64_t backdate_ms = previous.latest_ms - record.occurred_at_ms;
    if (backdate_ms <= max_backdate_days_ * kMillisPerDay) return;
    const projections::CampaignInfo* campaign = CampaignDating(world, record.occurred_day);
    if (campaign == nullptr) return;

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = record.stream;
    draft.region = RegionOf(record.body, world.entities);
    draft.evidence = SortedEvidence({previous.seq, record.seq});
    draft.summary = record.stream + " 上的 " + std::string(EventTypeName(record.type)) + " 记为 " +
                    ShanghaiMinuteText(record.occurred_at_ms) + "（活动 " + campaign->id +
                    " 期内），比该流已有的最晚业务时间 " + ShanghaiMinuteText(previous.latest_ms) +
                    " 早 " + FormatDecimal(backdate_ms, kMillisPerDay, 2) + " 天，上限 " +
                    std::to_string(max_backdate_days_) + " 天";
    draft.details = {{"event_type", EventTypeName(record.type)},
                     {"campaign_id", campaign->id},
                     {"occurred_at", ShanghaiTimestamp(record.occurred_at_ms)},
                     {"latest_occurred_at", ShanghaiTimestamp(previous.latest_ms)},
                     {"backdate_seconds", backdate_ms / 1000},
                     {"max_backdate_days", max_backdate_days_}};
    sink.Raise(std::move(draft));
  }

  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(heads_, [](snapshot_io::Writer& w, const auto& stream) {
      w.Str(stream.first);
      w.I64(stream.second.latest_ms);
      w.U64(stream.second.seq);
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    heads_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string stream = r.Str();
      StreamHead head;
      head.latest_ms = r.I64();
      head.seq = r.U64();
      heads_.insert_or_assign(heads_.end(), std::move(stream), head);
    });
  }

 private:
  // The first campaign whose window holds `day`, or null.
  static const projections::CampaignInfo* CampaignDating(const World& world, int32_t day) {
    for (const projections::CampaignInfo& campaign : world.statistics.campaigns) {
      if (day >= campaign.starts_day && day <= campaign.ends_day) return &campaign;
    }
    return nullptr;
  }

  FlagSeverity severity_;
  int64_t max_backdate_days_;
  // Stream -> its latest occurred_at. One entry per stream, i.e. per
  // entity: bounded by the catalog, not by time.
  std::map<std::string, StreamHead, std::less<>> heads_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakeBackdatedEvent(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(int64_t max_days, params.Int("max_backdate_days", 0, 366));
  return std::unique_ptr<Rule>(std::make_unique<BackdatedEventRule>(severity, max_days));
}

}  // namespace fupin::rules
