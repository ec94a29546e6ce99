// Witnessed checkpoints end to end on loopback: the witness's HTTP answers
// (tlog-witness v1.0.0 status codes and content types), and a ledger server
// configured with two witnesses and a quorum of two, which gathers their
// cosignatures without ever making an append wait for them.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "ledger/codec.h"
#include "ledger/tlog_checkpoint.h"
#include "tests/api/server_fixture.h"
#include "tests/api/witness_fixture.h"
#include "tests/support/eventually.h"

namespace fupin::api::testing {
namespace {

using namespace std::chrono_literals;
using fupin::testing::Eventually;

// The ledger's note of its latest checkpoint, as a witness is sent it.
std::string AddCheckpointBody(Ledger& ledger, uint64_t old_size) {
  const uint64_t size = ledger.LatestCheckpoint().value().tree_size;
  std::string body = "old " + std::to_string(old_size) + "\n";
  if (old_size > 0) {
    const std::vector<merkle::Hash> path = ledger.ConsistencyPath(old_size, size).value();
    for (const merkle::Hash& hash : path) {
      body += Base64Encode(std::string_view(reinterpret_cast<const char*>(hash.data()), 32)) + "\n";
    }
  }
  return body + "\n" + note::FormatNote(ledger.NoteAt(size).value());
}

class WitnessHttpTest : public ::testing::Test {
 protected:
  ApiServer server_;
  TestWitness witness_{"省审计厅", {server_.ledger().note_key()}};
};

TEST_F(WitnessHttpTest, CosignsTheLedgersCheckpointWithTextLines) {
  TestClient client(witness_.port());
  HttpReply reply = client.Post("/add-checkpoint", AddCheckpointBody(server_.ledger(), 0), "");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_TRUE(reply.body.starts_with("\xE2\x80\x94 省审计厅 ")) << reply.body;
  EXPECT_EQ(reply.body.back(), '\n');
}

TEST_F(WitnessHttpTest, StaleOldSizeIs409WithTheSizeAsTlogSizeText) {
  TestClient client(witness_.port());
  ASSERT_EQ(client.Post("/add-checkpoint", AddCheckpointBody(server_.ledger(), 0), "").status,
            200u);
  const uint64_t cosigned = server_.ledger().LatestCheckpoint().value().tree_size;
  TestClient writer(server_.port());
  ASSERT_EQ(writer.Post("/v1/events", OutletJson(server_.op(), "C-409")).status, 201u);
  HttpReply reply = client.Post("/add-checkpoint", AddCheckpointBody(server_.ledger(), 0), "");
  EXPECT_EQ(reply.status, 409u);
  EXPECT_EQ(reply.Header(http::field::content_type), "text/x.tlog.size");
  EXPECT_EQ(reply.body, std::to_string(cosigned) + "\n");
  EXPECT_EQ(witness_.witness().LatestSize(server_.ledger().info().origin), cosigned);
}

TEST_F(WitnessHttpTest, RefusalsCarryTheirStatusAndProblemCode) {
  TestClient client(witness_.port());
  const std::string good = AddCheckpointBody(server_.ledger(), 0);
  std::string unknown_origin = good;
  unknown_origin.replace(unknown_origin.find("fupin-ledger/"), 13, "fupin-other/x");
  std::string unsigned_note = good.substr(0, good.rfind("\n\n") + 2);
  struct Case {
    std::string body;
    unsigned status;
    std::string code;
  };
  for (const Case& c : std::vector<Case>{
           {"old 0\n", 400, "malformed_event"},
           {"old 99999\n" + good.substr(good.find("\n\n") + 1), 400, "malformed_event"},
           {unknown_origin, 404, "not_found"},
           {unsigned_note + "\xE2\x80\x94 x AAAAAAA=\n", 403, "bad_signature"},
       }) {
    HttpReply reply = client.Post("/add-checkpoint", c.body, "");
    EXPECT_EQ(reply.status, c.status) << c.body << reply.body;
    EXPECT_EQ(reply.Code(), c.code) << c.body;
  }
  EXPECT_EQ(witness_.witness().LatestSize(server_.ledger().info().origin), 0u);
}

TEST_F(WitnessHttpTest, OnlyPostReachesAddCheckpoint) {
  TestClient client(witness_.port());
  HttpReply reply = client.Get("/add-checkpoint");
  EXPECT_EQ(reply.status, 405u);
  EXPECT_EQ(reply.Header(http::field::allow), "POST");
}

TEST_F(WitnessHttpTest, BodiesOverTheLimitAre413) {
  TestClient client(witness_.port());
  HttpReply reply =
      client.Post("/add-checkpoint", std::string(kMaxAddCheckpointBytes + 1, 'x'), "");
  EXPECT_EQ(reply.status, 413u);
}

TEST_F(WitnessHttpTest, RootPageNamesTheWitnessAndItsVkey) {
  TestClient client(witness_.port());
  HttpReply reply = client.Get("/");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, "省审计厅\n" + note::FormatVerifierKey(witness_.key()) + "\n");
}

// A ledger served with two witnesses and a quorum of two.
class WitnessedServerTest : public ::testing::Test {
 protected:
  WitnessedServerTest()
      : logs_{LedgerNoteKey()},
        xiangxi_("湘西州扶贫办", logs_),
        audit_("省审计厅", logs_),
        server_([this](ServerConfig& config) {
          config.witnesses.witnesses = {xiangxi_.AsPolicyEntry(), audit_.AsPolicyEntry()};
          config.witnesses.quorum = 2;
          config.witness_interval = 100ms;
        }) {}

