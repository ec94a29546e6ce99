// The access log: what the server records, GET /v1/access-log, the hash
// chain (and that it catches tampering), and reopening.
#include "api/access_log.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <filesystem>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

inline constexpr std::string_view kAdminToken = "admin-token-0123456789";
const std::string kAdmin(kAdminToken);
const std::string kAuditor(kAuditorToken);
const std::string kSupervisor(kSupervisorToken);
const std::string kPublic(kPublicToken);

// 2024-05-01T02:15:01.123Z, the time of the worked example in docs/api.md.
inline constexpr int64_t kExampleTimeMs = 1714529701123;

void AddAdmin(ServerConfig& config) {
  TokenConfig admin = MakeToken("adm-1", kAdminToken, Role::kAdmin);
  admin.regions = {"000000"};
  config.tokens.push_back(std::move(admin));
}

class AccessLogApiTest : public ::testing::Test {
 protected:
  // The entries of one GET /v1/access-log (which is itself logged after
  // it answers).
  boost::json::array Entries(const std::string& query = "") {
    TestClient client(server_.port());
    HttpReply reply = client.Get("/v1/access-log" + query, kAdmin);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    if (reply.status != 200) return {};
    return reply.Json().at("entries").as_array();
  }

  ApiServer server_{AddAdmin};
};

TEST_F(AccessLogApiTest, AnAuthenticatedReadIsRecordedWithWhoWhatAndOutcome) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Get("/v1/events/1", kAuditor).status, 200u);
  ASSERT_EQ(client.Get("/v1/events/999999", kSupervisor).status, 404u);

  boost::json::array entries = Entries();
  ASSERT_EQ(entries.size(), 2u);
  const boost::json::object& first = entries[0].as_object();
  EXPECT_EQ(first.at("seq").as_int64(), 0);
  EXPECT_EQ(first.at("token_id").as_string(), "aud-1");
  EXPECT_EQ(first.at("method").as_string(), "GET");
  EXPECT_EQ(first.at("route").as_string(), "/v1/events/{seq}");
  EXPECT_EQ(first.at("target").as_string(), "/v1/events/1");
  EXPECT_EQ(first.at("entity").as_string(), "record:1");
  EXPECT_EQ(first.at("status").as_int64(), 200);
  EXPECT_EQ(first.at("prev_hash").as_string(), std::string(64, '0'));
  EXPECT_TRUE(ParseRfc3339Millis(first.at("time").as_string()).ok());
  const boost::json::object& second = entries[1].as_object();
  EXPECT_EQ(second.at("token_id").as_string(), "sup-1");
  EXPECT_EQ(second.at("status").as_int64(), 404);
  EXPECT_EQ(second.at("prev_hash").as_string(), first.at("hash").as_string());
}

TEST_F(AccessLogApiTest, ServedEntriesCarryTheirChainHash) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Get("/v1/streams/outlet:C-1", kAuditor).status, 200u);
  boost::json::array entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  boost::json::object entry = entries[0].as_object();
  std::string hash(entry.at("hash").as_string());
  entry.erase("hash");
  std::string chained(32, '\0');
  chained += json::Canonicalize(entry);
  EXPECT_EQ(HexEncode(crypto::Sha256(chained)), hash);
}

TEST_F(AccessLogApiTest, OpenRoutesAndUnauthenticatedRequestsAreNotRecorded) {
  TestClient client(server_.port());
  EXPECT_EQ(client.Get("/healthz").status, 200u);
  EXPECT_EQ(client.Post("/v1/events", OutletJson(server_.op(), "C-9")).status, 201u);
  EXPECT_EQ(client.Get("/v1/events/1").status, 401u);
  EXPECT_EQ(client.Get("/v1/events/1", "not-a-configured-token").status, 401u);
  EXPECT_EQ(client.Get("/v1/no-such-route", kAuditor).status, 404u);
  EXPECT_TRUE(Entries().empty());
}

