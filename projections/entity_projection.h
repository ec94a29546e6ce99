// The entity-state projection: the current state of every product (status,
// validity, reference price history, supplier, origin, benefit claim),
// supplier, household, outlet (active/closed, kind, region), key, region
// and campaign, each with the seqs that made it. Rules and the audit API
// read it; unlike the ledger's compact validation state (entity_state.h)
// it keeps everything a supervisor asks about.
//
// Maps are ordered (std::map), so iterating them is deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event_types.h"
#include "projections/projection.h"

namespace fupin::projections {

// Seq and business time of the record that did something.
struct Stamp {
  uint64_t seq = 0;
  int64_t occurred_at_ms = 0;
};

struct PricePoint {
  Stamp at;
  int64_t reference_price_fen = 0;
  std::string source;  // "product.certified" or product.repriced's source
};

struct ProductEntity {
  std::string name;
  std::string category;
  std::string spec;
  std::string unit;
  std::string supplier_id;
  std::string origin_region;
  std::string certificate_no;
  std::string valid_from;  // of the latest certification
  std::string valid_to;
  int64_t annual_value_fen = 0;
  std::vector<BenefitMechanism> mechanisms;
  std::vector<std::string> households;  // the latest claim
  int64_t people_claimed = 0;
  bool revoked = false;
  std::string revocation_reason;
  std::vector<Stamp> certifications;  // every certification, log order
  std::optional<Stamp> revoked_at;    // the revocation in force, if any
  std::vector<PricePoint> prices;     // reference price history, log order
  int64_t reference_price_fen() const {
    return prices.empty() ? 0 : prices.back().reference_price_fen;
  }
};

struct SupplierEntity {
  std::string name;
  std::string uscc;
  std::string region;
  Stamp registered;
};

struct HouseholdEntity {
  std::string region;
  int64_t members = 0;
  HouseholdStatus status = HouseholdStatus::kPoor;
  Stamp registered;  // the latest registration
};

struct OutletEntity {
  OutletKind kind = OutletKind::kCounter;
  std::string name;
  std::string region;
  std::string venue;  // empty when not given
  std::string platform;
  std::string device_id;
  Stamp deployed;
  bool closed = false;
  std::string close_reason;
  std::optional<Stamp> closed_at;
};

struct KeyEntity {
  std::string public_key;  // raw 32 bytes
  uint32_t roles = 0;      // bit set of Role
  std::vector<std::string> regions;
  std::optional<int64_t> not_before_ms;
  std::optional<int64_t> not_after_ms;
  std::string supplier_id;
  Stamp registered;
  bool revoked = false;
  std::string revocation_reason;
  std::optional<Stamp> revoked_at;
};

struct RegionEntity {
  std::string name;
  RegionLevel level = RegionLevel::kCounty;
  std::string parent;
  bool poverty_county = false;
  Stamp defined;
};

struct CampaignEntity {
  std::string name;
  std::string starts_on;
  std::string ends_on;
  CampaignTargets targets;
  Stamp defined;
};

struct EntityCatalog {
  std::map<std::string, ProductEntity, std::less<>> products;
  std::map<std::string, SupplierEntity, std::less<>> suppliers;
  std::map<std::string, HouseholdEntity, std::less<>> households;
  std::map<std::string, OutletEntity, std::less<>> outlets;
  std::map<std::string, KeyEntity, std::less<>> keys;
  std::map<std::string, RegionEntity, std::less<>> regions;
  std::map<std::string, CampaignEntity, std::less<>> campaigns;
  uint64_t position = 0;  // the state reflects records [0, position)
};

class EntityProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "entities";
  // Bump when Apply's meaning or the encoding changes.
  static constexpr uint32_t kVersion = 1;

  std::string_view name() const override { return kName; }
  uint32_t version() const override { return kVersion; }
  void Apply(const DecodedRecord& record) override;  // entity_fold.cc
  std::string EncodeState() const override;          // entity_codec.cc
  Status DecodeState(std::string_view bytes) override;
  std::unique_ptr<Projection> NewEmpty() const override {
    return std::make_unique<EntityProjection>();
  }

  const EntityCatalog& catalog() const { return catalog_; }

 private:
  EntityCatalog catalog_;
};

}  // namespace fupin::projections
