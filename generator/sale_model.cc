#include "generator/sale_model.h"

#include <limits>
#include <vector>

namespace fupin::generator {
namespace {

// Individuals mostly take one or two; a few buy for the family.
const std::vector<int64_t>& IndividualWeights() {
  static const std::vector<int64_t> kWeights = {40, 24, 12, 8, 6, 3, 2, 2, 1, 2};
  return kWeights;
}
// Enterprise welfare purchases (职工福利) and budget-unit canteen or
// consolation purchases come in round lots.
inline constexpr std::array<int64_t, 12> kEnterpriseLots = {5,  6,  8,  10, 12, 15,
                                                            20, 24, 30, 36, 40, 50};
inline constexpr std::array<int64_t, 12> kBudgetLots = {10, 12, 15, 20, 24,  30,
                                                        40, 50, 60, 80, 100, 120};

struct Candidate {
  int64_t score = std::numeric_limits<int64_t>::min();
  int64_t distance = 0;
  int64_t quantity = 0;
  int64_t price_min = 0;
  int64_t price_max = 0;
};

int64_t Pow10(int k) {
  int64_t p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

// Considers every first digit reachable with quantity q and a price in
// [lo, hi]; keeps the best in `best`.
void Consider(int64_t q, int64_t distance, int64_t lo, int64_t hi,
              const std::array<int64_t, 10>& scores, Candidate& best) {
  const int64_t a = q * lo;
  const int64_t b = q * hi;
  int k = 0;
  while (Pow10(k + 1) <= a) ++k;
  for (; Pow10(k) <= b; ++k) {
    const int64_t decade = Pow10(k);
    for (int d = 1; d <= 9; ++d) {
      const int64_t from = d * decade;
      const int64_t to = (d + 1) * decade - 1;
      if (to < a || from > b) continue;
      const int64_t pmin = std::max(lo, (from + q - 1) / q);
      const int64_t pmax = std::min(hi, to / q);
      if (pmin > pmax) continue;
      const int64_t score = scores[static_cast<std::size_t>(d)];
      if (score > best.score || (score == best.score && distance < best.distance)) {
        best = {score, distance, q, pmin, pmax};
      }
    }
  }
}

}  // namespace

BuyerMix BuyerMixOf(OutletKind kind) {
  switch (kind) {
    case OutletKind::kCounter:
      return {900, 80, 20};
    case OutletKind::kPavilion:
      return {700, 200, 100};
    case OutletKind::kZoneOffline:
      return {850, 100, 50};
    case OutletKind::kZoneOnline:
      return {800, 120, 80};
    case OutletKind::kLivestreamBase:
      return {960, 40, 0};
  }
  return {1000, 0, 0};
}

BuyerKind DrawBuyerKind(OutletKind kind, Rng& rng) {
  const BuyerMix mix = BuyerMixOf(kind);
  const int64_t x = static_cast<int64_t>(rng.Below(1000));
  if (x < mix.individual) return BuyerKind::kIndividual;
  if (x < mix.individual + mix.enterprise) return BuyerKind::kEnterprise;
  return BuyerKind::kBudgetUnit;
}

int64_t DrawQuantity(BuyerKind kind, Rng& rng) {
  switch (kind) {
    case BuyerKind::kIndividual:
      return static_cast<int64_t>(rng.Weighted(IndividualWeights())) + 1;
    case BuyerKind::kEnterprise:
      return kEnterpriseLots[rng.Below(kEnterpriseLots.size())];
    case BuyerKind::kBudgetUnit:
      return kBudgetLots[rng.Below(kBudgetLots.size())];
  }
  return 1;
}

int64_t ExpectedQuantityMilli(OutletKind kind) {
  // Means of the tables above: 2.63, 23.0, 46.75 units.
  const BuyerMix mix = BuyerMixOf(kind);
  return (mix.individual * 2630 + mix.enterprise * 23'000 + mix.budget_unit * 46'750) / 1000;
}

int FirstDigit(int64_t amount) {
  while (amount >= 10) amount /= 10;
  return static_cast<int>(amount);
}

void DigitTally::Count(int64_t amount) {
  if (amount <= 0) return;
  ++counts_[static_cast<std::size_t>(FirstDigit(amount))];
  ++total_;
}

void DigitTally::Remove(int64_t amount) {
  if (amount <= 0) return;
  --counts_[static_cast<std::size_t>(FirstDigit(amount))];
  --total_;
}

std::array<int64_t, 10> DigitTally::Deficits() const {
  std::array<int64_t, 10> out{};
  out[0] = std::numeric_limits<int64_t>::min();
  for (std::size_t d = 1; d <= 9; ++d) {
    out[d] = (total_ + 1) * kBenfordBillionths[d] - counts_[d] * 1'000'000'000;
  }
  return out;
}

PricedQuantity ChooseAmount(int64_t natural, int64_t price_lo, int64_t price_hi,
                            const std::array<int64_t, 10>* scores, Rng& rng) {
  if (scores == nullptr) {
    return {natural, price_lo + static_cast<int64_t>(
                                    rng.Below(static_cast<uint64_t>(price_hi - price_lo + 1)))};
  }
  // The most wanted digit first: stop at the nearest quantity reaching it.
  int wanted = 1;
  for (int d = 2; d <= 9; ++d) {
    if ((*scores)[static_cast<std::size_t>(d)] > (*scores)[static_cast<std::size_t>(wanted)]) {
      wanted = d;
    }
  }
  const int64_t q_min = std::max<int64_t>(1, natural - natural / 2);
  const int64_t q_max = natural + natural / 2 + 2;
  Candidate best;
  for (int64_t step = 0; step <= 2 * (q_max - q_min) + 2; ++step) {
    // natural, natural + 1, natural - 1, natural + 2, ...
    const int64_t q = natural + ((step % 2 == 1) ? (step + 1) / 2 : -(step / 2));
    if (q < q_min || q > q_max) continue;
    Consider(q, step, price_lo, price_hi, *scores, best);
    if (best.score == (*scores)[static_cast<std::size_t>(wanted)]) break;
  }
  if (best.quantity == 0) return {natural, price_lo};
  return {best.quantity, best.price_min + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(
                                              best.price_max - best.price_min + 1)))};
}

}  // namespace fupin::generator