TEST_F(AccessLogApiTest, ARoleRefusalIsRecordedWithTheToken) {
  TestClient client(server_.port());
  for (const std::string* token : {&kSupervisor, &kAuditor, &kPublic}) {
    HttpReply reply = client.Get("/v1/access-log", *token);
    EXPECT_EQ(reply.status, 403u) << *token;
    EXPECT_EQ(reply.Code(), "permission_denied") << *token;
  }
  // A public token may not read records: the attempt names the record.
  EXPECT_EQ(client.Get("/v1/events/1", kPublic).status, 403u);
  boost::json::array entries = Entries();
  ASSERT_EQ(entries.size(), 4u);
  const char* tokens[] = {"sup-1", "aud-1", "pub-1", "pub-1"};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].at("token_id").as_string(), tokens[i]);
    EXPECT_EQ(entries[i].at("status").as_int64(), 403);
  }
  EXPECT_EQ(entries[0].at("route").as_string(), "/v1/access-log");
  EXPECT_EQ(entries[3].at("route").as_string(), "/v1/events/{seq}");
  EXPECT_EQ(entries[3].at("entity").as_string(), "record:1");
}

TEST_F(AccessLogApiTest, ReadsOfTheAccessLogAreRecordedToo) {
  EXPECT_TRUE(Entries().empty());
  boost::json::array entries = Entries("?limit=10");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("token_id").as_string(), "adm-1");
  EXPECT_EQ(entries[0].at("route").as_string(), "/v1/access-log");
  EXPECT_EQ(entries[0].at("target").as_string(), "/v1/access-log");
  EXPECT_EQ(entries[0].at("entity").as_string(), "");
}

TEST_F(AccessLogApiTest, EntityFilterIsExactSoAPartySeesWhoReadItsData) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Get("/v1/events/1", kAuditor).status, 200u);
  ASSERT_EQ(client.Get("/v1/events/2", kAuditor).status, 200u);
  ASSERT_EQ(client.Get("/v1/streams/outlet:C-1", kSupervisor).status, 200u);
  ASSERT_EQ(client.Get("/v1/events/1", kSupervisor).status, 200u);

  boost::json::array record1 = Entries("?entity=record:1");
  ASSERT_EQ(record1.size(), 2u);
  EXPECT_EQ(record1[0].at("token_id").as_string(), "aud-1");
  EXPECT_EQ(record1[1].at("token_id").as_string(), "sup-1");
  boost::json::array outlet = Entries("?entity=outlet:C-1");
  ASSERT_EQ(outlet.size(), 1u);
  EXPECT_EQ(outlet[0].at("route").as_string(), "/v1/streams/{stream}");
  EXPECT_TRUE(Entries("?entity=record").empty());
  EXPECT_TRUE(Entries("?entity=record:").empty());
}

TEST_F(AccessLogApiTest, TokenFilterShowsWhatOneTokenDid) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Get("/v1/events/1", kAuditor).status, 200u);
  ASSERT_EQ(client.Get("/v1/events/2", kSupervisor).status, 200u);
  ASSERT_EQ(client.Get("/v1/events/3", kAuditor).status, 200u);
  boost::json::array auditor = Entries("?token=aud-1");
  ASSERT_EQ(auditor.size(), 2u);
  EXPECT_EQ(auditor[0].at("entity").as_string(), "record:1");
  EXPECT_EQ(auditor[1].at("entity").as_string(), "record:3");
  boost::json::array both = Entries("?token=sup-1&entity=record:2");
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].at("seq").as_int64(), 1);
}

TEST_F(AccessLogApiTest, PagesFollowFromLimitAndNext) {
  TestClient client(server_.port());
  for (int i = 0; i < 5; ++i) ASSERT_EQ(client.Get("/v1/events/0", kAuditor).status, 200u);
  HttpReply first = client.Get("/v1/access-log?limit=2", kAdmin);
  ASSERT_EQ(first.status, 200u) << first.body;
  ASSERT_EQ(first.Json().at("entries").as_array().size(), 2u);
  EXPECT_EQ(first.Json().at("next").as_int64(), 2);
  HttpReply last = client.Get("/v1/access-log?from=4&limit=10", kAdmin);
  ASSERT_EQ(last.status, 200u) << last.body;
  // Entries 4 (a read) and 5 (the first page's own read of the log).
  ASSERT_EQ(last.Json().at("entries").as_array().size(), 2u);
  EXPECT_EQ(last.Json().at("entries").as_array()[1].at("route").as_string(), "/v1/access-log");
  EXPECT_TRUE(last.Json().at("next").is_null());
}

