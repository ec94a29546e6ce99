// FP-04 price_peer_outlier (SPEC §4): a sale's unit price whose robust
// z-score, 0.6745·(x − median)/MAD, exceeds z_threshold against the unit
// prices of other products of the same category and unit sold in the last
// window_days (at least min_peers of them; a MAD of 0 decides nothing).
//
// State: per category+unit group, its recent prices, at most
// max_prices_per_group (the earliest by occurred_at go first) and none
// older than the window before the business clock.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <variant>

#include "projections/snapshot_io.h"
#include "rules/catalog.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

// 0.6745 is the 75th percentile of the standard normal: with it, the MAD
// of normally distributed prices estimates their standard deviation, so
// z_threshold reads as "standard deviations" (Iglewicz & Hoaglin).
inline constexpr double kNormalQuartile = 0.6745;

// A sale booked late is judged without the prices dated after it when
// there are at most this many; beyond, the scan would cost more than the
// sale's own evaluation is worth, and it is judged against the window.
inline constexpr std::size_t kMaxLaterPrices = 256;

struct PeerPrice {
  uint32_t product = 0;  // statistics product index
  int64_t unit_price_fen = 0;
};

// Floor of value / 2 for any sign.
int64_t FloorHalf(int64_t value) { return value >= 0 ? value / 2 : -((-value + 1) / 2); }

// The prices of one category+unit group, indexed so that the median and
// MAD of "every price but one product's" take O(log² n) instead of a scan
// and a selection per sale.
class PriceGroup {
 public:
  bool empty() const { return by_time_.empty(); }
  std::size_t size() const { return by_time_.size(); }
  int64_t earliest_ms() const { return by_time_.begin()->first; }
  int64_t latest_ms() const { return by_time_.rbegin()->first; }

  void Insert(int64_t occurred_at_ms, PeerPrice price) {
    by_time_.emplace(occurred_at_ms, price);
    InsertSorted(prices_, price.unit_price_fen);
    InsertSorted(by_product_[price.product], price.unit_price_fen);
  }
  void EraseEarliest() {
    const PeerPrice price = by_time_.begin()->second;
    by_time_.erase(by_time_.begin());
    EraseSorted(prices_, price.unit_price_fen);
    auto own = by_product_.find(price.product);
    EraseSorted(own->second, price.unit_price_fen);
    if (own->second.empty()) by_product_.erase(own);
  }
  void DropBefore(int64_t cutoff_ms) {
    while (!empty() && earliest_ms() < cutoff_ms) EraseEarliest();
  }

