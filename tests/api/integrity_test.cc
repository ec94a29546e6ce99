// GET /v1/integrity and the verification gauges of /metrics: "none" until
// `fupin-ledger verify` ran, then the stored result, which a verification
// beside the running server leaves in DIR/verify-last.json.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "tests/api/server_fixture.h"
#include "tests/support/cli_runner.h"
#include "verify/verify.h"

namespace fupin::api::testing {
namespace {

TEST(IntegrityApi, SaysNoneUntilAVerificationRan) {
  ApiServer server;
  TestClient client(server.port());
  HttpReply reply = client.Get("/v1/integrity", std::string(kAuditorToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json().at("status").as_string(), "none");
  EXPECT_TRUE(reply.Json().at("last_run").is_null());
  EXPECT_EQ(reply.Json().at("checkpoint").at("tree_size").as_int64(),
            static_cast<int64_t>(server.ledger().tree_size()));
  HttpReply metrics = client.Get("/metrics", std::string(kAuditorToken));
  EXPECT_NE(metrics.body.find("fupin_verify_last_status{status=\"none\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("fupin_verify_last_status{status=\"clean\"} 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("fupin_verify_verified_tree_size 0"), std::string::npos);
}

TEST(IntegrityApi, ServesTheResultOfAVerificationRunBesideTheServer) {
  ApiServer server;
  const uint64_t size = server.ledger().tree_size();
  fupin::testing::CliResult run =
      fupin::testing::RunCli({"verify", "--data", server.dir(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("\"saved_to\":\"file\""), std::string::npos) << run.out;

  TestClient client(server.port());
  HttpReply reply = client.Get("/v1/integrity", std::string(kAuditorToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json().at("status").as_string(), "clean");
  const boost::json::value& last = reply.Json().at("last_run");
  EXPECT_EQ(last.at("verified_tree_size").as_int64(), static_cast<int64_t>(size));
  EXPECT_EQ(last.at("mode").as_string(), "full");
  EXPECT_FALSE(last.as_object().contains("checkpoint_sizes"));
  HttpReply metrics = client.Get("/metrics", std::string(kAuditorToken));
  EXPECT_NE(metrics.body.find("fupin_verify_last_status{status=\"clean\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("fupin_verify_verified_tree_size " + std::to_string(size)),
            std::string::npos);
  EXPECT_EQ(metrics.body.find("fupin_verify_last_run_timestamp_seconds 0\n"), std::string::npos);
}

TEST(IntegrityApi, ReportsATamperedResultWithItsFirstFailure) {
  ApiServer server;
  verify::VerifyReport report;
  report.started_at_ms = 1'600'000'000'000;
  report.finished_at_ms = 1'600'000'001'000;
  report.tree_size = 7;
  report.failures = {{verify::FailureKind::kLeafHash, 5, "stored leaf hash differs"}};
  report.failures_total = 1;
  Result<verify::SavedTo> saved = verify::SaveLastVerification(server.dir(), report);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(*saved, verify::SavedTo::kFile);  // the server holds the database

  TestClient client(server.port());
  HttpReply reply = client.Get("/v1/integrity", std::string(kAuditorToken));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json().at("status").as_string(), "tampered");
  const boost::json::value& first = reply.Json().at("last_run").at("first_failure");
  EXPECT_EQ(first.at("seq").as_int64(), 5);
  EXPECT_EQ(first.at("kind").as_string(), "leaf_hash");
  HttpReply metrics = client.Get("/metrics", std::string(kAuditorToken));
  EXPECT_NE(metrics.body.find("fupin_verify_last_status{status=\"tampered\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("fupin_verify_last_run_timestamp_seconds 1600000001"),
            std::string::npos);
}

}  // namespace
}  // namespace fupin::api::testing
