// Evidence bundles: a bundle verifies (with and without a trust anchor);
// changing any single byte of it -- a sweep of positions across the whole
// file -- makes verification fail with a reason naming the part, and the
// sweep hits every part (records, proofs, keys, checkpoint, chain).
#include "replay/bundle.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <set>

#include "tests/replay/replay_world.h"

namespace fupin::replay::testing {
namespace {

// A world whose story is covered by a checkpoint (reopening signs one).
class BundleTest : public ::testing::Test {
 protected:
  BundleTest() {
    TellStory(w_);
    w_.ledger.Reopen();
  }
  std::string Build(const std::string& entity) {
    Result<std::string> bundle = BuildBundle(w_.log(), entity, &stats_);
    EXPECT_TRUE(bundle.ok()) << bundle.status().ToString();
    return bundle.ok() ? *bundle : "";
  }
  TrustAnchor Anchor() { return {w_.log().info().log_id, w_.log().info().system_public_key}; }
  StatsWorld w_;
  BundleStats stats_;
};

TEST_F(BundleTest, ABundleVerifiesWithAndWithoutTheTrustAnchor) {
  const std::string bundle = Build("product:P-1");
  BundleVerification anchored = VerifyBundle(bundle, Anchor());
  EXPECT_TRUE(anchored.ok()) << anchored.reason();
  EXPECT_TRUE(anchored.anchor_given);
  BundleVerification bare = VerifyBundle(bundle, {});
  EXPECT_TRUE(bare.ok()) << bare.reason();
  EXPECT_FALSE(bare.anchor_given);
  // P-1: certified, sold (S-1, S-3 and the seed's sales) -- its own stream
  // holds only the certification(s); the trail holds every sale naming it.
  EXPECT_EQ(anchored.stats.entity, "product:P-1");
  EXPECT_EQ(anchored.stats.trail, stats_.trail);
  EXPECT_GE(stats_.trail, 3u);
  EXPECT_EQ(anchored.stats.chain, stats_.chain);
  EXPECT_GE(stats_.chain, 1u);
  EXPECT_EQ(anchored.stats.records, stats_.records);
}

TEST_F(BundleTest, TheBundleHoldsTheSigningKeysDownToGenesis) {
  boost::json::object bundle = boost::json::parse(Build("outlet:C-2")).as_object();
  std::set<std::string> keys;
  for (const auto& key : bundle.at("keys").as_array()) {
    keys.insert(std::string(key.at("key_id").as_string()));
  }
  // The operator signed the outlet's records, the admin registered the
  // operator, the system key registered the admin and itself.
  EXPECT_TRUE(keys.contains("operator-province"));
  EXPECT_TRUE(keys.contains("admin"));
  EXPECT_TRUE(keys.contains(w_.log().info().system_key_id));
  EXPECT_EQ(bundle.at("records").as_array()[0].at("seq").as_int64(), 0);
  EXPECT_NE(std::string(bundle.at("summary").as_string()).find("网点 C-2"), std::string::npos);
}

TEST_F(BundleTest, AWrongTrustAnchorFailsTheCheckpointOrLogId) {
  const std::string bundle = Build("product:P-1");
  TrustAnchor other_key = Anchor();
  other_key.system_key_b64 = w_.ledger.admin.public_b64();
  BundleVerification v = VerifyBundle(bundle, other_key);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.reason().rfind("system key", 0), 0u) << v.reason();
  TrustAnchor other_log = Anchor();
  other_log.log_id = std::string(64, '0');
  v = VerifyBundle(bundle, other_log);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.reason().rfind("log id", 0), 0u) << v.reason();
}

// Which part of the bundle a failure names.
std::string PartOf(const std::string& reason) {
  for (const char* part : {"proof of seq", "record", "key", "checkpoint", "chain", "trail",
                           "summary", "log id", "system key", "format"}) {
    if (reason.rfind(part, 0) == 0) return part;
  }
  return "";
}

TEST_F(BundleTest, EverySingleByteChangeFailsWithAReasonNamingThePart) {
  const std::string bundle = Build("outlet:C-2");
  ASSERT_TRUE(VerifyBundle(bundle, Anchor()).ok());
  // A sweep over the whole file, denser over the small parts so each of
  // them is hit many times.
  std::set<std::size_t> positions;
  const std::size_t stride = std::max<std::size_t>(1, bundle.size() / 700);
  for (std::size_t i = 0; i < bundle.size(); i += stride) positions.insert(i);
  for (const char* member : {"\"checkpoint\":", "\"chain\":", "\"keys\":", "\"trail\":"}) {
    const std::size_t at = bundle.find(member);
    ASSERT_NE(at, std::string::npos) << member;
    for (std::size_t i = at; i < std::min(bundle.size(), at + 400); i += 3) positions.insert(i);
  }
  std::map<std::string, std::size_t> parts;
  std::size_t unreadable = 0;
  for (std::size_t i : positions) {
    std::string changed = bundle;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    BundleVerification v = VerifyBundle(changed, Anchor());
    ASSERT_FALSE(v.ok()) << "byte " << i << " ('" << bundle[i] << "') changed, still verifies";
    const std::string part = PartOf(v.reason());
    ASSERT_FALSE(part.empty()) << "byte " << i << ": reason names no part: " << v.reason();
    if (!v.readable) {
      ++unreadable;
      EXPECT_EQ(part, "format");
    }
    ++parts[part];
  }
  for (const char* part :
       {"record", "proof of seq", "key", "checkpoint", "chain", "trail", "summary"}) {
    EXPECT_GT(parts[part], 0u) << "the sweep never hit " << part;
  }
  EXPECT_GT(unreadable, 0u);
}

TEST_F(BundleTest, ADroppedChainLinkIsNamed) {
  boost::json::object bundle = boost::json::parse(Build("outlet:C-2")).as_object();
  boost::json::array& seqs = bundle.at("chain").as_object().at("seqs").as_array();
  ASSERT_GE(seqs.size(), 2u);
  seqs.erase(seqs.begin() + 1);
  BundleVerification v = VerifyBundle(boost::json::serialize(bundle), Anchor());
  EXPECT_EQ(v.reason().rfind("chain version 2", 0), 0u) << v.reason();
}

TEST_F(BundleTest, AnEntityWithoutRecordsHasNoBundle) {
  EXPECT_EQ(BuildBundle(w_.log(), "product:NOPE").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fupin::replay::testing