  // The prices by time; the sorted indexes are rebuilt from them.
  void Save(snapshot_io::Writer& out) const {
    out.Each(by_time_, [](snapshot_io::Writer& w, const std::pair<const int64_t, PeerPrice>& e) {
      w.I64(e.first);
      w.U32(e.second.product);
      w.I64(e.second.unit_price_fen);
    });
  }
  void Load(snapshot_io::Reader& in) {
    by_time_.clear();
    prices_.clear();
    by_product_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      const int64_t occurred_at_ms = r.I64();
      PeerPrice price;
      price.product = r.U32();
      price.unit_price_fen = r.I64();
      // Appended after any equal time, so prices of one instant keep the
      // order EraseEarliest drops them in.
      by_time_.emplace_hint(by_time_.end(), occurred_at_ms, price);
      prices_.push_back(price.unit_price_fen);
      by_product_[price.product].push_back(price.unit_price_fen);
    });
    std::sort(prices_.begin(), prices_.end());
    for (auto& [product, own] : by_product_) std::sort(own.begin(), own.end());
  }

  // The sorted prices of products other than `product` dated after `t`, if
  // there are at most `max` of them (a sale booked late); nullopt when more.
  std::optional<std::vector<int64_t>> LaterPrices(uint32_t product, int64_t t,
                                                  std::size_t max) const {
    std::vector<int64_t> later;
    for (auto it = by_time_.upper_bound(t); it != by_time_.end(); ++it) {
      if (it->second.product == product) continue;
      if (later.size() == max) return std::nullopt;
      later.push_back(it->second.unit_price_fen);
    }
    std::sort(later.begin(), later.end());
    return later;
  }

  // Order statistics of every price but those of `product` and, for a sale
  // booked late, those dated after it (`later`, sorted, none of `product`).
  class Peers {
   public:
    Peers(const std::vector<int64_t>& all, const std::vector<int64_t>* own,
          const std::vector<int64_t>* later)
        : all_(all), own_(own), later_(later) {}
    std::size_t size() const {
      return all_.size() - (own_ ? own_->size() : 0) - (later_ ? later_->size() : 0);
    }
    // Twice the median, as DoubledMedian.
    int64_t DoubledMedian() const {
      const std::size_t n = size();
      return n % 2 == 1 ? 2 * Kth(n / 2) : Kth(n / 2 - 1) + Kth(n / 2);
    }
    // Four times the MAD, as QuadrupledMad.
    int64_t QuadrupledMad(int64_t doubled_median) const {
      const std::size_t n = size();
      return n % 2 == 1
                 ? 2 * KthDeviation(n / 2, doubled_median)
                 : KthDeviation(n / 2 - 1, doubled_median) + KthDeviation(n / 2, doubled_median);
    }

   private:
    std::size_t CountAtMost(int64_t v) const {
      return Rank(all_, v) - (own_ ? Rank(*own_, v) : 0) - (later_ ? Rank(*later_, v) : 0);
    }
    static std::size_t Rank(const std::vector<int64_t>& sorted, int64_t v) {
      return static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), v) -
                                      sorted.begin());
    }
    // The k-th smallest peer price (0-based).
    int64_t Kth(std::size_t k) const {
      std::size_t lo = 0;
      std::size_t hi = all_.size() - 1;
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (CountAtMost(all_[mid]) >= k + 1) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return all_[lo];
    }
    // Peers x with |2x − doubled_median| <= d.
    std::size_t CountWithin(int64_t doubled_median, int64_t d) const {
      const int64_t low = -FloorHalf(d - doubled_median);  // ceil((m2 − d) / 2)
      const int64_t high = FloorHalf(doubled_median + d);
      return high < low ? 0 : CountAtMost(high) - CountAtMost(low - 1);
    }
    // The k-th smallest |2x − doubled_median| (0-based).
    int64_t KthDeviation(std::size_t k, int64_t doubled_median) const {
      int64_t lo = 0;
      int64_t hi = std::max(std::abs(2 * all_.front() - doubled_median),
                            std::abs(2 * all_.back() - doubled_median));
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (CountWithin(doubled_median, mid) >= k + 1) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }

    const std::vector<int64_t>& all_;
    const std::vector<int64_t>* own_;
    const std::vector<int64_t>* later_;
  };

  Peers PeersOf(uint32_t product, const std::vector<int64_t>* later) const {
    auto own = by_product_.find(product);
    return Peers(prices_, own == by_product_.end() ? nullptr : &own->second, later);
  }

 private:
  static void InsertSorted(std::vector<int64_t>& sorted, int64_t v) {
    sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), v), v);
  }
  static void EraseSorted(std::vector<int64_t>& sorted, int64_t v) {
    sorted.erase(std::lower_bound(sorted.begin(), sorted.end(), v));
  }

  std::multimap<int64_t, PeerPrice> by_time_;            // by occurred_at
  std::vector<int64_t> prices_;                          // every price, sorted
  std::map<uint32_t, std::vector<int64_t>> by_product_;  // each product's, sorted
};

// The median and MAD of a sale's peers, doubled and quadrupled integers.
struct PeerStatistics {
  std::size_t n = 0;
  int64_t doubled_median = 0;
  int64_t quadrupled_mad = 0;
};

class PricePeerOutlierRule final : public Rule {
 public:
  PricePeerOutlierRule(FlagSeverity severity, double z_threshold, int64_t window_days,
                       int64_t min_peers, int64_t max_prices)
      : severity_(severity),
        z_threshold_(z_threshold),
        window_days_(window_days),
        window_ms_(window_days * kMillisPerDay),
        min_peers_(static_cast<std::size_t>(min_peers)),
        max_prices_(static_cast<std::size_t>(max_prices)) {}

  std::string_view id() const override { return "FP-04"; }
  std::string_view name() const override { return "price_peer_outlier"; }

