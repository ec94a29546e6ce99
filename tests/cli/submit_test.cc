// `submit`: batches, duplicates, per-line refusals, safe re-runs.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/config.h"
#include "api/server.h"
#include "tests/support/cli_runner.h"
#include "tests/support/event_builder.h"

namespace fupin {
namespace {

using testing::SaleBody;

class SubmitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.SeedWorld();
    api::ServerConfig config;
    config.listen.port = 0;
    server_ = std::make_unique<api::Server>(world_.ledger(), std::move(config));
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override { server_->Stop(); }

  testing::TestLedger world_;
  std::unique_ptr<api::Server> server_;
};

TEST_F(SubmitTest, ReportsAppendedDuplicatesAndRefusedLines) {
  std::string sale1 = world_.op.SignJson("sale.recorded", SaleBody("S-1", 1, 3500));
  boost::json::object bad_body = SaleBody("S-2", 2, 3500);
  bad_body["amount_fen"] = 1;
  std::string bad = world_.op.SignJson("sale.recorded", bad_body);
  std::string sale3 = world_.op.SignJson("sale.recorded", SaleBody("S-3", 1, 3500));
  std::string input = sale1 + "\n" + bad + "\n\n" + sale3 + "\n" + sale1 + "\n";
  uint64_t before = world_.ledger().tree_size();

  testing::CliResult r =
      testing::RunCli({"submit", "--url", server_->url(), "--batch", "2"}, input);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  boost::json::object summary = boost::json::parse(r.out).as_object();
  EXPECT_EQ(summary["lines"].as_int64(), 4);
  EXPECT_EQ(summary["appended"].as_int64(), 2);
  EXPECT_EQ(summary["duplicates"].as_int64(), 1);
  ASSERT_EQ(summary["rejected"].as_array().size(), 1u);
  const boost::json::object& refused = summary["rejected"].as_array()[0].as_object();
  EXPECT_EQ(refused.at("line").as_int64(), 2);
  EXPECT_EQ(refused.at("code").as_string(), "amount_mismatch");
  EXPECT_EQ(world_.ledger().tree_size(), before + 2);
  EXPECT_EQ(summary["tree_size"].as_int64(), static_cast<int64_t>(before + 2));
}

TEST_F(SubmitTest, RerunIsSafe) {
  std::string input = world_.op.SignJson("sale.recorded", SaleBody("S-1", 1, 3500)) + "\n" +
                      world_.op.SignJson("sale.recorded", SaleBody("S-2", 1, 3500)) + "\n";
  ASSERT_EQ(testing::RunCli({"submit", "--url", server_->url()}, input).exit_code, 0);
  uint64_t size = world_.ledger().tree_size();
  testing::CliResult again = testing::RunCli({"submit", "--url", server_->url()}, input);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  boost::json::object summary = boost::json::parse(again.out).as_object();
  EXPECT_EQ(summary["appended"].as_int64(), 0);
  EXPECT_EQ(summary["duplicates"].as_int64(), 2);
  EXPECT_EQ(world_.ledger().tree_size(), size);
}

TEST_F(SubmitTest, UnreachableServerIsIoError) {
  testing::CliResult r =
      testing::RunCli({"submit", "--url", "http://127.0.0.1:1", "--retries", "0", "--json"},
                      world_.op.SignJson("sale.recorded", SaleBody("S-1", 1, 3500)) + "\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("io_error"), std::string::npos) << r.err;
}

TEST_F(SubmitTest, NonHttpUrlIsUsageError) {
  testing::CliResult r = testing::RunCli({"submit", "--url", "ftp://example"}, "");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("invalid_argument"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace fupin
