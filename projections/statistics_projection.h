// The statistics projection: folds the log into StatisticsState, from
// which the 附件统计表 (statistics_table.h), target progress (targets.h)
// and report reconciliation are read.
//
// Definitions: SPEC §3, with these decisions (docs/projections.md):
//   - A product's standing at an instant T is the last of its
//     certifications and revocations with occurred_at <= T (ties: log
//     order). It is certified at T when that entry is a certification and
//     T's Shanghai date lies in its valid_from..valid_to. So a renewal
//     (product.certified again, which the ledger accepts) lifts an earlier
//     revocation, as validation decided; without renewals this is exactly
//     "certified before T and no revocation at or before T".
//   - A sale counts when it is dated in the window and its product was
//     certified at its occurred_at; it contributes its amount minus every
//     refund recorded up to the position, whenever the refund is dated.
//   - Coverage counts households named in any certification of a product
//     with a counted sale (refunded or not) under the row's region, and
//     registered at the position, by their members as last registered.
//   - Outlets count at their own region, promotions at theirs, sales at the
//     outlet's region; a row sums its region and everything below it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "projections/projection.h"
#include "projections/statistics_state.h"

namespace fupin::projections {

class StatisticsProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "statistics";
  // Bump when Apply's meaning or the state encoding changes: stored states
  // of another version are rebuilt from zero.
  static constexpr uint32_t kVersion = 1;

  std::string_view name() const override { return kName; }
  uint32_t version() const override { return kVersion; }
  void Apply(const DecodedRecord& record) override;
  std::string EncodeState() const override;  // statistics_codec.cc
  Status DecodeState(std::string_view bytes) override;
  std::unique_ptr<Projection> NewEmpty() const override {
    return std::make_unique<StatisticsProjection>();
  }

  const StatisticsState& state() const { return state_; }

 private:
  void OnRegion(const RegionDefined& e);
  void OnCampaign(const CampaignDefined& e, uint64_t seq);
  void OnHousehold(const HouseholdRegistered& e);
  void OnCertified(const ProductCertified& e, const DecodedRecord& record);
  void OnRevoked(const ProductRevoked& e, const DecodedRecord& record);
  void OnDeployed(const OutletDeployed& e, int32_t day);
  void OnClosed(const OutletClosed& e, int32_t day);
  void OnPromotion(const PromotionHeld& e);
  void OnSale(const SaleRecorded& e, const DecodedRecord& record);
  void OnRefund(const SaleRefunded& e);
  void OnReport(const ReportSubmitted& e, uint64_t seq);

  uint32_t InternHousehold(const std::string& id);
  bool Eligible(const ProductFacts& product, int64_t at_ms, int32_t day) const;
  // Adds (sign +1) or removes (-1) a sale's net amount and its count in
  // every campaign whose window holds its date.
  void CountSale(const SaleFact& sale, int sign);
  void Reevaluate(uint32_t product);
  void AddOutlet(const OutletFact& outlet, int sign, const CampaignInfo& campaign,
                 CampaignTally& tally) const;
  CampaignTally BuildTally(const CampaignInfo& campaign) const;

  StatisticsState state_;
};

}  // namespace fupin::projections
