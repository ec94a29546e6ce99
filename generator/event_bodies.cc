#include "generator/event_bodies.h"

#include <boost/json/array.hpp>

#include "generator/catalog.h"

namespace fupin::generator {
namespace {

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

}  // namespace

boost::json::object RegionBody(const Region& region) {
  boost::json::object body;
  body["code"] = region.code;
  body["name"] = region.name;
  body["level"] = RegionLevelName(region.level);
  if (!region.parent.empty()) body["parent"] = region.parent;
  body["poverty_county"] = region.poverty_county;
  return body;
}

boost::json::object KeyBody(const KeyEntry& key) {
  boost::json::object body;
  body["key_id"] = key.id;
  body["alg"] = KeyAlgName(key.key.alg());
  body["public_key"] = key.public_b64;
  body["roles"] = Strings(key.roles);
  body["regions"] = Strings(key.regions);
  if (!key.supplier_id.empty()) body["supplier_id"] = key.supplier_id;
  return body;
}

boost::json::object CampaignBody(const World& w) {
  boost::json::object by_region;
  for (int pref : w.regions.prefectures()) {
    const std::string& code = w.region(pref).code;
    by_region[code] =
        code == "430100" ? w.params.counters_target_changsha : w.params.counters_target_other;
  }
  boost::json::object targets;
  targets["sales_fen"] = w.params.sales_target_fen;
  targets["counters_total"] = w.params.counters_target_total;
  targets["counters_by_region"] = std::move(by_region);
  targets["counters_min_per_prefecture"] = w.params.counters_target_other;
  targets["pavilions_min_per_region"] = kTargetPavilionsPerRegion;
  targets["offline_zones_min_per_prefecture"] = kTargetOfflineZonesPerPrefecture;
  boost::json::object body;
  body["campaign_id"] = kCampaignId;
  body["name"] = kCampaignName;
  body["starts_on"] = kStartsOn;
  body["ends_on"] = kEndsOn;
  body["targets"] = std::move(targets);
  return body;
}

boost::json::object SupplierBody(const World& w, const Supplier& s) {
  boost::json::object body;
  body["supplier_id"] = s.id;
  body["name"] = s.name;
  body["uscc"] = s.uscc;
  body["region"] = w.region(s.county).code;
  return body;
}

boost::json::object HouseholdBody(const World& w, const Household& h) {
  boost::json::object body;
  body["household_id"] = h.id;
  body["region"] = w.region(h.county).code;
  body["members"] = h.members;
  body["status"] = h.poor ? "poor" : "exited";
  return body;
}

boost::json::object ProductBody(const World& w, const Product& p) {
  const ProductKind& kind = ProductKinds()[static_cast<std::size_t>(p.kind)];
  boost::json::array mechanisms;
  for (BenefitMechanism m : p.mechanisms) {
    mechanisms.emplace_back(BenefitMechanismName(m));
  }
  boost::json::array households;
  for (int h : p.households) {
    households.emplace_back(w.households[static_cast<std::size_t>(h)].id);
  }
  for (const std::string& ghost : p.ghost_households) households.emplace_back(ghost);
  boost::json::object benefit;
  benefit["mechanisms"] = std::move(mechanisms);
  benefit["households"] = std::move(households);
  benefit["people_claimed"] = p.people_claimed;
  boost::json::object body;
  body["product_id"] = p.id;
  body["name"] = p.name;
  body["category"] = kind.category;
  body["spec"] = kind.spec;
  body["unit"] = kind.unit;
  body["supplier_id"] = w.suppliers[static_cast<std::size_t>(p.supplier)].id;
  body["origin_region"] = w.region(p.origin).code;
  body["reference_price_fen"] = p.reference_fen;
  body["certificate_no"] = p.certificate_no;
  body["valid_from"] = FormatDay(p.valid_from);
  body["valid_to"] = FormatDay(p.valid_to);
  body["annual_value_fen"] = p.annual_value_fen;
  body["benefit"] = std::move(benefit);
  return body;
}

boost::json::object RepriceBody(const Product& p, int64_t reference_fen, std::string_view source) {
  boost::json::object body;
  body["product_id"] = p.id;
  body["reference_price_fen"] = reference_fen;
  body["source"] = source;
  return body;
}

boost::json::object RevokeBody(const Product& p, std::string_view reason) {
  boost::json::object body;
  body["product_id"] = p.id;
  body["reason"] = reason;
  return body;
}

boost::json::object OutletBody(const World& w, const Outlet& o) {
  boost::json::object body;
  body["outlet_id"] = o.id;
  body["kind"] = OutletKindName(o.kind);
  body["name"] = o.name;
  body["region"] = w.region(o.region).code;
  if (o.venue) body["venue"] = *o.venue;
  if (o.platform) body["platform"] = *o.platform;
  if (o.device_id) body["device_id"] = *o.device_id;
  return body;
}

boost::json::object CloseBody(const Outlet& o) {
  boost::json::object body;
  body["outlet_id"] = o.id;
  body["reason"] = o.close_reason;
  return body;
}

boost::json::object PromotionBody(const World& w, const Promotion& p) {
  boost::json::object body;
  body["promotion_id"] = p.id;
  body["name"] = p.name;
  body["region"] = w.region(p.region).code;
  body["held_on"] = FormatDay(p.held_on);
  return body;
}

boost::json::object SaleBody(const std::string& sale_id, const Product& p, const Outlet& o,
                             int64_t quantity, int64_t unit_price_fen, BuyerKind buyer_kind,
                             const std::string& buyer_ref) {
  boost::json::object body;
  body["sale_id"] = sale_id;
  body["product_id"] = p.id;
  body["outlet_id"] = o.id;
  body["quantity"] = quantity;
  body["unit_price_fen"] = unit_price_fen;
  body["amount_fen"] = quantity * unit_price_fen;
  body["buyer_kind"] = BuyerKindName(buyer_kind);
  body["buyer_ref"] = buyer_ref;
  return body;
}

boost::json::object RefundBody(const std::string& sale_id, const Outlet& o, int64_t amount_fen,
                               std::string_view reason) {
  boost::json::object body;
  body["sale_id"] = sale_id;
  body["outlet_id"] = o.id;
  body["amount_fen"] = amount_fen;
  body["reason"] = reason;
  return body;
}

boost::json::object BenefitBody(const Supplier& s, int32_t period_from, int32_t period_to,
                                const std::vector<Payment>& payments) {
  boost::json::array list;
  for (const Payment& p : payments) {
    boost::json::object item;
    item["household_id"] = p.household_id;
    item["mechanism"] = BenefitMechanismName(p.mechanism);
    item["amount_fen"] = p.amount_fen;
    list.push_back(std::move(item));
  }
  boost::json::object body;
  body["supplier_id"] = s.id;
  body["period_from"] = FormatDay(period_from);
  body["period_to"] = FormatDay(period_to);
  body["payments"] = std::move(list);
  return body;
}

boost::json::object ReportBody(const std::string& region, const std::vector<ReportRow>& rows) {
  boost::json::array list;
  for (const ReportRow& r : rows) {
    boost::json::object row;
    row["region"] = r.region;
    row["online_zones"] = r.online_zones;
    row["offline_zones"] = r.offline_zones;
    row["pavilions"] = r.pavilions;
    row["counters"] = r.counters;
    row["livestream_bases"] = r.livestream_bases;
    row["promotions"] = r.promotions;
    row["sales_fen"] = r.sales_fen;
    row["poor_people_covered"] = r.poor_people_covered;
    list.push_back(std::move(row));
  }
  boost::json::object body;
  body["campaign_id"] = kCampaignId;
  body["region"] = region;
  body["rows"] = std::move(list);
  return body;
}

}  // namespace fupin::generator
