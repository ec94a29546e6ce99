// bench_api: read throughput and latency of the audit routes under wrk.
//
// Usage: bench_api --data DIR [--seconds 15] [--connections 32] [--cli PATH]
//                  [--write-docs docs/performance.md] [--peer]
//
// Serves DIR (a ledger of >= 1M events: `bench_rebuild --make 1000000
// --data DIR` makes one) with `fupin-ledger serve`, waits until the
// projections and the rule engine have caught up, samples record seqs,
// outlets and products from the log, then runs `wrk` (Debian's package)
// against each route with a Lua script that picks a random path per
// request:
//   - at full load (`--connections` connections): requests/s and latency;
//   - paced to about 1,000 requests/s (10 connections, each waiting 10 ms
//     between requests): the p99 the SPEC goal speaks of (< 10 ms).
// Every request is authenticated, so every one is also written to the
// access log, as in production. With --peer, the PostgreSQL peer
// (bench/peer/) is loaded with as many rows and its trail query measured
// the same two ways with pgbench, in the same run.
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/client.h"
#include "bench/limits.h"
#include "bench/peer_cluster.h"
#include "bench/serve_process.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"

namespace fupin::bench {
namespace {

constexpr const char* kToken = "bench-api-token-0123456789abcdef";

struct Options {
  std::string data;
  std::string cli;
  std::string docs;
  int seconds = 15;
  int connections = 32;
  // The PostgreSQL peer's trail query (bench/peer/) in the same run.
  bool peer = false;
};

struct WrkResult {
  double requests_per_s = 0;
  std::string p50;
  std::string p99;
  std::string non_2xx = "0";
};

// Runs wrk with the random-path script over `paths`; `delay_ms` paces each
// connection.
WrkResult RunWrk(const std::string& url, const std::string& dir, const std::string& name,
                 const std::vector<std::string>& paths, int connections, int seconds,
                 int delay_ms) {
  const std::string list = dir + "/" + name + ".paths";
  {
    std::ofstream out(list);
    for (const std::string& path : paths) out << path << '\n';
  }
  const std::string script = dir + "/bench.lua";
  {
    std::ofstream out(script);
    out << "local paths = {}\n"
           "for line in io.lines(os.getenv('FUPIN_PATHS')) do paths[#paths + 1] = line end\n"
           "wrk.headers['Authorization'] = 'Bearer ' .. os.getenv('FUPIN_TOKEN')\n"
           "request = function()\n"
           "  return wrk.format('GET', paths[math.random(#paths)])\n"
           "end\n"
           "local pause = tonumber(os.getenv('FUPIN_DELAY_MS'))\n"
           "if pause > 0 then delay = function() return pause end end\n";
  }
  std::ostringstream command;
  command << "FUPIN_PATHS=" << list << " FUPIN_TOKEN=" << kToken << " FUPIN_DELAY_MS=" << delay_ms
          << " wrk -t2 -c" << connections << " -d" << seconds << "s --latency -s " << script << " "
          << url << " 2>&1";
  std::string output = RunCommand(command.str());
  WrkResult result;
  std::smatch m;
  if (std::regex_search(output, m, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    result.requests_per_s = std::stod(m[1]);
  }
  if (std::regex_search(output, m, std::regex(R"(\n\s+50%\s+(\S+))"))) result.p50 = m[1];
  if (std::regex_search(output, m, std::regex(R"(\n\s+99%\s+(\S+))"))) result.p99 = m[1];
  if (std::regex_search(output, m, std::regex(R"(Non-2xx or 3xx responses:\s+(\d+))"))) {
    result.non_2xx = m[1];
  }
  if (result.requests_per_s == 0) std::cerr << "wrk said:\n" << output << '\n';
  return result;
}

// Waits until the server's projections and rule engine have folded the log.
bool WaitCaughtUp(api::HttpClient& client) {
  for (int i = 0; i < 6000; ++i) {
    Result<api::ClientResponse> metrics = client.Get("/metrics");
    if (metrics.ok() && metrics->status == 200 &&
        metrics->body.find("\nfupin_projection_lag_records 0\n") != std::string::npos &&
        metrics->body.find("\nfupin_rules_lag_records 0\n") != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

struct Sample {
  std::vector<uint64_t> seqs;
  std::set<std::string> outlets;
  std::set<std::string> products;
  std::string campaign;
};

// Reads pages of records at random positions: their seqs, the outlets and
// products their sales name, and a campaign id.
Sample SampleLog(api::HttpClient& client, uint64_t tree_size) {
  Sample sample;
  std::mt19937_64 random(20200901);
  for (int page = 0; page < 20; ++page) {
    uint64_t from = page == 0 ? 0 : random() % tree_size;
    Result<api::ClientResponse> records =
        client.Get("/v1/events?limit=1000&from=" + std::to_string(from));
    if (!records.ok() || records->status != 200) continue;
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(records->body, ec);
    if (ec || !parsed.is_object() || !parsed.as_object().contains("records")) {
      std::cerr << "page at " << from << " is not a record page (" << records->body.size()
                << " bytes): " << records->body.substr(0, 200) << '\n';
      continue;
    }
    for (const auto& record : parsed.at("records").as_array()) {
      sample.seqs.push_back(static_cast<uint64_t>(record.at("seq").as_int64()));
      const auto& event = record.at("event").as_object();
      const std::string type(event.at("type").as_string());
      const auto& body = event.at("body").as_object();
      if (type == "sale.recorded") {
        sample.outlets.insert(std::string(body.at("outlet_id").as_string()));
        sample.products.insert(std::string(body.at("product_id").as_string()));
      } else if (type == "campaign.defined") {
        sample.campaign = std::string(body.at("campaign_id").as_string());
      }
    }
  }
  return sample;
}

int Run(const Options& options) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("fupin-bench-api-" + std::to_string(getpid())))
          .string();
  std::filesystem::create_directories(dir);
  const std::string config = dir + "/config.json";
  std::ofstream(config) << R"({"tokens":[{"id":"bench","sha256":")"
                        << HexEncode(crypto::Sha256(kToken))
                        << R"(","role":"supervisor","regions":["430000"]}]})";
  auto started = std::chrono::steady_clock::now();
  ServerProcess server = StartServer(options.cli, options.data, config);
  if (server.url.empty()) {
    std::cerr << "could not start " << options.cli << " serve --data " << options.data << '\n';
    return 2;
  }
  auto client = std::move(api::HttpClient::Create(server.url, kToken)).value();
  if (!WaitCaughtUp(*client)) {
    std::cerr << "the server did not catch up within 10 minutes\n";
    StopServer(server);
    return 2;
  }
  const double catch_up_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  Result<api::ClientResponse> health = client->Get("/healthz");
  if (!health.ok() || health->status != 200) {
    std::cerr << "GET /healthz failed\n";
    StopServer(server);
    return 2;
  }
  const uint64_t tree_size =
      static_cast<uint64_t>(boost::json::parse(health->body).at("tree_size").as_int64());
  Sample sample = SampleLog(*client, tree_size);
  std::cout << "serving " << tree_size << " records (caught up in " << catch_up_s << " s); sampled "
            << sample.seqs.size() << " records, " << sample.outlets.size() << " outlets, "
            << sample.products.size() << " products\n";

  struct Route {
    std::string name;
    std::vector<std::string> paths;
  };
  std::vector<Route> routes(4);
  routes[0].name = "GET /v1/events/{seq}";
  for (uint64_t seq : sample.seqs) routes[0].paths.push_back("/v1/events/" + std::to_string(seq));
  routes[1].name = "GET /v1/trail/outlet/{id}?limit=20";
  for (const std::string& outlet : sample.outlets) {
    routes[1].paths.push_back("/v1/trail/outlet/" + outlet + "?limit=20");
  }
  routes[2].name = "GET /v1/trail/product/{id}?limit=20&proofs=1";
  for (const std::string& product : sample.products) {
    routes[2].paths.push_back("/v1/trail/product/" + product + "?limit=20&proofs=1");
  }
  routes[3].name = "GET /v1/stats?campaign=…&level=prefecture";
  routes[3].paths.push_back("/v1/stats?campaign=" + sample.campaign + "&level=prefecture");

  std::ostringstream report;
  report << "Command: `build/release/bench/bench_api --data DIR --seconds " << options.seconds
         << " --connections " << options.connections << (options.peer ? " --peer" : "")
         << "` on a ledger of " << tree_size
         << " records (`bench_rebuild --make`), served by `fupin-ledger serve` (every request "
            "authenticated and written to the access log). Load: `wrk -t2`, a random path per "
            "request from the sampled seqs and entities.\n\n"
         << "| route | full load (" << options.connections
         << " connections): req/s, p50, p99 | paced to ~1,000 req/s (10 connections × 10 ms): "
            "req/s, p50, p99 (goal p99 < 10 ms) | non-2xx |\n|---|---|---|---|\n";
  double outlet_trail_rate = 0;
  double rss_max_mib = ProcessMemoryMiB(server.pid, "VmRSS");
  for (const Route& route : routes) {
    if (route.paths.empty()) continue;
    WrkResult full =
        RunWrk(server.url, dir, "full", route.paths, options.connections, options.seconds, 0);
    WrkResult paced = RunWrk(server.url, dir, "paced", route.paths, 10, options.seconds, 10);
    if (&route == &routes[1]) outlet_trail_rate = full.requests_per_s;
    rss_max_mib = std::max(rss_max_mib, ProcessMemoryMiB(server.pid, "VmRSS"));
    report << "| `" << route.name << "` | " << static_cast<long>(full.requests_per_s) << ", "
           << full.p50 << ", " << full.p99 << " | " << static_cast<long>(paced.requests_per_s)
           << ", " << paced.p50 << ", " << paced.p99 << " | " << full.non_2xx << " / "
           << paced.non_2xx << " |\n";
    std::cout << route.name << ": full " << full.requests_per_s << " req/s p99 " << full.p99
              << "; paced " << paced.requests_per_s << " req/s p99 " << paced.p99 << '\n';
  }
  const double rss_peak_mib = ProcessMemoryMiB(server.pid, "VmHWM");
  StopServer(server);
  if (options.peer) {
    std::cout << "peer: PostgreSQL 15, loading " << tree_size << " rows\n";
    std::optional<PeerCluster> cluster = PeerCluster::Start();
    if (!cluster || !cluster->Load(tree_size)) return 2;
    std::optional<PeerMeasure> full = cluster->Run("trail", options.seconds, options.connections);
    // 10 clients paced to 1,000 transactions/s in all, as wrk's paced run.
    std::optional<PeerMeasure> paced = cluster->Run("trail", options.seconds, 10, 1000);
    if (!full || !paced) return 2;
    report << "| peer: PostgreSQL 15, the 20 newest rows of a random stream (hash-chain table of "
           << tree_size << " rows, 10,000 streams; pgbench) | "
           << static_cast<long>(full->rows_per_s) << ", " << full->latency_p50_ms << "ms, "
           << full->latency_p99_ms << "ms | " << static_cast<long>(paced->rows_per_s) << ", "
           << paced->latency_p50_ms << "ms, " << paced->latency_p99_ms << "ms | " << full->failed
           << " / " << paced->failed << " |\n";
    if (outlet_trail_rate > 0) {
      report << "\nOutlet trails at full load / the peer's trail query (goal ≥ 1.0×): "
             << outlet_trail_rate / full->rows_per_s << "×.\n";
    }
  }
  report << "\nFrom `serve` start to answering with projections and rules current: " << catch_up_s
         << " s. Server resident memory: " << static_cast<long>(rss_max_mib)
         << " MiB at most after each route's runs, peak " << static_cast<long>(rss_peak_mib)
         << " MiB (VmHWM, start-up folds included).\n";
  report << "\nThe server and wrk share the machine's " << Cores()
         << " cores, so full-load figures are a floor.\n";
  std::filesystem::remove_all(dir);
  std::cout << report.str();
  if (!options.docs.empty() && !WriteSection(options.docs, "Audit API", report.str())) {
    std::cerr << "could not write " << options.docs << '\n';
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
  options.peer = fupin::bench::TakePeerFlag(argc, argv);
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data") {
      options.data = argv[i + 1];
    } else if (flag == "--seconds") {
      options.seconds = std::atoi(argv[i + 1]);
    } else if (flag == "--connections") {
      options.connections = std::atoi(argv[i + 1]);
    } else if (flag == "--cli") {
      options.cli = argv[i + 1];
    } else if (flag == "--write-docs") {
      options.docs = argv[i + 1];
    } else {
      break;
    }
  }
  if (options.data.empty() || options.seconds <= 0 || options.connections <= 0) {
    std::cerr << "usage: bench_api --data DIR [--seconds S] [--connections N] [--cli PATH] "
                 "[--write-docs FILE] [--peer]\n";
    return 2;
  }
  return fupin::bench::Run(options);
}