TEST_F(AccessLogApiTest, BadParametersAre400) {
  TestClient client(server_.port());
  for (const char* target :
       {"/v1/access-log?limit=0", "/v1/access-log?limit=1001", "/v1/access-log?from=-1",
        "/v1/access-log?form=3", "/v1/access-log?token=", "/v1/access-log?entity="}) {
    HttpReply reply = client.Get(target, kAdmin);
    EXPECT_EQ(reply.status, 400u) << target;
    EXPECT_EQ(reply.Code(), "invalid_argument") << target;
  }
}

TEST_F(AccessLogApiTest, EntriesOutliveTheServer) {
  {
    TestClient client(server_.port());
    ASSERT_EQ(client.Get("/v1/events/1", kAuditor).status, 200u);
    ASSERT_EQ(client.Get("/v1/events/2", kAuditor).status, 200u);
  }
  server_.Shutdown();
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(server_.dir());
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  Result<std::unique_ptr<AccessLog>> log = AccessLog::Open((*ledger)->store(), SystemClock());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->size(), 2u);
  EXPECT_TRUE((*log)->VerifyChain().ok());
}

// --- the log itself, over a bare store ---

class AccessLogTest : public ::testing::Test {
 protected:
  AccessLogTest() : dir_(fupin::testing::MakeTempDir("fupin-access-log")) {
    Result<std::unique_ptr<StoreDb>> store = StoreDb::Open(dir_ + "/db", DbMode::kCreate);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (store.ok()) store_ = std::move(store).value();
  }
  ~AccessLogTest() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<AccessLog> OpenLog() {
    Result<std::unique_ptr<AccessLog>> log = AccessLog::Open(*store_, [this] { return now_ms_++; });
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(log).value() : nullptr;
  }

  // Entries 0..n-1: reads of records 0..n-1.
  void RecordReads(AccessLog& log, int n) {
    for (int i = 0; i < n; ++i) {
      std::string seq = std::to_string(log.size());
      ASSERT_TRUE(
          log.Record("aud-1", "GET", "/v1/events/{seq}", "/v1/events/" + seq, "record:" + seq, 200)
              .ok());
    }
  }

  std::string Stored(uint64_t seq) {
    Result<std::optional<std::string>> value =
        store_->Get(Cf::kAccessLog, store_format::Uint64Key(seq));
    EXPECT_TRUE(value.ok() && value->has_value());
    return value.ok() && value->has_value() ? **value : std::string();
  }

  void Store(uint64_t seq, const boost::json::object& entry) {
    ASSERT_TRUE(
        store_
            ->Write({{Cf::kAccessLog, store_format::Uint64Key(seq), json::Canonicalize(entry)}},
                    true)
            .ok());
  }

  std::string dir_;
  std::unique_ptr<StoreDb> store_;
  int64_t now_ms_ = kExampleTimeMs;
};

TEST_F(AccessLogTest, FirstEntryMatchesTheWorkedExample) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->Record("sup-1", "GET", "/v1/trail/{kind}/{id}", "/v1/trail/product/P-1?proofs=1",
                          "product:P-1", 200)
                  .ok());
  EXPECT_EQ(
      Stored(0),
      R"({"entity":"product:P-1","hash":"6f7763c9ce6a05f4b49e1a213581f146683700273a282e9dea677a2ff8831833",)"
      R"("method":"GET","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",)"
      R"("route":"/v1/trail/{kind}/{id}","seq":0,"status":200,)"
      R"("target":"/v1/trail/product/P-1?proofs=1","time":"2024-05-01T02:15:01.123Z",)"
      R"("token_id":"sup-1","v":1})");
}

TEST_F(AccessLogTest, AnIntactChainVerifies) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  EXPECT_TRUE(log->VerifyChain().ok());
  RecordReads(*log, 5);
  EXPECT_EQ(log->size(), 5u);
  Status verified = log->VerifyChain();
  EXPECT_TRUE(verified.ok()) << verified.ToString();
}

TEST_F(AccessLogTest, AnAlteredEntryIsDataLossNamingIt) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  RecordReads(*log, 5);
  boost::json::object entry = *json::ParseStrictObject(Stored(2));
  entry["status"] = 403;  // hide that the read succeeded
  Store(2, entry);
  Status verified = log->VerifyChain();
  EXPECT_EQ(verified.code(), ErrorCode::kDataLoss);
  EXPECT_EQ(verified.message(), "access log entry 2: hash does not match its content");
}

