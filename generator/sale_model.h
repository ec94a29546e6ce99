// How one sale looks: who buys (individual, enterprise, budget unit) at
// which kind of outlet, how many units, and at which price and amount.
//
// Amounts are steered so that each prefecture's first digits follow
// Benford's law: real retail amounts span several orders of magnitude and
// do, while a sample drawn from a few price points would not. The steering
// picks, among quantities near the natural one and prices within the
// allowed band, the amount whose first digit the prefecture lacks most.
#pragma once

#include <array>
#include <cstdint>

#include "generator/random.h"
#include "ledger/event_types.h"

namespace fupin::generator {

// Buyer kinds at an outlet, in permille (individual, enterprise, budget
// unit). Budget units buy at pavilions and zones, rarely at a counter in
// their own lobby; nobody buys for a budget unit during a live stream.
struct BuyerMix {
  int individual;
  int enterprise;
  int budget_unit;
};
BuyerMix BuyerMixOf(OutletKind kind);
BuyerKind DrawBuyerKind(OutletKind kind, Rng& rng);
// The quantity a buyer of this kind would naturally take (individuals
// 1-10, enterprises 5-50, budget units 10-120).
int64_t DrawQuantity(BuyerKind kind, Rng& rng);
// Expected quantity of a sale at an outlet of this kind, in thousandths.
int64_t ExpectedQuantityMilli(OutletKind kind);

// First digit of a positive amount.
int FirstDigit(int64_t amount);

// Benford probabilities log10(1 + 1/d) in billionths, d = 1..9 (index 0
// unused).
inline constexpr std::array<int64_t, 10> kBenfordBillionths = {
    0, 301029996, 176091259, 124938737, 96910013, 79181246, 66946790, 57991947, 51152522, 45757491};

// First-digit counts of one prefecture's sales.
class DigitTally {
 public:
  void Count(int64_t amount);
  // Undoes Count(amount) (an amount changed before it was written).
  void Remove(int64_t amount);
  // How much each digit is wanted next: expected count after one more
  // sale minus the actual count, in billionths of a sale.
  std::array<int64_t, 10> Deficits() const;
  int64_t total() const { return total_; }

 private:
  std::array<int64_t, 10> counts_{};
  int64_t total_ = 0;
};

struct PricedQuantity {
  int64_t quantity = 1;
  int64_t unit_price_fen = 1;
  int64_t amount() const { return quantity * unit_price_fen; }
};

// A quantity near `natural` (within half of it, plus two) and a unit price
// in [price_lo, price_hi] (fen, inclusive, 1 <= lo <= hi). With `scores`,
// prefers the amount whose first digit scores highest (ties: the quantity
// closest to the natural one); without, the natural quantity and a uniform
// price.
PricedQuantity ChooseAmount(int64_t natural, int64_t price_lo, int64_t price_hi,
                            const std::array<int64_t, 10>* scores, Rng& rng);

}  // namespace fupin::generator
