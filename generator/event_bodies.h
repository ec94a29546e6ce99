// Bodies of the events the generator writes (SPEC §2.5), built from the
// world's entities. Pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "generator/world.h"

namespace fupin::generator {

boost::json::object RegionBody(const Region& region);
boost::json::object KeyBody(const KeyEntry& key);
boost::json::object CampaignBody(const World& w);
boost::json::object SupplierBody(const World& w, const Supplier& s);
boost::json::object HouseholdBody(const World& w, const Household& h);
boost::json::object ProductBody(const World& w, const Product& p);
boost::json::object RepriceBody(const Product& p, int64_t reference_fen, std::string_view source);
boost::json::object RevokeBody(const Product& p, std::string_view reason);
boost::json::object OutletBody(const World& w, const Outlet& o);
boost::json::object CloseBody(const Outlet& o);
boost::json::object PromotionBody(const World& w, const Promotion& p);
boost::json::object SaleBody(const std::string& sale_id, const Product& p, const Outlet& o,
                             int64_t quantity, int64_t unit_price_fen, BuyerKind buyer_kind,
                             const std::string& buyer_ref);
boost::json::object RefundBody(const std::string& sale_id, const Outlet& o, int64_t amount_fen,
                               std::string_view reason);

struct Payment {
  std::string household_id;
  BenefitMechanism mechanism = BenefitMechanism::kOther;
  int64_t amount_fen = 0;
};
boost::json::object BenefitBody(const Supplier& s, int32_t period_from, int32_t period_to,
                                const std::vector<Payment>& payments);

boost::json::object ReportBody(const std::string& region, const std::vector<ReportRow>& rows);

}  // namespace fupin::generator
