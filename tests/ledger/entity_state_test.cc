#include "ledger/entity_state.h"

#include <gtest/gtest.h>

namespace fupin {
namespace {

KeyState SampleKey() {
  KeyState key;
  key.public_key = std::string(32, '\x07');
  key.roles = kRoleSupplier | kRoleReporter;
  key.regions = {"433127", "430100"};
  key.not_before_ms = -5;
  key.not_after_ms = 1601481599000;
  key.revoked = true;
  key.supplier_id = "SUP-1";
  return key;
}

bool SameKey(const KeyState& a, const KeyState& b) {
  return a.alg == b.alg && a.public_key == b.public_key && a.roles == b.roles &&
         a.regions == b.regions && a.not_before_ms == b.not_before_ms &&
         a.not_after_ms == b.not_after_ms && a.revoked == b.revoked &&
         a.supplier_id == b.supplier_id;
}

TEST(EntityStateTest, KindNames) {
  EXPECT_EQ(EntityKindName(EntityKind::kKey), "key");
  EXPECT_EQ(EntityKindName(EntityKind::kHousehold), "household");
  EXPECT_EQ(EntityKindName(EntityKind::kFlag), "flag");
}

TEST(EntityStateTest, RolesRoundTrip) {
  for (std::string_view name :
       {"admin", "certifier", "operator", "supplier", "reporter", "supervisor", "system"}) {
    std::optional<Role> role = ParseRole(name);
    ASSERT_TRUE(role.has_value()) << name;
    EXPECT_EQ(RoleName(*role), name);
  }
  EXPECT_FALSE(ParseRole("Admin").has_value());
  EXPECT_FALSE(ParseRole("root").has_value());
}

TEST(EntityStateTest, KindOfFollowsTheAlternative) {
  EXPECT_EQ(KindOf(KeyState{}), EntityKind::kKey);
  EXPECT_EQ(KindOf(RegionState{}), EntityKind::kRegion);
  EXPECT_EQ(KindOf(SaleState{}), EntityKind::kSale);
  EXPECT_EQ(KindOf(FlagState{}), EntityKind::kFlag);
}

TEST(EntityStateCodecTest, KeyStateRoundTrips) {
  Result<EntityState> decoded = DecodeEntityState(EncodeEntityState(SampleKey()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_TRUE(std::holds_alternative<KeyState>(*decoded));
  EXPECT_TRUE(SameKey(std::get<KeyState>(*decoded), SampleKey()));
}

TEST(EntityStateCodecTest, KeyStateWithoutValidityRoundTrips) {
  KeyState key = SampleKey();
  key.not_before_ms.reset();
  key.not_after_ms.reset();
  Result<EntityState> decoded = DecodeEntityState(EncodeEntityState(key));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(SameKey(std::get<KeyState>(*decoded), key));
}

TEST(EntityStateCodecTest, EveryKindRoundTrips) {
  const std::vector<EntityState> states = {
      RegionState{"永顺县", RegionLevel::kCounty, "433100", true},
      CampaignState{"2020-09-01", "2020-09-30"},
      SupplierState{"433127"},
      HouseholdState{"433127"},
      ProductState{"SUP-1", "433127", true},
      OutletState{"430102", "counter", true},
      PromotionState{"430100"},
      SaleState{"C-1", 7000, 3500},
      FlagState{"430102", true},
  };
  for (const EntityState& state : states) {
    const std::string bytes = EncodeEntityState(state);
    Result<EntityState> decoded = DecodeEntityState(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(KindOf(*decoded), KindOf(state));
    // Equal states encode to equal bytes: compare through the encoding.
    EXPECT_EQ(EncodeEntityState(*decoded), bytes);
  }
  Result<EntityState> region_state = DecodeEntityState(EncodeEntityState(states[0]));
  ASSERT_TRUE(region_state.ok());
  const auto& region = std::get<RegionState>(*region_state);
  EXPECT_EQ(region.name, "永顺县");
  EXPECT_EQ(region.level, RegionLevel::kCounty);
  EXPECT_EQ(region.parent, "433100");
  EXPECT_TRUE(region.poverty_county);
  Result<EntityState> sale_state = DecodeEntityState(EncodeEntityState(states[7]));
  ASSERT_TRUE(sale_state.ok());
  const auto& sale = std::get<SaleState>(*sale_state);
  EXPECT_EQ(sale.outlet_id, "C-1");
  EXPECT_EQ(sale.amount_fen, 7000);
  EXPECT_EQ(sale.refunded_fen, 3500);
}

TEST(EntityStateCodecTest, StartsWithFormatVersionAndKind) {
  const std::string bytes = EncodeEntityState(SaleState{"C-1", 1, 0});
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], 1);
  EXPECT_EQ(bytes[1], static_cast<char>(EntityKind::kSale));
}

TEST(EntityStateCodecTest, EmptyBytesAreDataLoss) {
  EXPECT_EQ(DecodeEntityState("").status().code(), ErrorCode::kDataLoss);
}

TEST(EntityStateCodecTest, UnknownFormatVersionIsDataLoss) {
  std::string bytes = EncodeEntityState(SampleKey());
  bytes[0] = 3;
  EXPECT_EQ(DecodeEntityState(bytes).status().code(), ErrorCode::kDataLoss);
}

KeyState SampleSm2Key() {
  KeyState key = SampleKey();
  key.alg = KeyAlg::kSm2;
  key.public_key = "\x04" + std::string(64, '\x09');
  return key;
}

TEST(EntityStateCodecTest, Ed25519KeyStateIsStillFormat1ByteForByte) {
  // Format 1 as written before SM2 keys existed: no alg byte, so stores
  // from then decode and re-encode identically (verify compares bytes).
  const std::string bytes = EncodeEntityState(SampleKey());
  EXPECT_EQ(bytes[0], 1);
  KeyState sm2 = SampleKey();
  sm2.alg = KeyAlg::kSm2;
  EXPECT_EQ(EncodeEntityState(sm2).size(), bytes.size() + 1);
}

TEST(EntityStateCodecTest, Sm2KeyStateRoundTripsInFormat2) {
  const std::string bytes = EncodeEntityState(SampleSm2Key());
  EXPECT_EQ(bytes[0], 2);
  EXPECT_EQ(static_cast<uint8_t>(bytes.back()), static_cast<uint8_t>(KeyAlg::kSm2));
  Result<EntityState> decoded = DecodeEntityState(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(SameKey(std::get<KeyState>(*decoded), SampleSm2Key()));
}

TEST(EntityStateCodecTest, Format2OfAnEd25519KeyIsDataLoss) {
  // One encoding per state: an Ed25519 key is written as format 1 only.
  std::string bytes = EncodeEntityState(SampleSm2Key());
  bytes.back() = static_cast<char>(KeyAlg::kEd25519);
  EXPECT_EQ(DecodeEntityState(bytes).status().code(), ErrorCode::kDataLoss);
}

TEST(EntityStateCodecTest, UnknownKeyAlgIsDataLoss) {
  std::string bytes = EncodeEntityState(SampleSm2Key());
  bytes.back() = 9;
  EXPECT_EQ(DecodeEntityState(bytes).status().code(), ErrorCode::kDataLoss);
}

TEST(EntityStateCodecTest, UnknownKindIsDataLoss) {
  std::string bytes = EncodeEntityState(SampleKey());
  bytes[1] = 42;
  EXPECT_EQ(DecodeEntityState(bytes).status().code(), ErrorCode::kDataLoss);
}

TEST(EntityStateCodecTest, EveryTruncationIsDataLoss) {
  const std::string bytes = EncodeEntityState(SampleKey());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_EQ(DecodeEntityState(std::string_view(bytes).substr(0, size)).status().code(),
              ErrorCode::kDataLoss)
        << "size " << size;
  }
}

TEST(EntityStateCodecTest, TrailingBytesAreDataLoss) {
  EXPECT_EQ(DecodeEntityState(EncodeEntityState(SampleKey()) + "x").status().code(),
            ErrorCode::kDataLoss);
}

TEST(EntityStateCodecTest, HugeLengthPrefixIsDataLossWithoutAllocating) {
  // Header, cereal's endianness byte, then a string length of 0xffffffff.
  std::string bytes = EncodeEntityState(SupplierState{"433127"});
  bytes.replace(3, 4, "\xff\xff\xff\xff");
  EXPECT_EQ(DecodeEntityState(bytes).status().code(), ErrorCode::kDataLoss);
}

TEST(EntityStateCodecTest, BoolOutOfRangeIsDataLoss) {
  std::string bytes = EncodeEntityState(FlagState{"430102", true});
  bytes.back() = 7;
  EXPECT_EQ(DecodeEntityState(bytes).status().code(), ErrorCode::kDataLoss);
}

TEST(RegionCoversTest, ProvinceCoversItsCodes) {
  EXPECT_TRUE(RegionCovers("430000", "430000"));
  EXPECT_TRUE(RegionCovers("430000", "430100"));
  EXPECT_TRUE(RegionCovers("430000", "433127"));
  EXPECT_FALSE(RegionCovers("430000", "420100"));
}

TEST(RegionCoversTest, PrefectureCoversItsCounties) {
  EXPECT_TRUE(RegionCovers("430100", "430100"));
  EXPECT_TRUE(RegionCovers("430100", "430102"));
  EXPECT_FALSE(RegionCovers("430100", "430202"));
  EXPECT_FALSE(RegionCovers("430100", "430000"));  // never upwards
}

TEST(RegionCoversTest, CountyCoversOnlyItself) {
  EXPECT_TRUE(RegionCovers("430102", "430102"));
  EXPECT_FALSE(RegionCovers("430102", "430103"));
  EXPECT_FALSE(RegionCovers("430102", "430100"));
}

TEST(RegionCoversTest, WholeCountryCoversEverything) {
  EXPECT_TRUE(RegionCovers("000000", "430000"));
  EXPECT_TRUE(RegionCovers("000000", "433127"));
  EXPECT_TRUE(RegionCovers("000000", "000000"));
  EXPECT_FALSE(RegionCovers("430000", "000000"));
}

TEST(RegionCoversTest, CountyCodeWithInnerZerosIsNotAPrefix) {
  // 431000 (郴州) strips to "4310"; 431002 is under it, 430100 is not.
  EXPECT_TRUE(RegionCovers("431000", "431002"));
  EXPECT_FALSE(RegionCovers("431000", "430100"));
}

TEST(RegionCoversTest, ScopeCoversIfAnyEntryCovers) {
  const std::vector<std::string> scope = {"430100", "433127"};
  EXPECT_TRUE(ScopeCovers(scope, "430102"));
  EXPECT_TRUE(ScopeCovers(scope, "433127"));
  EXPECT_FALSE(ScopeCovers(scope, "433100"));
  EXPECT_FALSE(ScopeCovers({}, "430102"));
}

}  // namespace
}  // namespace fupin
