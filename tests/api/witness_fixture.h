// A witness served in-process on an ephemeral loopback port (what
// `fupin-ledger witness serve` runs), for the tests of the witness's HTTP
// answers and of the server's collection of cosignatures.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "api/witness_server.h"
#include "ledger/crypto.h"
#include "ledger/witness_policy.h"
#include "tests/support/fixtures.h"
#include "witness/witness.h"

namespace fupin::api::testing {

class TestWitness {
 public:
  // A witness named `name` trusting `logs`, its state in a fresh directory
  // (or `dir`, to restart one).
  TestWitness(std::string name, std::vector<note::VerifierKey> logs, std::string dir = "")
      : name_(std::move(name)), logs_(std::move(logs)) {
    dir_ = dir.empty() ? fupin::testing::MakeTempDir("fupin-test-witness") : dir;
    owns_dir_ = dir.empty();
    std::string seed(32, '\0');
    for (std::size_t i = 0; i < name_.size() && i < seed.size(); ++i) seed[i] = name_[i];
    key_ = crypto::Ed25519PrivateKey::FromSeed(seed).value();
    Start();
  }
  ~TestWitness() {
    Stop();
    if (owns_dir_) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  void Start() {
    witness::WitnessOptions options;
    options.name = name_;
    options.logs = logs_;
    options.state_path = dir_ + "/witness-state.json";
    Limits limits;
    limits.io_threads = 1;
    limits.worker_threads = 2;
    ListenAddress listen;
    listen.port = port_;  // 0 first, then the same port again on a restart
    Result<ServedWitness> served = ServeWitness(key_, options, listen, limits);
    ASSERT_TRUE(served.ok()) << served.status().ToString();
    served_ = std::move(served).value();
    port_ = served_.server->port();
  }
  void Stop() {
    served_.server.reset();  // before the witness it serves
    served_.witness.reset();
  }

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const witness::Witness& witness() const { return *served_.witness; }
  note::VerifierKey key() const { return witness::CosignerKey(name_, key_).value(); }
  PolicyWitness AsPolicyEntry() const { return {key(), url()}; }

 private:
  std::string name_;
  std::vector<note::VerifierKey> logs_;
  std::string dir_;
  bool owns_dir_ = true;
  crypto::Ed25519PrivateKey key_;
  ServedWitness served_;
  uint16_t port_ = 0;
};

}  // namespace fupin::api::testing
