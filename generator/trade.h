// The campaign's trading days: sales with their daily and weekly rhythm,
// refunds, outlets opening and closing, repricings, revocations,
// promotions, and the injected trading frauds, from 1 Sept to 8 Oct 2020.
//
// Day by day: the day's sales are drawn outlet by outlet into compact
// intents, spread over opening hours, merged with the day's other events
// and with bookings carried over from earlier days, sorted by the time
// they are written, and emitted. State kept across days is per entity
// (product, supplier, outlet) or a few days of pending refunds and late
// bookings, so memory does not grow with the number of sales.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "generator/entity_events.h"
#include "generator/event_sink.h"
#include "generator/expected_stats.h"
#include "generator/fraud_plan.h"
#include "generator/labels.h"
#include "generator/sale_model.h"
#include "generator/world.h"

namespace fupin::generator {

// The last day anything is written by the trade phase (late refunds).
inline constexpr int32_t kLastTradeDay = kOct1 + 7;

class TradeSimulation {
 public:
  // All references must outlive the simulation; `w` must be planned
  // (PlanFrauds, PlanVolumes) and its registries already emitted.
  TradeSimulation(World& w, const FraudPlan& plan, LabelBook& labels, EventSink& sink,
                  ExpectedStatistics& stats);

  // Emits every day from 1 Sept to kLastTradeDay; `on_day` is called after
  // each day progress.
  void Run(const std::function<void(int32_t day)>& on_day);

 private:
  struct Buyer {
    BuyerKind kind = BuyerKind::kIndividual;
    int slot = 0;
    uint32_t a = 0;  // individual pool index / enterprise / org
    uint32_t b = 0;  // person of an org
    bool operator==(const Buyer&) const = default;
  };
  struct SaleIntent {
    BizTime at = 0;       // occurred_at
    BizTime book_at = 0;  // when it is written (late bookings: later)
    int outlet = 0;
    int product = 0;
    PricedQuantity pq;
    Buyer buyer;
    int case_id = -1;
    bool fixed_time = false;   // `at` already set
    bool fixed_price = false;  // the price is the point (identical amounts)
    bool refundable = true;
  };
  struct RefundIntent {
    BizTime at = 0;
    std::string sale_id;
    int outlet = 0;
    int product = 0;
    BizTime sale_at = 0;
    int64_t amount_fen = 0;
    int case_id = -1;
  };
  enum class ItemKind : uint8_t {
    kDeploy,
    kClose,
    kCertify,
    kReprice,
    kRevoke,
    kPromotion,
    kSale,
    kRefund
  };
  struct Item {
    BizTime at;
    uint64_t order;
    ItemKind kind;
    int index;  // entity, or into day_sales_ / day_refunds_
  };
  struct KeptSale {  // FP-17 outlets: their window sales
    std::string sale_id;
    int product;
    BizTime at;
    int64_t amount_fen;
  };

  void RunDay(int32_t day);
  void AddEntityEvents(int32_t day);
  void AddHonestSales(int32_t day);
  void AddFraudSales(int32_t day);  // trade_fraud.cc
  // One kind of sale fraud each (trade_fraud.cc), drawing from the case's
  // generator of the day.
  void AddUncertifiedSales(const SaleFraud& f, int32_t day, Rng& rng);
  void AddInactiveOutletSales(const SaleFraud& f, int32_t day, Rng& rng);
  void AddPriceJump(const SaleFraud& f, int32_t day, Rng& rng);
  void AddBurst(const SaleFraud& f, int32_t day, Rng& rng);
  void AddRepeatedPurchases(const SaleFraud& f, int32_t day, Rng& rng);
  void AddBackdatedSales(const SaleFraud& f, int32_t day, Rng& rng);
  void AddForcedPurchase(const SaleFraud& f, int32_t day);
  void AddCapacitySales(const SaleFraud& f, int32_t day, Rng& rng);
  void AddShamSales(const SaleFraud& f, int32_t day, Rng& rng);
  // An outlet selling `product` in operation on `on` (not a zombie or
  // tainted counter); -1 when there is none.
  int OpenOutletFor(int product, int32_t on, Rng& rng) const;
  // An individual's purchase of `product` at `outlet` on `on`.
  SaleIntent IndividualSale(int outlet, int product, int32_t on, Rng& rng);
  // A fraud sale at a set time (`book_at` is when it reaches the ledger).
  void PushTimedFraudSale(SaleIntent s, const SaleFraud& f, BizTime at, BizTime book_at);
  // A fraud sale whose price is the point; counted in `slot`'s tallies.
  void PushPricedFraudSale(SaleIntent s, const SaleFraud& f, int slot);
  // The prefecture slot of an outlet's region.
  int OutletSlot(int outlet) const;
  void AddTopUps(int32_t day);           // trade_fraud.cc
  void AddLateRefunds(int32_t day);      // trade_fraud.cc
  void AddFabricatedSales(int32_t day);  // trade_fraud.cc
  void AddEdgeSales(int32_t day);        // trade_fraud.cc
  void AssignTimes(int32_t day);
  void CarryOver(int32_t day);  // moves later bookings to pending_sales_
  void Emit(const Item& item);
  void EmitSale(SaleIntent& s);
  void EmitRefund(const RefundIntent& r);
  void ScheduleRefund(const SaleIntent& s, const std::string& sale_id);
  // Keeps a category's first sales from looking like peer outliers (see
  // kEarlyPeerSales in trade.cc); may change the intent's unit price.
  void GuardPeerPrice(SaleIntent& s);

