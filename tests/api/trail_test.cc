// GET /v1/trail/{kind}/{id} and the as_of/proofs of GET /v1/streams/{stream}:
// complete trails in log order, pagination, as_of, proofs checked by an
// independent verifier (leaf hashes recomputed from the served records,
// RFC 9162 inclusion against the checkpoint root, the checkpoint signature
// checked with OpenSSL directly) that fails on any altered byte, the
// stream's hash chain from version 1, region scope and every refusal.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ledger/canonical_json.h"
#include "tests/api/rfc9162_verifier.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kXiangxiToken = "xiangxi-auditor-token-0123456789";
constexpr std::string_view kChangshaToken = "changsha-auditor-token-0123456789";

std::string Token(std::string_view token) { return std::string(token); }

// The fixture plus auditors of 湘西州 (433100) and 长沙市 (430100).
ApiServer::Tweak WithScopedAuditors(bool rules = false) {
  return [rules](ServerConfig& config) {
    if (rules) config.rules.reset();
    TokenConfig xiangxi = MakeToken("aud-433100", kXiangxiToken, Role::kAuditor);
    xiangxi.regions = {"433100"};
    TokenConfig changsha = MakeToken("aud-430100", kChangshaToken, Role::kAuditor);
    changsha.regions = {"430100"};
    config.tokens.push_back(xiangxi);
    config.tokens.push_back(changsha);
  };
}

// Posts `n` sales of P-1 at C-1, one request each (one checkpoint each).
std::vector<uint64_t> PostSales(ApiServer& server, int n, const std::string& prefix = "S-") {
  TestClient client(server.port());
  std::vector<uint64_t> seqs;
  for (int i = 0; i < n; ++i) {
    HttpReply reply =
        client.Post("/v1/events", SaleJson(server.op(), "C-1", prefix + std::to_string(i)));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    if (reply.status != 201) break;
    seqs.push_back(static_cast<uint64_t>(reply.Json().at("results").at(0).at("seq").as_int64()));
  }
  return seqs;
}

std::vector<uint64_t> SeqsOf(const bj::value& answer) {
  std::vector<uint64_t> seqs;
  for (const bj::value& record : answer.at("records").as_array()) {
    seqs.push_back(static_cast<uint64_t>(record.at("seq").as_int64()));
  }
  return seqs;
}

// The seqs of every record whose stream is `kind:id` or whose event body
// names the entity in `field`, found by reading the whole log: an answer
// computed without the reference index.
std::vector<uint64_t> NamingSeqs(uint16_t port, const std::string& stream, const std::string& field,
                                 const std::string& id) {
  std::vector<uint64_t> seqs;
  for (const bj::object& record : FetchRecords(port)) {
    const bj::object& body = record.at("event").at("body").as_object();
    bool names = record.at("stream").as_string() == stream;
    if (const bj::value* value = body.if_contains(field)) {
      names = names || (value->is_string() && value->as_string() == id);
    }
    if (names) seqs.push_back(static_cast<uint64_t>(record.at("seq").as_int64()));
  }
  return seqs;
}

// --- The independent verifier ----------------------------------------------

std::string Base64Decode(std::string_view text) {
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return "";
  std::size_t padding = 0;
  if (text.ends_with("==")) {
    padding = 2;
  } else if (text.ends_with("=")) {
    padding = 1;
  }
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

// SPEC §2.3: Ed25519 over "fupin-ledger/checkpoint/v1\n" + JCS of the
// checkpoint without "sig", checked with OpenSSL's EVP directly.
bool CheckpointSignatureValid(const bj::object& checkpoint, const std::string& public_key_b64) {
  bj::object unsigned_checkpoint = checkpoint;
  unsigned_checkpoint.erase("sig");
  std::string message = "fupin-ledger/checkpoint/v1\n" + json::Canonicalize(unsigned_checkpoint);
  std::string key = Base64Decode(public_key_b64);
  std::string signature = Base64Decode(checkpoint.at("sig").as_string());
  if (key.size() != 32 || signature.size() != 64) return false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                  reinterpret_cast<const unsigned char*>(key.data()), key.size()),
      &EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!pkey || !ctx) return false;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

