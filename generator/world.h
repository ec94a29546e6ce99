// The generated world: keys, suppliers, households, products, outlets,
// buyers and promotions of one campaign, built from the seed before any
// event is written. Its size depends on the scale's registries (suppliers,
// counters), never on the number of sales.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "generator/params.h"
#include "generator/random.h"
#include "generator/regions.h"
#include "generator/timeline.h"
#include "ledger/crypto.h"
#include "ledger/event_key.h"
#include "ledger/event_types.h"
#include "ledger/status.h"

namespace fupin::generator {

inline constexpr BizTime kNever = std::numeric_limits<BizTime>::max();

struct KeyEntry {
  std::string id;
  std::vector<std::string> roles;
  std::vector<std::string> regions;
  std::string supplier_id;  // supplier keys only
  crypto::EventSigningKey key = crypto::Ed25519PrivateKey();
  std::string public_b64;
  bool registered_by_init = false;  // the admin key
};

struct Supplier {
  std::string id;
  std::string name;
  std::string uscc;
  int county = 0;  // region index
  int key = -1;
  std::vector<int> products;
  std::vector<int> households;  // registered households it claims
  bool sham = false;            // FP-08: claims without sales
  bool used = false;            // involved in a fraud case
  std::vector<int> cases;       // label cases of its claims and payments
};

struct Household {
  std::string id;
  int county = 0;
  int members = 1;
  bool poor = true;
  int claims = 0;           // products listing it
  bool employment = false;  // listed under employment
  bool exclusive = true;    // listed by one product only
};

struct Product {
  std::string id;
  std::string name;
  int kind = 0;
  int supplier = 0;
  int origin = 0;  // region index
  int64_t reference_fen = 0;
  std::string certificate_no;
  int32_t valid_from = 0;  // days since epoch
  int32_t valid_to = 0;
  int64_t annual_value_fen = 0;
  std::vector<BenefitMechanism> mechanisms;
  std::vector<int> households;                // registered, listed in the claim
  std::vector<std::string> ghost_households;  // FP-06: never registered
  int64_t people_claimed = 0;
  BizTime certified_at = 0;
  BizTime revoked_at = kNever;
  BizTime repriced_at = kNever;
  int64_t repriced_to_fen = 0;
  // Sale prices relative to the reference, in permille.
  int price_lo_permille = 1000 - kPriceJitterPermille;
  int price_hi_permille = 1000 + kPriceJitterPermille;
  // Expected campaign sales, for the annual value.
  int64_t expected_sales_fen = 0;
  bool tainted = false;      // part of a product-level fraud
  int sale_case = -1;        // FP-03/04: every sale of it is evidence
  int revocation_case = -1;  // FP-01: its revocation is evidence
  int capacity_case = -1;    // FP-11: sales beyond capacity are evidence
  // FP-11: the annual value is this percentage of the expected sales
  // (0: honest, kAnnualValueFactorMin..Max times them).
  int capacity_percent = 0;
  std::vector<int> cases;  // label cases its certification belongs to
};

struct Outlet {
  std::string id;
  std::string name;
  OutletKind kind = OutletKind::kCounter;
  int region = 0;      // county, or the prefecture itself
  int prefecture = 0;  // region index
  int key = -1;
  std::optional<std::string> venue;
  std::optional<std::string> platform;
  std::optional<std::string> device_id;
  BizTime deployed_at = 0;
  BizTime closed_at = kNever;
  std::string close_reason;
  std::vector<int> assortment;  // product indexes
  int weight = 0;               // relative sales volume
  bool zombie = false;          // FP-14: never sells
  bool tainted = false;         // part of an outlet-level fraud
  std::vector<int> cases;       // label cases of its deployment
  int close_case = -1;          // FP-02: its closing is evidence
};

struct Promotion {
  std::string id;
  std::string name;
  int region = 0;
  int32_t held_on = 0;
  int key = -1;
};

struct World {
  uint64_t seed = 0;
  ScaleParams params;
  RegionTable regions;
  std::vector<KeyEntry> keys;  // keys[0] is the admin key
  std::vector<Supplier> suppliers;
  std::vector<Household> households;
  std::vector<Product> products;
  std::vector<Outlet> outlets;
  std::vector<Promotion> promotions;
  // Per prefecture (index into regions.prefectures()): keys and buyers.
  std::vector<int> counter_operator;   // key index
  std::vector<int> commerce_operator;  // key index
  std::vector<int> reporter;           // key index
  std::vector<int> platform_operator;  // key index per platform
  int demo_center_operator = -1;
  std::vector<int> county_certifier;  // by region index (-1 if none)
  // Outlets selling each product (inverse of the assortments).
  std::vector<std::vector<int>> product_outlets;
  // Planned sales (count) over the window, for rates and annual values.
  int64_t planned_sales = 0;
  int64_t total_weight = 0;

  const Region& region(int index) const { return regions.all()[index]; }
  int PrefectureSlot(int region_index) const;  // 0..13
};

// The pseudonym of the `ordinal`-th household of the campaign; ordinals
// past the registered ones give ids that look the same but were never
// registered (FP-06).
std::string HouseholdPseudonym(const World& w, int county, uint32_t ordinal);

// The id of budget unit `org` (0-based) of prefecture `slot`:
// "gov-430500-03"; its buyers are "gov-430500-03/p0042".
std::string OrgId(const World& w, int slot, int org);

// Adds a registered household of `county` (members, status drawn from
// rng); returns its index.
int NewHousehold(World& w, int county, Rng& rng);

// Builds the honest world (keys, registries, outlets, assortments) for a
// seed and scale. kInvalidArgument when the scale leaves too few sales.
Result<World> BuildWorld(uint64_t seed, const ScaleParams& params);

}  // namespace fupin::generator
