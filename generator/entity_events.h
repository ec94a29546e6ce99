// Emits the events of the world's entities (registries, outlets,
// products, promotions) and feeds each fact to the expected statistics
// and its label cases. Shared by the setup phase and the trading days.
#pragma once

#include "generator/event_sink.h"
#include "generator/expected_stats.h"
#include "generator/labels.h"
#include "generator/world.h"

namespace fupin::generator {

class EntityEvents {
 public:
  // References must outlive this object.
  EntityEvents(const World& w, EventSink& sink, ExpectedStatistics& stats, LabelBook& labels)
      : w_(w), sink_(sink), stats_(stats), labels_(labels) {}

  void EmitRegion(int region, BizTime at);
  void EmitKey(int key, BizTime at);
  void EmitCampaign(BizTime at);
  void EmitSupplier(int supplier, BizTime at);
  void EmitHousehold(int household, BizTime at);
  void EmitCertification(int product);  // at certified_at
  void EmitRepricing(int product);      // at repriced_at
  void EmitRevocation(int product);     // at revoked_at
  void EmitDeployment(int outlet);      // at deployed_at
  void EmitClosing(int outlet);         // at closed_at
  void EmitPromotion(int promotion);    // the evening of held_on

  // The signing key of a product's events: its origin county's office.
  const KeyEntry& CertifierOf(const Product& p) const;
  static BizTime PromotionTime(const Promotion& p);

 private:
  const World& w_;
  EventSink& sink_;
  ExpectedStatistics& stats_;
  LabelBook& labels_;
};

}  // namespace fupin::generator