// The leaf hash recomputed from a served record: SPEC §2.2 leaf data is
// the JCS of the record without leaf_hash (and without the proof the
// answer added).
Digest32 RecomputedLeafHash(const bj::object& record) {
  bj::object leaf = record;
  leaf.erase("leaf_hash");
  leaf.erase("proof");
  return LeafHashOf(json::Canonicalize(leaf));
}

// A served record holds: its leaf hash is the hash of its content, and its
// inclusion proof leads from that hash to the checkpoint's root.
bool RecordProven(const bj::object& record, const bj::object& checkpoint) {
  Digest32 leaf = RecomputedLeafHash(record);
  if (FromHex(record.at("leaf_hash").as_string()) != leaf) return false;
  const bj::object& proof = record.at("proof").as_object();
  if (proof.at("tree_size") != checkpoint.at("tree_size")) return false;
  std::vector<Digest32> path;
  for (const bj::value& hex : proof.at("path").as_array()) {
    std::optional<Digest32> hash = FromHex(hex.as_string());
    if (!hash) return false;
    path.push_back(*hash);
  }
  std::optional<Digest32> root = FromHex(checkpoint.at("root_hash").as_string());
  if (!root) return false;
  return VerifyInclusionProof(static_cast<uint64_t>(record.at("seq").as_int64()),
                              static_cast<uint64_t>(checkpoint.at("tree_size").as_int64()), leaf,
                              path, *root);
}

// Every record of a proven answer holds against its checkpoint, and the
// checkpoint is signed by the ledger's system key.
bool AnswerProven(const bj::object& answer, const std::string& system_public_key) {
  const bj::object& checkpoint = answer.at("checkpoint").as_object();
  if (!CheckpointSignatureValid(checkpoint, system_public_key)) return false;
  for (const bj::value& record : answer.at("records").as_array()) {
    if (!RecordProven(record.as_object(), checkpoint)) return false;
  }
  return true;
}

// --- Trails ----------------------------------------------------------------

TEST(Trail, HoldsEveryRecordNamingTheEntityInLogOrder) {
  ApiServer server;
  PostSales(server, 5);
  TestClient client(server.port());
  struct Case {
    std::string kind, id, field;
  };
  for (const Case& c :
       {Case{"outlet", "C-1", "outlet_id"}, Case{"product", "P-1", "product_id"},
        Case{"supplier", "SUP-1", "supplier_id"}, Case{"campaign", "CAMP-1", "campaign_id"}}) {
    HttpReply reply = client.Get("/v1/trail/" + c.kind + "/" + c.id, Token(kAuditorToken));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_EQ(reply.Json().at("entity").as_string(), c.kind + ":" + c.id);
    EXPECT_TRUE(reply.Json().at("next").is_null());
    EXPECT_EQ(SeqsOf(reply.Json()), NamingSeqs(server.port(), c.kind + ":" + c.id, c.field, c.id))
        << c.kind;
  }
  // The outlet's trail is its deployment then the five sales.
  HttpReply outlet = client.Get("/v1/trail/outlet/C-1", Token(kAuditorToken));
  ASSERT_EQ(outlet.Json().at("records").as_array().size(), 6u);
  EXPECT_EQ(outlet.Json().at("records").at(0).at("event").at("type").as_string(),
            "outlet.deployed");
}

TEST(Trail, RegionAndKeyTrailsHoldWhatNamesThem) {
  ApiServer server;
  TestClient client(server.port());
  // 永顺县: its definition, the supplier, the household and the product.
  HttpReply region = client.Get("/v1/trail/region/433127", Token(kAuditorToken));
  ASSERT_EQ(region.status, 200u) << region.body;
  std::vector<std::string> types;
  for (const bj::value& record : region.Json().at("records").as_array()) {
    types.emplace_back(record.at("event").at("type").as_string());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"region.defined", "supplier.registered",
                                             "household.registered", "product.certified"}));
  HttpReply key = client.Get("/v1/trail/key/operator-1", Token(kAuditorToken));
  ASSERT_EQ(key.status, 200u) << key.body;
  ASSERT_EQ(key.Json().at("records").as_array().size(), 1u);
  EXPECT_EQ(key.Json().at("records").at(0).at("event").at("type").as_string(), "key.registered");
}