  // The seeded world's note key: every ApiServer serves a copy of it.
  static note::VerifierKey LedgerNoteKey() {
    Result<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(SeededWorld().dir(), LedgerOptions{.read_only = true});
    return ledger.value()->note_key();
  }

  // The served C2SP checkpoint once it covers `size`.
  std::string WitnessedNote(uint64_t size) {
    std::string text;
    Eventually([&] {
      TestClient client(server_.port());
      HttpReply reply = client.Get("/checkpoint");
      if (reply.status != 200) return false;
      Result<note::Note> note = note::ParseNote(reply.body);
      Result<tlog::TreeHead> head =
          note.ok() ? tlog::ParseCheckpointText(note->text) : Result<tlog::TreeHead>(note.status());
      if (!head.ok() || head->size < size) return false;
      text = reply.body;
      return true;
    });
    return text;
  }

  std::vector<note::VerifierKey> logs_;
  TestWitness xiangxi_;
  TestWitness audit_;
  ApiServer server_;
};

TEST_F(WitnessedServerTest, CheckpointIsServedWithBothCosignaturesAsPlainText) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Post("/v1/events", OutletJson(server_.op(), "C-W1")).status, 201u);
  const uint64_t size = server_.tree_size();
  const std::string served = WitnessedNote(size);
  ASSERT_FALSE(served.empty()) << "no checkpoint reached the quorum";
  Result<note::Note> note = note::ParseNote(served);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_TRUE(note::VerifyEd25519(server_.ledger().note_key(), note->text,
                                  *note::SignaturesBy(*note, server_.ledger().note_key()).at(0)));
  WitnessPolicy policy{{xiangxi_.AsPolicyEntry(), audit_.AsPolicyEntry()}, 2};
  WitnessJudgement judgement = JudgeCosignatures(policy, note->text, *note);
  EXPECT_TRUE(judgement.quorum_met);
  EXPECT_EQ(judgement.valid.size(), 2u);
  HttpReply reply = client.Get("/checkpoint");
  EXPECT_EQ(reply.Header(http::field::content_type), "text/plain; charset=utf-8");
}

TEST_F(WitnessedServerTest, JsonCheckpointCarriesOriginNoteAndCosignatures) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Post("/v1/events", OutletJson(server_.op(), "C-W2")).status, 201u);
  ASSERT_FALSE(WitnessedNote(server_.tree_size()).empty());
  HttpReply reply = client.Get("/v1/checkpoint", std::string(kAuditorToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const boost::json::object& json = reply.Json().as_object();
  EXPECT_EQ(json.at("origin").as_string(), server_.ledger().info().origin);
  Result<note::Note> note = note::ParseNote(std::string(json.at("note").as_string()));
  ASSERT_TRUE(note.ok());
  Result<tlog::TreeHead> head = tlog::ParseCheckpointText(note->text);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(static_cast<uint64_t>(json.at("tree_size").as_int64()), head->size);
  const boost::json::array& cosignatures = json.at("cosignatures").as_array();
  ASSERT_EQ(cosignatures.size(), 2u);
  for (const boost::json::value& c : cosignatures) {
    EXPECT_EQ(c.at("key_id").as_string().size(), 8u);
    EXPECT_GT(c.at("timestamp").as_int64(), 0);
  }
  EXPECT_EQ(json.at("witness_policy").at("witness_quorum").as_int64(), 2);
}

TEST_F(WitnessedServerTest, AWitnessRestartedWithItsStateKeepsCosigning) {
  TestClient client(server_.port());
  ASSERT_EQ(client.Post("/v1/events", OutletJson(server_.op(), "C-W3")).status, 201u);
  ASSERT_FALSE(WitnessedNote(server_.tree_size()).empty());
  audit_.Stop();
  audit_.Start();
  ASSERT_EQ(client.Post("/v1/events", OutletJson(server_.op(), "C-W4")).status, 201u);
  EXPECT_FALSE(WitnessedNote(server_.tree_size()).empty());
}

TEST(WitnessesDownTest, AppendsAreAcknowledgedAndNothingIsServedAsWitnessed) {
  ApiServer server([](ServerConfig& config) {
    TestWitness gone("已停止", {});
    config.witnesses.witnesses = {{gone.key(), gone.url()}};
    config.witnesses.quorum = 1;
    config.witness_interval = 100ms;
  });  // the witness stopped when the tweak returned: nobody listens there
  TestClient client(server.port());
  const auto before = std::chrono::steady_clock::now();
  ASSERT_EQ(client.Post("/v1/events", OutletJson(server.op(), "C-W5")).status, 201u);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  HttpReply reply = client.Get("/checkpoint");
  EXPECT_EQ(reply.status, 503u);
  EXPECT_EQ(reply.Code(), "unavailable");
}

}  // namespace
}  // namespace fupin::api::testing
