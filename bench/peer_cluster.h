// The PostgreSQL peer (bench/peer/peer.sh) from a benchmark: a private
// cluster started for the run and removed after it, and one pgbench
// measure at a time, parsed from the script's JSON line. Needs root (the
// cluster runs as the postgres user) and Debian's postgresql-15, which the
// script installs when missing.
#pragma once

#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "bench/limits.h"

namespace fupin::bench {

// One pgbench measure: peer.sh's JSON line.
struct PeerMeasure {
  double rows_per_s = 0;
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  int64_t failed = 0;
};

// Takes `flag` (alone, or as `FLAG 1` / `FLAG 0`) out of argv, so the
// benchmarks' pairwise option loops never see it; true when it is set.
inline bool TakeBoolFlag(int& argc, char** argv, std::string_view flag) {
  bool peer = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) != flag) {
      argv[kept++] = argv[i];
      continue;
    }
    peer = true;
    if (i + 1 < argc && (std::string(argv[i + 1]) == "1" || std::string(argv[i + 1]) == "0")) {
      peer = std::string(argv[++i]) == "1";
    }
  }
  argc = kept;
  return peer;
}

inline bool TakePeerFlag(int& argc, char** argv) { return TakeBoolFlag(argc, argv, "--peer"); }

class PeerCluster {
 public:
  // Starts a cluster in a fresh temp directory; nullopt (with the script's
  // message on stderr) when it cannot.
  static std::optional<PeerCluster> Start() {
    std::string dir = "/tmp/fupin-peer-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) return std::nullopt;
    if (std::system(("bash " + Script() + " start " + dir + " >&2").c_str()) != 0) {
      std::cerr << "the PostgreSQL peer did not start (bench/peer/peer.sh start)\n";
      std::system(("bash " + Script() + " stop " + dir).c_str());
      return std::nullopt;
    }
    return PeerCluster(dir);
  }
  PeerCluster(PeerCluster&& other) noexcept : dir_(std::move(other.dir_)) { other.dir_.clear(); }
  PeerCluster& operator=(PeerCluster&&) = delete;
  PeerCluster(const PeerCluster&) = delete;
  ~PeerCluster() {
    if (!dir_.empty()) std::system(("bash " + Script() + " stop " + dir_).c_str());
  }

  // Appends `rows` sales through the chain trigger (peer.sh load), so
  // reads run against a table the size of the ledger. False on failure.
  bool Load(uint64_t rows) const {
    const std::string line =
        RunCommand("bash " + Script() + " load " + dir_ + " " + std::to_string(rows));
    return line.find("\"loaded\"") != std::string::npos;
  }

  // pgbench on `shape` (ingest-single, ingest-batch, trail) for `seconds`
  // with `clients`, paced to `rate` transactions/s when rate > 0.
  std::optional<PeerMeasure> Run(const std::string& shape, int seconds, int clients,
                                 int rate = 0) const {
    std::string command = "bash " + Script() + " run " + dir_ + " " + shape + " " +
                          std::to_string(seconds) + " " + std::to_string(clients);
    if (rate > 0) command += " " + std::to_string(rate);
    const std::string line = RunCommand(command);
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(line, ec);
    if (ec || !parsed.is_object()) {
      std::cerr << "peer.sh run " << shape << " answered: " << line << "\n";
      return std::nullopt;
    }
    const boost::json::object& o = parsed.as_object();
    auto number = [&](const char* name) {
      const boost::json::value* v = o.if_contains(name);
      return v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
    };
    PeerMeasure m;
    m.rows_per_s = number("rows_per_s");
    m.latency_p50_ms = number("latency_p50_ms");
    m.latency_p99_ms = number("latency_p99_ms");
    m.failed = static_cast<int64_t>(number("failed"));
    return m;
  }

 private:
  explicit PeerCluster(std::string dir) : dir_(std::move(dir)) {}
  static std::string Script() { return std::string(FUPIN_SOURCE_DIR) + "/bench/peer/peer.sh"; }

  std::string dir_;
};

}  // namespace fupin::bench