  void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) override {
    const auto* sale = std::get_if<SaleRecorded>(&record.body);
    if (sale == nullptr) return;
    auto product = world.entities.products.find(sale->product_id);
    std::optional<uint32_t> index = world.statistics.product_ids.Find(sale->product_id);
    if (product == world.entities.products.end() || !index) return;
    PriceGroup& group = groups_[product->second.category + '\x1f' + product->second.unit];
    group.DropBefore(world.clock_ms - window_ms_);

    const int64_t t = record.occurred_at_ms;
    std::optional<PeerStatistics> peers = Statistics(group, *index, t);
    if (peers) Evaluate(record, *sale, product->second, *peers, sink);

    group.Insert(t, {*index, sale->unit_price_fen});
    if (group.size() > max_prices_) group.EraseEarliest();
  }

  void OnClock(int64_t, const DecodedRecord&, const World& world, FlagSink&) override {
    const int64_t cutoff = world.clock_ms - window_ms_;
    for (auto it = groups_.begin(); it != groups_.end();) {
      it->second.DropBefore(cutoff);
      it = it->second.empty() ? groups_.erase(it) : std::next(it);
    }
  }

  void SaveState(snapshot_io::Writer& out) const override {
    out.Each(groups_, [](snapshot_io::Writer& w, const auto& group) {
      w.Str(group.first);
      group.second.Save(w);
    });
  }

  void LoadState(snapshot_io::Reader& in) override {
    groups_.clear();
    in.Each([this](snapshot_io::Reader& r) {
      std::string key = r.Str();
      groups_.emplace_hint(groups_.end(), std::move(key), PriceGroup())->second.Load(r);
    });
  }

 private:
  // Peers of a sale of `product` at `t`: the group's prices of other
  // products (all within the window before the business clock), less those
  // dated after t; nullopt when fewer than min_peers. Order statistics in
  // O(log² n) per sale, whatever the order sales arrive in.
  std::optional<PeerStatistics> Statistics(const PriceGroup& group, uint32_t product, int64_t t) {
    if (group.empty()) return std::nullopt;
    std::optional<std::vector<int64_t>> later;
    if (group.latest_ms() > t) {
      // Booked late: leave out what is dated after it, unless that is more
      // than kMaxLaterPrices (a log far out of business-time order), where
      // the sale is judged against the whole window of the clock.
      later = group.LaterPrices(product, t, kMaxLaterPrices);
    }
    PriceGroup::Peers peers = group.PeersOf(product, later ? &*later : nullptr);
    PeerStatistics s;
    s.n = peers.size();
    if (s.n < min_peers_ || s.n == 0) return std::nullopt;
    s.doubled_median = peers.DoubledMedian();
    s.quadrupled_mad = peers.QuadrupledMad(s.doubled_median);
    return s;
  }

  void Evaluate(const DecodedRecord& record, const SaleRecorded& sale,
                const projections::ProductEntity& product, const PeerStatistics& peers,
                FlagSink& sink) {
    if (peers.quadrupled_mad == 0) return;
    // (x − median)/MAD = 2·(2x − 2·median) / (4·MAD).
    const int64_t doubled_excess = 2 * sale.unit_price_fen - peers.doubled_median;
    const double z = kNormalQuartile * 2.0 * static_cast<double>(doubled_excess) /
                     static_cast<double>(peers.quadrupled_mad);
    if (!(z > z_threshold_)) return;

    FlagDraft draft;
    draft.severity = severity_;
    draft.subject = "product:" + sale.product_id;
    draft.region = product.origin_region;
    draft.evidence = {record.seq};
    draft.summary = "单价 " + FormatYuan(sale.unit_price_fen) + " 元，同类（" + product.category +
                    "/" + product.unit + "）近 " + std::to_string(window_days_) + " 天 " +
                    std::to_string(peers.n) + " 个价格中位数 " +
                    FormatDecimal(peers.doubled_median, 200, 2) + " 元、MAD " +
                    FormatDecimal(peers.quadrupled_mad, 400, 2) + " 元，稳健 z 值 " +
                    FormatFixed(z, 2) + " 超过 " + FormatFixed(z_threshold_, 2);
    draft.details["sale_id"] = sale.sale_id;
    draft.details["outlet_id"] = sale.outlet_id;
    draft.details["unit_price_fen"] = sale.unit_price_fen;
    draft.details["peers"] = static_cast<int64_t>(peers.n);
    draft.details["peer_median_fen"] = FormatDecimal(peers.doubled_median, 2, 1);
    draft.details["peer_mad_fen"] = FormatDecimal(peers.quadrupled_mad, 4, 2);
    draft.details["z"] = FormatFixed(z, 2);
    draft.details["z_threshold"] = FormatFixed(z_threshold_, 2);
    sink.Raise(std::move(draft));
  }

  FlagSeverity severity_;
  double z_threshold_;
  int64_t window_days_;
  int64_t window_ms_;
  std::size_t min_peers_;
  std::size_t max_prices_;
  std::map<std::string, PriceGroup, std::less<>> groups_;
};

}  // namespace

Result<std::unique_ptr<Rule>> MakePricePeerOutlier(RuleParams& params) {
  FUPIN_ASSIGN_OR_RETURN(FlagSeverity severity, params.Severity("severity"));
  FUPIN_ASSIGN_OR_RETURN(double z, params.Number("z_threshold", 0.0, 1000.0));
  FUPIN_ASSIGN_OR_RETURN(int64_t window_days, params.Int("window_days", 1, 366));
  // A median and a MAD need at least two prices.
  FUPIN_ASSIGN_OR_RETURN(int64_t min_peers, params.Int("min_peers", 2, 1'000'000));
  FUPIN_ASSIGN_OR_RETURN(int64_t max_prices,
                         params.Int("max_prices_per_group", min_peers, 10'000'000));
  return std::unique_ptr<Rule>(
      std::make_unique<PricePeerOutlierRule>(severity, z, window_days, min_peers, max_prices));
}

}  // namespace fupin::rules