  // Helpers shared by trade.cc and trade_fraud.cc.
  bool Sellable(const Product& p, int32_t day) const;
  bool InOperation(const Outlet& o, int32_t day) const;
  int64_t ReferenceOn(const Product& p, int32_t day) const;
  // Price band of a product at an outlet on a day, in fen.
  void PriceBand(int outlet, int product, int32_t day, int64_t& lo, int64_t& hi) const;
  // A sale intent with a steered amount; `natural` quantity or drawn.
  SaleIntent MakeSale(int outlet, int product, int32_t day, Buyer buyer, int64_t natural, Rng& rng);
  Buyer DrawBuyer(int outlet, BuyerKind kind, Rng& rng);
  int PickSellable(const Outlet& o, int32_t day, Rng& rng) const;
  std::string BuyerRef(const Buyer& b) const;
  const std::array<int64_t, 10>* Steering(int slot);

  World& w_;
  const FraudPlan& plan_;
  LabelBook& labels_;
  EventSink& sink_;
  ExpectedStatistics& stats_;
  EntityEvents entities_;
  // Entity events (deployments, closings, ...) by day, from 1 Sept on.
  std::map<int32_t, std::vector<Item>> entity_items_;
  // Sales weight of the outlets in operation, by day of the window, and
  // the normalisation of the daily sales: sum over days of factor x weight.
  std::vector<int64_t> open_weight_;
  int64_t weight_norm_ = 0;
  // Buyers of the outlet-day being drawn, with their purchase counts.
  std::vector<std::pair<Buyer, int>> outlet_day_buyers_;

  std::vector<SaleIntent> day_sales_;
  std::vector<RefundIntent> day_refunds_;
  std::vector<Item> day_items_;
  std::map<int32_t, std::vector<SaleIntent>> pending_sales_;
  std::map<int32_t, std::vector<RefundIntent>> pending_refunds_;
  uint64_t item_order_ = 0;
  uint64_t sale_counter_ = 0;
  std::array<int64_t, 10> scores_{};

  // Per entity.
  std::vector<int64_t> product_sold_fen_;      // all sales
  std::vector<int64_t> supplier_counted_fen_;  // window sales that count
  std::vector<int64_t> supplier_claimed_;      // distinct households claimed
  std::vector<int64_t> outlet_window_fen_;
  std::vector<int64_t> outlet_late_refund_fen_;
  std::vector<bool> outlet_sold_;
  std::vector<BizTime> outlet_latest_;
  std::vector<int> outlet_case_;                   // FP-17 case by outlet, or -1
  std::vector<std::vector<KeptSale>> kept_;        // by outlet (FP-17 only)
  std::vector<std::vector<int64_t>> jump_prices_;  // FP-05 pair, by outlet
  std::vector<int> jump_product_;                  // FP-05 product by outlet, or -1
  std::vector<int32_t> jump_day_;                  // FP-05 first jump day
  std::vector<DigitTally> tallies_;                // by prefecture slot
  // The first sales of each product kind, in log order: (product, price).
  std::vector<std::vector<std::pair<int, int64_t>>> early_peers_;
  std::vector<bool> steered_;             // by prefecture slot
  std::vector<int64_t> individual_pool_;  // by prefecture slot
  std::map<std::pair<int, uint32_t>, int> org_purchases_today_;
  std::vector<std::vector<int>> outlets_by_slot_;
};

}  // namespace fupin::generator
