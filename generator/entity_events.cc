#include "generator/entity_events.h"

#include "generator/event_bodies.h"

namespace fupin::generator {

void EntityEvents::EmitRegion(int region, BizTime at) {
  const Region& r = w_.region(region);
  sink_.Emit("region.defined", at, w_.keys[0], RegionBody(r));
}

void EntityEvents::EmitKey(int key, BizTime at) {
  sink_.Emit("key.registered", at, w_.keys[0], KeyBody(w_.keys[static_cast<std::size_t>(key)]));
}

void EntityEvents::EmitCampaign(BizTime at) {
  sink_.Emit("campaign.defined", at, w_.keys[0], CampaignBody(w_));
}

void EntityEvents::EmitSupplier(int supplier, BizTime at) {
  const Supplier& s = w_.suppliers[static_cast<std::size_t>(supplier)];
  const KeyEntry& certifier =
      w_.keys[static_cast<std::size_t>(w_.county_certifier[static_cast<std::size_t>(s.county)])];
  sink_.Emit("supplier.registered", at, certifier, SupplierBody(w_, s));
}

void EntityEvents::EmitHousehold(int household, BizTime at) {
  const Household& h = w_.households[static_cast<std::size_t>(household)];
  const KeyEntry& certifier =
      w_.keys[static_cast<std::size_t>(w_.county_certifier[static_cast<std::size_t>(h.county)])];
  sink_.Emit("household.registered", at, certifier, HouseholdBody(w_, h));
  stats_.HouseholdRegistered(h.id, h.members);
}

const KeyEntry& EntityEvents::CertifierOf(const Product& p) const {
  return w_.keys[static_cast<std::size_t>(w_.county_certifier[static_cast<std::size_t>(p.origin)])];
}

void EntityEvents::EmitCertification(int product) {
  const Product& p = w_.products[static_cast<std::size_t>(product)];
  const std::string id =
      sink_.Emit("product.certified", p.certified_at, CertifierOf(p), ProductBody(w_, p));
  std::vector<std::string> households;
  for (int h : p.households) households.push_back(w_.households[static_cast<std::size_t>(h)].id);
  for (const std::string& ghost : p.ghost_households) households.push_back(ghost);
  stats_.ProductCertified(p.id, UnixMillis(p.certified_at), FormatDay(p.valid_from),
                          FormatDay(p.valid_to), std::move(households));
  for (int c : p.cases) labels_.AddEvent(c, id);
}

void EntityEvents::EmitRepricing(int product) {
  const Product& p = w_.products[static_cast<std::size_t>(product)];
  sink_.Emit("product.repriced", p.repriced_at, CertifierOf(p),
             RepriceBody(p, p.repriced_to_fen, "物价部门市场价格监测"));
}

void EntityEvents::EmitRevocation(int product) {
  const Product& p = w_.products[static_cast<std::size_t>(product)];
  const std::string id = sink_.Emit("product.revoked", p.revoked_at, CertifierOf(p),
                                    RevokeBody(p, "质量抽检不合格，撤销扶贫产品认定"));
  stats_.ProductRevoked(p.id, UnixMillis(p.revoked_at));
  if (p.revocation_case >= 0) labels_.AddEvent(p.revocation_case, id);
}

void EntityEvents::EmitDeployment(int outlet) {
  const Outlet& o = w_.outlets[static_cast<std::size_t>(outlet)];
  const std::string id = sink_.Emit("outlet.deployed", o.deployed_at,
                                    w_.keys[static_cast<std::size_t>(o.key)], OutletBody(w_, o));
  stats_.OutletDeployed(o.id, std::string(OutletKindName(o.kind)), w_.region(o.region).code,
                        UnixMillis(o.deployed_at));
  for (int c : o.cases) labels_.AddEvent(c, id);
}

void EntityEvents::EmitClosing(int outlet) {
  const Outlet& o = w_.outlets[static_cast<std::size_t>(outlet)];
  const std::string id = sink_.Emit("outlet.closed", o.closed_at,
                                    w_.keys[static_cast<std::size_t>(o.key)], CloseBody(o));
  stats_.OutletClosed(o.id, UnixMillis(o.closed_at));
  if (o.close_case >= 0) labels_.AddEvent(o.close_case, id);
}

BizTime EntityEvents::PromotionTime(const Promotion& p) { return At(p.held_on, 18, 0); }

void EntityEvents::EmitPromotion(int promotion) {
  const Promotion& p = w_.promotions[static_cast<std::size_t>(promotion)];
  sink_.Emit("promotion.held", PromotionTime(p), w_.keys[static_cast<std::size_t>(p.key)],
             PromotionBody(w_, p));
  stats_.PromotionHeld(w_.region(p.region).code, FormatDay(p.held_on));
}

}  // namespace fupin::generator