TEST_F(AccessLogTest, AnAlteredEntryWithARecomputedHashBreaksTheNextLink) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  RecordReads(*log, 5);
  boost::json::object entry = *json::ParseStrictObject(Stored(2));
  entry["token_id"] = "someone-else";
  entry.erase("hash");
  std::string chained = *HexDecode(entry.at("prev_hash").as_string());
  chained += json::Canonicalize(entry);
  entry["hash"] = HexEncode(crypto::Sha256(chained));
  Store(2, entry);
  Status verified = log->VerifyChain();
  EXPECT_EQ(verified.code(), ErrorCode::kDataLoss);
  EXPECT_EQ(verified.message(),
            "access log entry 3: prev_hash does not match the hash of the entry before it");
}

TEST_F(AccessLogTest, ARemovedEntryIsDataLossNamingIt) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  RecordReads(*log, 5);
  ASSERT_TRUE(store_->Delete(Cf::kAccessLog, store_format::Uint64Key(1)).ok());
  Status verified = log->VerifyChain();
  EXPECT_EQ(verified.code(), ErrorCode::kDataLoss);
  EXPECT_EQ(verified.message(), "access log entry 1: missing");
}

TEST_F(AccessLogTest, ARemovedLastEntryIsDataLossWhileTheServerRuns) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  RecordReads(*log, 3);
  ASSERT_TRUE(store_->Delete(Cf::kAccessLog, store_format::Uint64Key(2)).ok());
  Status verified = log->VerifyChain();
  EXPECT_EQ(verified.code(), ErrorCode::kDataLoss);
  EXPECT_EQ(verified.message(), "access log entry 2: missing");
}

TEST_F(AccessLogTest, ReopeningContinuesTheNumberingAndTheChain) {
  std::string last_hash;
  {
    std::unique_ptr<AccessLog> log = OpenLog();
    ASSERT_TRUE(log);
    RecordReads(*log, 3);
    last_hash = std::string(json::ParseStrictObject(Stored(2))->at("hash").as_string());
  }
  std::unique_ptr<AccessLog> reopened = OpenLog();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->size(), 3u);
  RecordReads(*reopened, 1);
  boost::json::object entry = *json::ParseStrictObject(Stored(3));
  EXPECT_EQ(entry.at("seq").as_int64(), 3);
  EXPECT_EQ(entry.at("prev_hash").as_string(), last_hash);
  EXPECT_TRUE(reopened->VerifyChain().ok());
}

TEST_F(AccessLogTest, AnUnreadableLastEntryRefusesToOpen) {
  {
    std::unique_ptr<AccessLog> log = OpenLog();
    ASSERT_TRUE(log);
    RecordReads(*log, 2);
  }
  ASSERT_TRUE(store_->Write({{Cf::kAccessLog, store_format::Uint64Key(1), "{\"v\":1"}}, true).ok());
  Result<std::unique_ptr<AccessLog>> log = AccessLog::Open(*store_, SystemClock());
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(log.status().message().rfind("access log entry 1: not JSON", 0), 0u)
      << log.status().message();
}

TEST_F(AccessLogTest, TextThatIsNotUtf8IsStoredPercentEncoded) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->Record("aud-1", "GET", "/v1/products/{id}", "/v1/products/%FF%25",
                          std::string("product:\xff%"), 404)
                  .ok());
  Result<AccessPage> page = log->List({});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].entity, "product:%FF%25");
  EXPECT_EQ(page->entries[0].target, "/v1/products/%FF%25");
  EXPECT_TRUE(log->VerifyChain().ok());
}

TEST_F(AccessLogTest, ListStopsAfterMaxScannedAndSaysWhereToGoOn) {
  std::unique_ptr<AccessLog> log = OpenLog();
  ASSERT_TRUE(log);
  RecordReads(*log, 10);
  AccessQuery query;
  query.entity = "record:8";
  Result<AccessPage> page = log->List(query, 4);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->entries.empty());
  ASSERT_TRUE(page->next.has_value());
  EXPECT_EQ(*page->next, 4u);
  query.from = 8;
  page = log->List(query, 4);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].seq, 8u);
  EXPECT_FALSE(page->next.has_value());
}

}  // namespace
}  // namespace fupin::api::testing
