// Many clients appending at once: every acknowledged event is in the log
// exactly once, seqs are gapless, streams consecutive, the checkpoint holds.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "ledger/record.h"
#include "tests/api/rfc9162_verifier.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

struct Ack {
  std::string id;
  int64_t seq = 0;
};

// Posts every event of `events[c]` from its own client thread c, one
// request per event, all clients at once. Returns the acknowledgements;
// any non-201 answer fails the test.
std::vector<Ack> PostConcurrently(uint16_t port,
                                  const std::vector<std::vector<std::string>>& events) {
  std::mutex mu;
  std::vector<Ack> acks;
  std::vector<std::thread> clients;
  for (const std::vector<std::string>& mine : events) {
    clients.emplace_back([&, port] {
      TestClient client(port);
      std::vector<Ack> local;
      for (const std::string& event : mine) {
        HttpReply reply = client.Post("/v1/events", event);
        EXPECT_EQ(reply.status, 201u) << reply.body;
        if (reply.status != 201) return;
        const boost::json::value& result = reply.Json().at("results").as_array()[0];
        local.push_back({std::string(result.at("id").as_string()), result.at("seq").as_int64()});
      }
      std::lock_guard<std::mutex> lock(mu);
      acks.insert(acks.end(), local.begin(), local.end());
    });
  }
  for (std::thread& client : clients) client.join();
  return acks;
}

// Gapless seqs from `first`, and each acknowledged id exactly once at its seq.
void ExpectLogHoldsExactly(uint16_t port, uint64_t first, const std::vector<Ack>& acks) {
  std::vector<boost::json::object> records = FetchRecords(port, first);
  ASSERT_EQ(records.size(), acks.size());
  std::map<std::string, int64_t> seq_of_id;
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].at("seq").as_int64(), static_cast<int64_t>(first + i));
    std::string id(records[i].at("event").at("id").as_string());
    EXPECT_TRUE(seq_of_id.emplace(id, records[i].at("seq").as_int64()).second) << id;
  }
  for (const Ack& ack : acks) {
    auto found = seq_of_id.find(ack.id);
    ASSERT_NE(found, seq_of_id.end()) << ack.id;
    EXPECT_EQ(found->second, ack.seq) << ack.id;
  }
}

// The latest checkpoint covers the whole log, is signed by the system key
// and its root is the independently computed tree hash.
void ExpectLatestCheckpointVerifies(ApiServer& server) {
  std::vector<Digest32> leaves;
  for (const boost::json::object& record : FetchRecords(server.port())) {
    leaves.push_back(FromHex(record.at("leaf_hash").as_string()).value_or(Digest32{}));
  }
  TestClient client(server.port());
  HttpReply reply = client.Get("/v1/checkpoint", std::string(kPublicToken));
  ASSERT_EQ(reply.status, 200u);
  Result<Checkpoint> checkpoint = ParseServedCheckpoint(reply.body);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  EXPECT_EQ(checkpoint->tree_size, leaves.size());
  Digest32 root = TreeHash(leaves, 0, leaves.size());
  EXPECT_TRUE(std::equal(root.begin(), root.end(), checkpoint->root_hash.begin()));
  Result<crypto::Ed25519PublicKey> key =
      crypto::Ed25519PublicKey::FromBase64(server.ledger().info().system_public_key);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->Verify(CheckpointSigningInput(*checkpoint), checkpoint->signature));
}

TEST(ConcurrencyTest, EightClientsTimes500EventsOnEightOutlets) {
  constexpr int kClients = 8;
  constexpr int kEventsPerClient = 500;
  ApiServer server;
  std::vector<std::vector<std::string>> events =
      DeployOutletsAndSignSales(server, kClients, kEventsPerClient, "-S-");
  ASSERT_FALSE(::testing::Test::HasFailure());
  uint64_t first = server.tree_size();

  std::vector<Ack> acks = PostConcurrently(server.port(), events);

  ASSERT_EQ(acks.size(), static_cast<std::size_t>(kClients * kEventsPerClient));
  EXPECT_EQ(server.tree_size(), first + acks.size());
  ExpectLogHoldsExactly(server.port(), first, acks);
  TestClient client(server.port());
  for (int c = 1; c <= kClients; ++c) {
    // The server checks each stream's chain; versions must be 1..501.
    HttpReply stream = client.Get("/v1/streams/outlet:C-" + std::to_string(c) + "?limit=1000",
                                  std::string(kAuditorToken));
    ASSERT_EQ(stream.status, 200u) << stream.body;
    const boost::json::array& records = stream.Json().at("records").as_array();
    ASSERT_EQ(records.size(), static_cast<std::size_t>(kEventsPerClient + 1));
    for (std::size_t v = 0; v < records.size(); ++v) {
      EXPECT_EQ(records[v].at("stream_version").as_int64(), static_cast<int64_t>(v + 1));
    }
  }
  ExpectLatestCheckpointVerifies(server);
}

TEST(ConcurrencyTest, EightClientsOnOneOutletKeepOneConsecutiveStream) {
  constexpr int kClients = 8;
  constexpr int kEventsPerClient = 40;
  ApiServer server;
  std::vector<std::vector<std::string>> events(kClients);
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kEventsPerClient; ++i) {
      events[c].push_back(
          SaleJson(server.op(), "C-1", "S-" + std::to_string(c) + "-" + std::to_string(i)));
    }
  }
  uint64_t first = server.tree_size();
  std::vector<Ack> acks = PostConcurrently(server.port(), events);
  ASSERT_EQ(acks.size(), static_cast<std::size_t>(kClients * kEventsPerClient));
  ExpectLogHoldsExactly(server.port(), first, acks);
  TestClient client(server.port());
  HttpReply stream = client.Get("/v1/streams/outlet:C-1?limit=1000", std::string(kAuditorToken));
  ASSERT_EQ(stream.status, 200u) << stream.body;
  EXPECT_EQ(stream.Json().at("records").as_array().size(),
            static_cast<std::size_t>(kClients * kEventsPerClient + 1));
  ExpectLatestCheckpointVerifies(server);
}

}  // namespace
}  // namespace fupin::api::testing
