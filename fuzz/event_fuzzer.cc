// The event envelope (ledger/event.h) and each body's validation against
// the catalog (ledger/validation.h): the path every appended event takes
// after its signature is checked, and every record verification re-reads.
//
// Input: a selector byte, then one event as JSON. Selector bits 0-6 are the
// signer's roles (ledger/entity_state.h's Role bits); bit 7 picks the
// ledger state the body is checked against:
//   0: every entity exists (references resolve, definitions collide);
//   1: the first entity looked up is absent and every later one exists
//      (a definition's own id is looked up first, so definitions pass
//      their uniqueness check and then resolve their references).
// The signer's scope is Hunan (430000); the signature is not checked
// (signing.h does, before validation).
//
// Invariants: the envelope's canonical form parses again to the same
// canonical form and signing input; an accepted event has a stream that
// DeriveStream agrees with, and its references are sorted and unique.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.h"
#include "ledger/entity_state.h"
#include "ledger/event.h"
#include "ledger/validation.h"

namespace fupin {
namespace {

// 2020-09-05T02:15:01.123Z, the contract vectors' record time.
inline constexpr int64_t kRecordedAtMs = 1599272101123;

// GB/T 2260 structure: "xx0000" a province, "xxxx00" a prefecture.
RegionState RegionOf(std::string_view code) {
  RegionState region;
  region.name = "region";
  if (code.size() == 6 && code.substr(2) == "0000") {
    region.level = RegionLevel::kProvince;
  } else if (code.size() == 6 && code.substr(4) == "00") {
    region.level = RegionLevel::kPrefecture;
    region.parent = std::string(code.substr(0, 2)) + "0000";
  } else {
    region.level = RegionLevel::kCounty;
    region.parent = std::string(code.substr(0, std::min<std::size_t>(code.size(), 4))) + "00";
    region.poverty_county = true;
  }
  return region;
}

EntityState StateOf(EntityKind kind, std::string_view id) {
  switch (kind) {
    case EntityKind::kKey: {
      KeyState key;
      key.public_key = std::string(32, '\x01');
      key.roles = 0x7f;
      key.regions = {"430000"};
      return key;
    }
    case EntityKind::kRegion:
      return RegionOf(id);
    case EntityKind::kCampaign:
      return CampaignState{"2020-09-01", "2020-09-30"};
    case EntityKind::kSupplier:
      return SupplierState{"430102"};
    case EntityKind::kHousehold:
      return HouseholdState{"430102"};
    case EntityKind::kProduct:
      return ProductState{"SUP-430102-0001", "430102", false};
    case EntityKind::kOutlet:
      return OutletState{"430102", "counter", false};
    case EntityKind::kPromotion:
      return PromotionState{"430102"};
    case EntityKind::kSale:
      return SaleState{"C-430102-0001", 7000, 1000};
    case EntityKind::kFlag:
      return FlagState{"430102", false};
  }
  return FlagState{};
}

// The synthetic ledger state described above. Lends states it keeps until
// it is destroyed (LedgerView's contract: valid until the next write).
class SyntheticView final : public LedgerView {
 public:
  explicit SyntheticView(bool first_absent) : first_absent_(first_absent) {}

  Result<const EntityState*> Find(EntityKind kind, std::string_view id) const override {
    if (first_absent_ && lookups_++ == 0) return static_cast<const EntityState*>(nullptr);
    lent_.push_back(std::make_unique<EntityState>(StateOf(kind, id)));
    return static_cast<const EntityState*>(lent_.back().get());
  }

 private:
  bool first_absent_;
  mutable int lookups_ = 0;
  mutable std::vector<std::unique_ptr<EntityState>> lent_;
};

}  // namespace
}  // namespace fupin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace fupin;
  const fuzz::SelectedInput in = fuzz::Select(data, size);
  Result<Envelope> envelope = ParseEnvelope(in.bytes);
  if (!envelope.ok()) return 0;

  Result<Envelope> again = ParseEnvelope(envelope->canonical);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->canonical == envelope->canonical);
  FUZZ_CHECK(again->signing_input == envelope->signing_input);

  KeyState signer;
  signer.public_key = std::string(32, '\x02');
  signer.roles = in.selector & 0x7f;
  signer.regions = {"430000"};
  signer.supplier_id = "SUP-430102-0001";
  const SyntheticView view((in.selector & 0x80) != 0);
  Result<ValidatedEvent> validated = ValidateEvent(*envelope, signer, kRecordedAtMs, view);
  if (!validated.ok()) return 0;
  Result<std::string> stream = DeriveStream(*envelope);
  FUZZ_CHECK(stream.ok() && *stream == validated->stream);
  FUZZ_CHECK(std::is_sorted(validated->references.begin(), validated->references.end()));
  FUZZ_CHECK(std::adjacent_find(validated->references.begin(), validated->references.end()) ==
             validated->references.end());
  return 0;
}
