// Test support: a generated campaign (events.jsonl) appended in file order
// to a fresh ledger in a temp directory, removed at destruction.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/ledger.h"
#include "tests/support/event_builder.h"
#include "tests/support/fixtures.h"

namespace fupin::testing {

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class LoadedCampaign {
 public:
  // SPEC §5: a batch holds at most 1000 events.
  static constexpr std::size_t kBatch = 1000;

  LoadedCampaign(const std::string& campaign_dir, const std::string& admin_public_key,
                 merkle::HashAlg hash = merkle::HashAlg::kSha256) {
    dir_ = MakeTempDir("fupin-campaign");
    // The test clock puts recorded_at in September 2020, inside the
    // generated keys' validity.
    EXPECT_TRUE(Ledger::Init(dir_, admin_public_key, "admin", TestClock(), {}, hash).ok());
    Reopen();
    std::istringstream lines(ReadWholeFile(campaign_dir + "/events.jsonl"));
    std::vector<Envelope> batch;
    auto flush = [&] {
      AppendResult result = ledger_->Append(std::move(batch));
      EXPECT_TRUE(result.ok()) << result.status.ToString();
      batch.clear();
    };
    for (std::string line; std::getline(lines, line);) {
      Result<Envelope> envelope = ParseEnvelope(line);
      if (!envelope.ok()) {
        ADD_FAILURE() << envelope.status().ToString();
        return;
      }
      batch.push_back(std::move(envelope).value());
      if (batch.size() == kBatch) flush();
    }
    if (!batch.empty()) flush();
  }
  ~LoadedCampaign() {
    ledger_.reset();
    std::filesystem::remove_all(dir_);
  }
  LoadedCampaign(const LoadedCampaign&) = delete;
  LoadedCampaign& operator=(const LoadedCampaign&) = delete;

  Ledger& ledger() const { return *ledger_; }
  const std::string& dir() const { return dir_; }
  // Closes the ledger (so a command can open the directory).
  void Close() { ledger_.reset(); }
  // Opens it again after Close.
  void Reopen() {
    LedgerOptions options;
    options.clock = TestClock();
    ledger_ = std::move(Ledger::Open(dir_, options)).value();
  }

 private:
  std::string dir_;
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace fupin::testing