TEST(Trail, PagesCoverEachRecordOnce) {
  ApiServer server;
  PostSales(server, 7);
  TestClient client(server.port());
  HttpReply whole = client.Get("/v1/trail/outlet/C-1?limit=1000", Token(kAuditorToken));
  ASSERT_EQ(whole.status, 200u) << whole.body;
  std::vector<uint64_t> expected = SeqsOf(whole.Json());
  ASSERT_EQ(expected.size(), 8u);

  std::vector<uint64_t> paged;
  std::optional<int64_t> next = 0;
  int pages = 0;
  while (next) {
    HttpReply page = client.Get("/v1/trail/outlet/C-1?limit=3&from=" + std::to_string(*next),
                                Token(kAuditorToken));
    ASSERT_EQ(page.status, 200u) << page.body;
    for (uint64_t seq : SeqsOf(page.Json())) paged.push_back(seq);
    const bj::value& after = page.Json().at("next");
    next = after.is_null() ? std::nullopt : std::optional<int64_t>(after.as_int64());
    ASSERT_LT(++pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, expected);
  EXPECT_EQ(std::set<uint64_t>(paged.begin(), paged.end()).size(), paged.size());
}

TEST(Trail, AsOfExcludesLaterRecords) {
  ApiServer server;
  std::vector<uint64_t> sales = PostSales(server, 4);
  ASSERT_EQ(sales.size(), 4u);
  TestClient client(server.port());
  HttpReply past =
      client.Get("/v1/trail/outlet/C-1?as_of=" + std::to_string(sales[1]), Token(kAuditorToken));
  ASSERT_EQ(past.status, 200u) << past.body;
  std::vector<uint64_t> seqs = SeqsOf(past.Json());
  ASSERT_EQ(seqs.size(), 3u);  // the deployment and the first two sales
  EXPECT_EQ(seqs.back(), sales[1]);
  EXPECT_TRUE(past.Json().at("next").is_null());
  // A page cut by as_of says nothing follows.
  HttpReply page = client.Get("/v1/trail/outlet/C-1?limit=3&as_of=" + std::to_string(sales[1]),
                              Token(kAuditorToken));
  ASSERT_EQ(page.status, 200u);
  EXPECT_TRUE(page.Json().at("next").is_null());
  // Before the outlet was deployed its trail is empty, not missing.
  HttpReply before = client.Get("/v1/trail/outlet/C-1?as_of=0", Token(kAuditorToken));
  ASSERT_EQ(before.status, 200u) << before.body;
  EXPECT_TRUE(before.Json().at("records").as_array().empty());
  // as_of a time: as of the last record recorded by then.
  std::vector<boost::json::object> records = FetchRecords(server.port());
  std::string at(records[sales[1]].at("recorded_at").as_string());
  uint64_t last = sales[1];
  while (last + 1 < records.size() && records[last + 1].at("recorded_at").as_string() == at) ++last;
  HttpReply by_time = client.Get("/v1/trail/outlet/C-1?as_of=" + at, Token(kAuditorToken));
  ASSERT_EQ(by_time.status, 200u) << by_time.body;
  EXPECT_EQ(
      by_time.body,
      client.Get("/v1/trail/outlet/C-1?as_of=" + std::to_string(last), Token(kAuditorToken)).body);
}

TEST(Trail, ProofsVerifyWithAnIndependentVerifier) {
  ApiServer server;
  PostSales(server, 5);
  TestClient client(server.port());
  const std::string system_key = server.ledger().info().system_public_key;
  for (std::string target : {"/v1/trail/outlet/C-1?proofs=1", "/v1/trail/product/P-1?proofs=1",
                             "/v1/trail/region/430102?proofs=1&limit=2"}) {
    HttpReply reply = client.Get(target, Token(kAuditorToken));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const bj::object& answer = reply.Json().as_object();
    ASSERT_FALSE(answer.at("records").as_array().empty()) << target;
    EXPECT_EQ(answer.at("checkpoint").at("tree_size").as_int64(),
              static_cast<int64_t>(server.tree_size()));
    EXPECT_EQ(answer.at("checkpoint").at("log_id").as_string(), server.ledger().info().log_id);
    EXPECT_TRUE(AnswerProven(answer, system_key)) << target;
  }
}

TEST(Trail, AnAlteredRecordFailsVerification) {
  ApiServer server;
  PostSales(server, 3);
  TestClient client(server.port());
  HttpReply reply = client.Get("/v1/trail/outlet/C-1?proofs=1", Token(kAuditorToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const bj::object answer = reply.Json().as_object();
  const std::string system_key = server.ledger().info().system_public_key;
  ASSERT_TRUE(AnswerProven(answer, system_key));

  // One fen more on a sale, served hash kept: the content no longer hashes
  // to it.
  bj::object altered = answer;
  bj::object& sale = altered["records"].as_array()[2].as_object();
  int64_t amount = sale["event"].at("body").at("amount_fen").as_int64();
  sale["event"].as_object()["body"].as_object()["amount_fen"] = amount + 1;
  EXPECT_FALSE(AnswerProven(altered, system_key));
  // The same with the leaf hash recomputed: the inclusion proof fails.
  Digest32 forged = RecomputedLeafHash(sale);
  std::string hex;
  for (uint8_t byte : forged) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  sale["leaf_hash"] = hex;
  EXPECT_FALSE(RecordProven(sale, altered.at("checkpoint").as_object()));
  // One byte of one proof path, or of the checkpoint root, or its size.
  bj::object bad_path = answer;
  bj::array& path =
      bad_path["records"].as_array()[1].as_object()["proof"].as_object()["path"].as_array();
  ASSERT_FALSE(path.empty());
  std::string first(path[0].as_string());
  first[0] = first[0] == '0' ? '1' : '0';
  path[0] = first;
  EXPECT_FALSE(AnswerProven(bad_path, system_key));
  bj::object bad_checkpoint = answer;
  bad_checkpoint["checkpoint"].as_object()["tree_size"] = server.tree_size() - 1;
  EXPECT_FALSE(AnswerProven(bad_checkpoint, system_key));
  // A record the checkpoint signature did not sign: the timestamp altered.
  bj::object bad_signature = answer;
  bad_signature["checkpoint"].as_object()["timestamp"] = "2020-09-05T02:15:59Z";
  EXPECT_FALSE(AnswerProven(bad_signature, system_key));
}

TEST(Trail, ChainIsCompleteFromVersionOne) {
  ApiServer server;
  PostSales(server, 6);
  TestClient client(server.port());
  HttpReply reply =
      client.Get("/v1/trail/outlet/C-1?proofs=1&from=0&limit=4", Token(kAuditorToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const bj::array& chain = reply.Json().at("chain").as_array();
  const bj::array& records = reply.Json().at("records").as_array();
  ASSERT_EQ(records.size(), 4u);
  // Up to the page's last record (the outlet's stream version 4).
  ASSERT_EQ(chain.size(), 4u);
  std::string previous;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(chain[i].at("stream_version").as_int64(), static_cast<int64_t>(i + 1));
    EXPECT_EQ(chain[i].at("prev_stream_hash").as_string(), previous);
    previous = std::string(chain[i].at("leaf_hash").as_string());
    // Each link is the page's record of that version, hash for hash.
    EXPECT_EQ(chain[i].at("seq"), records[i].at("seq"));
    EXPECT_EQ(chain[i].at("leaf_hash"), records[i].at("leaf_hash"));
    EXPECT_EQ(records[i].at("prev_stream_hash").as_string(),
              chain[i].at("prev_stream_hash").as_string());
  }
  // The second page's chain starts at version 1 again and reaches its end.
  HttpReply second = client.Get("/v1/trail/outlet/C-1?proofs=1&limit=4&from=" +
                                    std::to_string(reply.Json().at("next").as_int64()),
                                Token(kAuditorToken));
  ASSERT_EQ(second.status, 200u) << second.body;
  const bj::array& whole = second.Json().at("chain").as_array();
  ASSERT_EQ(whole.size(), 7u);
  EXPECT_EQ(whole[0].at("stream_version").as_int64(), 1);
  EXPECT_EQ(whole[6].at("leaf_hash"),
            second.Json().at("records").as_array().back().at("leaf_hash"));
  // Without proofs there is neither checkpoint nor chain.
  HttpReply plain = client.Get("/v1/trail/outlet/C-1", Token(kAuditorToken));
  EXPECT_FALSE(plain.Json().as_object().contains("chain"));
  EXPECT_FALSE(plain.Json().as_object().contains("checkpoint"));
}

TEST(Trail, AsOfWithProofsUsesTheFirstCheckpointHoldingIt) {
  ApiServer server;
  std::vector<uint64_t> sales = PostSales(server, 4);
  ASSERT_EQ(sales.size(), 4u);
  TestClient client(server.port());
  // The fixture signs a checkpoint after every commit: the one holding the
  // second sale has exactly its size.
  HttpReply reply = client.Get("/v1/trail/outlet/C-1?proofs=1&as_of=" + std::to_string(sales[1]),
                               Token(kAuditorToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json().at("checkpoint").at("tree_size").as_int64(),
            static_cast<int64_t>(sales[1] + 1));
  EXPECT_EQ(SeqsOf(reply.Json()).back(), sales[1]);
  EXPECT_TRUE(AnswerProven(reply.Json().as_object(), server.ledger().info().system_public_key));
  EXPECT_EQ(reply.Json().at("chain").as_array().size(), 3u);
}

TEST(Trail, RefusesWithTheirCodes) {
  ApiServer server(WithScopedAuditors());
  TestClient client(server.port());
  const std::string size = std::to_string(server.tree_size());
  ExpectRefusals(
      client, {
                  {"/v1/trail/sale/S-1", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P:1", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-1?as_of=" + size, kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-1?as_of=-1", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-1?as_of=yesterday", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-1?as_of=1999-01-01T00:00:00Z", kAuditorToken, 400,
                   "invalid_argument"},
                  {"/v1/trail/product/P-1?proofs=true", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-1?proofs=0", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-1?limit=1001", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-1?form=3", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/trail/product/P-404", kAuditorToken, 404, "not_found"},
                  {"/v1/trail/outlet/C-1", kXiangxiToken, 403, "permission_denied"},
                  {"/v1/trail/region/430102", kXiangxiToken, 403, "permission_denied"},
                  {"/v1/trail/campaign/CAMP-1", kXiangxiToken, 403, "permission_denied"},
                  {"/v1/trail/key/certifier-1", kXiangxiToken, 403, "permission_denied"},
                  {"/v1/trail/product/P-1", kChangshaToken, 403, "permission_denied"},
                  {"/v1/trail/product/P-1", kPublicToken, 403, "permission_denied"},
              });
  HttpReply anonymous = client.Get("/v1/trail/product/P-1");
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_EQ(anonymous.Code(), "unauthenticated");
  // The out-of-scope refusal says why.
  HttpReply refused = client.Get("/v1/trail/outlet/C-1", Token(kXiangxiToken));
  EXPECT_NE(refused.Json().at("detail").as_string().find("430102"), std::string::npos)
      << refused.body;
}

TEST(Trail, ScopedAuditorReadsItsRegionsEntities) {
  ApiServer server(WithScopedAuditors());
  TestClient client(server.port());
  for (std::string target :
       {"/v1/trail/product/P-1", "/v1/trail/supplier/SUP-1", "/v1/trail/household/H-1",
        "/v1/trail/region/433127", "/v1/trail/key/supplier-1"}) {
    HttpReply reply = client.Get(target, Token(kXiangxiToken));
    EXPECT_EQ(reply.status, 200u) << target << ": " << reply.body;
  }
  EXPECT_EQ(client.Get("/v1/trail/outlet/C-1", Token(kChangshaToken)).status, 200u);
}

// A flag's region decides: FP-03 on P-1 (of 433127) is 湘西's, not 长沙's.
TEST(Trail, FlagTrailFollowsTheFlagsRegion) {
  ApiServer server(WithScopedAuditors(/*rules=*/true));
  TestClient client(server.port());
  boost::json::object body = fupin::testing::SaleBody("S-high", 1, 5600);
  ASSERT_EQ(
      client.Post("/v1/events", server.op().SignJson("sale.recorded", std::move(body))).status,
      201u);
  std::string flag_id;
  // The rule engine appends the flag after the acknowledgement.
  for (int attempt = 0; attempt < 200 && flag_id.empty(); ++attempt) {
    HttpReply flags = client.Get("/v1/flags", Token(kSupervisorToken));
    ASSERT_EQ(flags.status, 200u) << flags.body;
    if (!flags.Json().at("flags").as_array().empty()) {
      flag_id = std::string(flags.Json().at("flags").at(0).at("flag_id").as_string());
    } else {
      std::this_thread::sleep_for(50ms);
    }
  }
  ASSERT_FALSE(flag_id.empty());
  HttpReply xiangxi = client.Get("/v1/trail/flag/" + flag_id, Token(kXiangxiToken));
  ASSERT_EQ(xiangxi.status, 200u) << xiangxi.body;
  EXPECT_EQ(xiangxi.Json().at("records").at(0).at("event").at("type").as_string(), "flag.raised");
  HttpReply changsha = client.Get("/v1/trail/flag/" + flag_id, Token(kChangshaToken));
  EXPECT_EQ(changsha.status, 403u);
  EXPECT_EQ(changsha.Code(), "permission_denied");
}

// --- Streams and the raw log -----------------------------------------------

TEST(StreamReads, AsOfAndProofs) {
  ApiServer server;
  std::vector<uint64_t> sales = PostSales(server, 4);
  ASSERT_EQ(sales.size(), 4u);
  TestClient client(server.port());
  HttpReply past =
      client.Get("/v1/streams/outlet:C-1?as_of=" + std::to_string(sales[2]), Token(kAuditorToken));
  ASSERT_EQ(past.status, 200u) << past.body;
  EXPECT_EQ(SeqsOf(past.Json()).size(), 4u);
  EXPECT_TRUE(past.Json().at("next").is_null());
  HttpReply paged =
      client.Get("/v1/streams/outlet:C-1?limit=2&from=2&as_of=" + std::to_string(sales[2]),
                 Token(kAuditorToken));
  ASSERT_EQ(paged.status, 200u) << paged.body;
  EXPECT_EQ(SeqsOf(paged.Json()), (std::vector<uint64_t>{sales[0], sales[1]}));
  EXPECT_EQ(paged.Json().at("next").as_int64(), 4);

  HttpReply proven = client.Get("/v1/streams/outlet:C-1?proofs=1", Token(kAuditorToken));
  ASSERT_EQ(proven.status, 200u) << proven.body;
  EXPECT_EQ(proven.Json().at("records").as_array().size(), 5u);
  EXPECT_TRUE(AnswerProven(proven.Json().as_object(), server.ledger().info().system_public_key));
  HttpReply proven_past = client.Get(
      "/v1/streams/outlet:C-1?proofs=1&as_of=" + std::to_string(sales[0]), Token(kAuditorToken));
  ASSERT_EQ(proven_past.status, 200u) << proven_past.body;
  EXPECT_EQ(proven_past.Json().at("checkpoint").at("tree_size").as_int64(),
            static_cast<int64_t>(sales[0] + 1));
  EXPECT_TRUE(
      AnswerProven(proven_past.Json().as_object(), server.ledger().info().system_public_key));
}

TEST(StreamReads, RefusesWithTheirCodes) {
  ApiServer server(WithScopedAuditors());
  TestClient client(server.port());
  const std::string size = std::to_string(server.tree_size());
  ExpectRefusals(
      client, {
                  {"/v1/streams/outlet:C-1?as_of=" + size, kAuditorToken, 400, "invalid_argument"},
                  {"/v1/streams/outlet:C-1?proofs=yes", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/streams/outlet:C-1?asof=1", kAuditorToken, 400, "invalid_argument"},
                  {"/v1/streams/outlet:C-404", kAuditorToken, 404, "not_found"},
                  {"/v1/streams/outlet:C-1", kXiangxiToken, 403, "permission_denied"},
                  {"/v1/streams/campaign:CAMP-1", kXiangxiToken, 403, "permission_denied"},
                  {"/v1/streams/outlet:C-1", kPublicToken, 403, "permission_denied"},
              });
  EXPECT_EQ(client.Get("/v1/streams/outlet:C-1").status, 401u);
  EXPECT_EQ(client.Get("/v1/streams/product:P-1", Token(kXiangxiToken)).status, 200u);
  EXPECT_EQ(client.Get("/v1/streams/region:433127", Token(kXiangxiToken)).status, 200u);
}

TEST(RawLog, NeedsAProvinceWideScope) {
  ApiServer server(WithScopedAuditors());
  TestClient client(server.port());
  for (std::string target : {"/v1/events", "/v1/events/0", "/v1/events?type=sale.recorded"}) {
    HttpReply scoped = client.Get(target, Token(kXiangxiToken));
    EXPECT_EQ(scoped.status, 403u) << target;
    EXPECT_EQ(scoped.Code(), "permission_denied") << target;
    EXPECT_EQ(client.Get(target, Token(kAuditorToken)).status, 200u) << target;
  }
}

}  // namespace
}  // namespace fupin::api::testing
