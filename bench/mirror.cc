// bench_mirror: how fast a mirror (`fupin-ledger mirror`) catches up with a
// source ledger, in records/s, next to `verify --full` of the same records
// and the Ed25519 signature limit (`openssl speed ed25519` verify/s ×
// cores), all measured in the same run. Both re-verify every record's
// signature, so the limit bounds both; the mirror also pays for the HTTP
// pages, the re-sequencing and the writes, and its source runs on the same
// cores (a `fupin-ledger serve` child process).
//
// Usage: bench_mirror --data DIR [--cli PATH] [--write-docs docs/performance.md]
// DIR (e.g. the shared 1M-event ledger) is copied and the copy served, so
// DIR itself is never written.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

#include "bench/limits.h"
#include "bench/serve_process.h"
#include "ledger/ledger.h"
#include "mirror/follower.h"
#include "verify/verify.h"

namespace fupin::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string data;
  std::string cli;
  std::string docs;
};

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int Run(const Options& options) {
  Ed25519Speed limit = MeasureEd25519(3);
  const unsigned cores = Cores();
  const double verify_limit = limit.verify_per_s * cores;
  std::cout << "openssl speed ed25519: verify " << limit.verify_per_s << "/s per core; limit "
            << verify_limit << " verify/s on " << cores << " cores\n";

  const fs::path work =
      fs::temp_directory_path() / ("fupin-bench-mirror-" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string source_dir = (work / "source").string();
  const std::string mirror_dir = (work / "mirror").string();
  std::error_code ec;
  fs::copy(options.data, source_dir, fs::copy_options::recursive, ec);
  if (ec) {
    std::cerr << "cannot copy " << options.data << ": " << ec.message() << "\n";
    return 2;
  }
  ServerProcess server = StartBenchServer(options.cli, source_dir, /*rules_on=*/false, {},
                                          /*mirror_token=*/true);
  if (server.url.empty()) {
    std::cerr << "could not start " << options.cli << " serve\n";
    return 2;
  }

  // Follow: from an empty directory to the source's checkpoint.
  mirror::SourceOptions source{server.url, std::string(kMirrorToken), ""};
  auto started = Clock::now();
  Result<std::unique_ptr<Ledger>> ledger = mirror::OpenMirror(mirror_dir, source);
  if (!ledger.ok()) {
    std::cerr << "mirror: " << ledger.status().ToString() << "\n";
    StopServer(server);
    return 2;
  }
  mirror::FollowerOptions follow;
  follow.source = source;
  follow.log = [](const std::string& line) { std::cout << line << "\n"; };
  std::unique_ptr<mirror::Follower> follower =
      std::move(mirror::Follower::Create(**ledger, std::move(follow))).value();
  Result<mirror::RoundOutcome> outcome = follower->Round();
  const double follow_seconds = Since(started);
  StopServer(server);
  if (!outcome.ok() || *outcome != mirror::RoundOutcome::kCaughtUp) {
    std::cerr << "mirror: " << (outcome.ok() ? follower->StatusJson() : outcome.status().ToString())
              << "\n";
    return 2;
  }
  const uint64_t records = (*ledger)->tree_size();
  follower.reset();
  ledger->reset();
  const double follow_rate = static_cast<double>(records) / follow_seconds;
  std::cout << "mirror followed " << records << " records in " << follow_seconds
            << " s: " << static_cast<long>(follow_rate) << " records/s\n";

  // `verify --full` of the mirror's copy: the same records, re-verified.
  verify::VerifyOptions verify_options;
  verify_options.mode = verify::VerifyMode::kFull;
  started = Clock::now();
  Result<verify::VerifyReport> report = verify::VerifyDataDir(mirror_dir, verify_options);
  const double verify_seconds = Since(started);
  if (!report.ok() || !report->clean()) {
    std::cerr << "verify: "
              << (report.ok() ? "the mirror is not clean" : report.status().ToString()) << "\n";
    return 1;
  }
  const double verify_rate = static_cast<double>(records) / verify_seconds;
  std::cout << "verify --full of the mirror: " << verify_seconds
            << " s: " << static_cast<long>(verify_rate) << " records/s\n";
  fs::remove_all(work);

  std::ostringstream out;
  out << "Command: `build/release/bench/bench_mirror --data " << options.data << "`\n\n"
      << "| measure | value |\n|---|---|\n"
      << "| records | " << records << " |\n"
      << "| mirror catch-up from empty (`mirror --once`: pages of 1000 over HTTP, "
         "re-sequenced, proven, written) | "
      << static_cast<long>(follow_rate) << " records/s (" << follow_seconds << " s) |\n"
      << "| `verify --full` of the mirror's copy | " << static_cast<long>(verify_rate)
      << " records/s (" << verify_seconds << " s) |\n"
      << "| `openssl speed -seconds 3 ed25519` verify/s × cores | "
      << static_cast<long>(limit.verify_per_s) << " × " << cores << " = "
      << static_cast<long>(verify_limit) << " |\n"
      << "| mirror / verify --full | " << static_cast<int>(100 * follow_rate / verify_rate)
      << "% |\n"
      << "| mirror / signature limit | " << static_cast<int>(100 * follow_rate / verify_limit)
      << "% |\n";
  std::cout << out.str();
  if (!options.docs.empty() && !WriteSection(options.docs, "Mirror", out.str())) {
    std::cerr << "could not write " << options.docs << "\n";
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace fupin::bench

int main(int argc, char** argv) {
  fupin::bench::Options options;
  options.cli =
      (std::filesystem::path(argv[0]).parent_path().parent_path() / "fupin-ledger").string();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data") {
      options.data = argv[i + 1];
    } else if (flag == "--cli") {
      options.cli = argv[i + 1];
    } else if (flag == "--write-docs") {
      options.docs = argv[i + 1];
    } else {
      options.data.clear();
      break;
    }
  }
  if (options.data.empty()) {
    std::cerr << "usage: bench_mirror --data DIR [--cli PATH] [--write-docs FILE]\n";
    return 2;
  }
  return fupin::bench::Run(options);
}
