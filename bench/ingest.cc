// bench_ingest: concurrent clients POST individually signed events to a
// real `fupin-ledger serve` process; events/s and acknowledgement latency
// against the Ed25519 verification limit measured by `openssl speed` in the
// same run (SPEC §7: goal >= 80% of cores x verify/s).
//
// Usage: bench_ingest [--seconds 20] [--clients 64] [--batch 1] [--cli PATH]
//                     [--witnesses N] [--mirror 1] [--peer] [--guomi]
//                     [--write-docs docs/performance.md]
// With --guomi the ledger is an SM3 log (init --hash sm3) and the sales
// are signed with an SM2 key: the limits printed are `openssl speed sm2`
// and SM3 throughput of the same run.
// With --batch N each request carries N events ({"events":[…]}, what
// `submit` sends; 500 is its default) instead of one.
// With --witnesses N a third phase runs the rule-engine-off load with N
// witnesses (served by this process on loopback) and a quorum of N
// configured: acknowledgements never wait for them (goal: within 5%).
// With --mirror 1 a fourth phase runs it with a mirror (mirror/follower.h)
// following the server from this process: the ingest rate beside phase 1's
// and the mirror's lag behind the source, sampled every 50 ms.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "api/client.h"
#include "api/witness_server.h"
#include "bench/limits.h"
#include "bench/peer_cluster.h"
#include "bench/serve_process.h"
#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/ledger.h"
#include "ledger/signing.h"
#include "mirror/follower.h"
#include "rules/rule_config.h"
#include "witness/witness.h"

namespace fupin::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Sales spread over many outlets, as counters sell in parallel in reality.
inline constexpr int kOutlets = 64;

struct Options {
  int seconds = 20;
  int clients = 64;
  int batch = 1;  // events per request
  int witnesses = 0;
  bool mirror = false;
  // The PostgreSQL peer (bench/peer/) measured in the same run.
  bool peer = false;
  // 国密 (issue 23): an SM3 log whose sales are signed with an SM2 key; the
  // limits are then `openssl speed sm2` and SM3 throughput.
  bool guomi = false;
  std::string cli;
  std::string docs;
};

crypto::Ed25519PrivateKey Key(uint8_t seed) {
  return std::move(crypto::Ed25519PrivateKey::FromSeed(std::string(32, static_cast<char>(seed))))
      .value();
}

// The operator's key: SM2 (a fixed scalar) with --guomi, else Ed25519.
crypto::EventSigningKey OperatorKey(bool sm2) {
  if (!sm2) return Key(3);
  return std::move(crypto::Sm2PrivateKey::FromScalar(std::string(31, '\0') + "\x03")).value();
}

std::string Uuid(uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n));
  return buf;
}

std::string Signed(const crypto::EventSigningKey& key, const std::string& key_id, uint64_t n,
                   const std::string& type, boost::json::object body) {
  boost::json::object event{{"id", Uuid(n)}, {"type", type},
                            {"v", 1},        {"occurred_at", "2020-09-05T10:15:00+08:00"},
                            {"key", key_id}, {"body", std::move(body)}};
  return json::Canonicalize(*SignEvent(std::move(event), key));
}

// Regions, keys, a supplier, a product and the outlets the sales need.
Status SeedWorld(Ledger& ledger, const crypto::EventSigningKey& admin,
                 const crypto::EventSigningKey& certifier, const crypto::EventSigningKey& op,
                 uint64_t& n) {
  std::vector<std::string> lines;
  auto region = [&](const char* code, const char* name, const char* level, const char* parent,
                    bool poverty) {
    boost::json::object body{
        {"code", code}, {"name", name}, {"level", level}, {"poverty_county", poverty}};
    if (*parent) body["parent"] = parent;
    lines.push_back(Signed(admin, "admin", n++, "region.defined", body));
  };
  region("430000", "湖南省", "province", "", false);
  region("430100", "长沙市", "prefecture", "430000", false);
  region("430102", "芙蓉区", "county", "430100", false);
  region("433100", "湘西土家族苗族自治州", "prefecture", "430000", false);
  region("433127", "永顺县", "county", "433100", true);
  auto key = [&](const crypto::EventSigningKey& k, const char* id, const char* role) {
    lines.push_back(Signed(admin, "admin", n++, "key.registered",
                           {{"key_id", id},
                            {"alg", KeyAlgName(k.alg())},
                            {"public_key", Base64Encode(k.public_raw())},
                            {"roles", {role}},
                            {"regions", {"430000"}}}));
  };
  key(certifier, "certifier", "certifier");
  key(op, "operator", "operator");
  lines.push_back(Signed(certifier, "certifier", n++, "supplier.registered",
                         {{"supplier_id", "SUP-1"},
                          {"name", "永顺县百合合作社"},
                          {"uscc", "91433127600000000D"},
                          {"region", "433127"}}));
  lines.push_back(Signed(
      certifier, "certifier", n++, "product.certified",
      {{"product_id", "P-1"},
       {"name", "永顺百合"},
       {"category", "百合"},
       {"spec", "500g"},
       {"unit", "袋"},
       {"supplier_id", "SUP-1"},
       {"origin_region", "433127"},
       {"reference_price_fen", 3500},
       {"certificate_no", "XFP-2020-0001"},
       {"valid_from", "2020-01-01"},
       {"valid_to", "2021-12-31"},
       {"annual_value_fen", 100000000000},
       {"benefit",
        {{"mechanisms", {"order_purchase"}}, {"households", {"H-1"}}, {"people_claimed", 4}}}}));
  for (int o = 0; o < kOutlets; ++o) {
    lines.push_back(Signed(op, "operator", n++, "outlet.deployed",
                           {{"outlet_id", "C-" + std::to_string(o)},
                            {"kind", "counter"},
                            {"name", "专柜 " + std::to_string(o)},
                            {"region", "430102"}}));
  }
  std::vector<Envelope> batch;
  for (const std::string& line : lines) batch.push_back(*ParseEnvelope(line));
  AppendResult result = ledger.Append(std::move(batch));
  return result.status;
}

std::vector<std::string> PresignSales(const crypto::EventSigningKey& op, uint64_t first_id,
                                      std::size_t count) {
  std::vector<std::string> events(count);
  unsigned threads = Cores();
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = t; i < count; i += threads) {
        int64_t quantity = 1 + static_cast<int64_t>(i % 5);
        events[i] = Signed(op, "operator", first_id + i, "sale.recorded",
                           {{"sale_id", "S-" + std::to_string(i)},
                            {"product_id", "P-1"},
                            {"outlet_id", "C-" + std::to_string(i % kOutlets)},
                            {"quantity", quantity},
                            {"unit_price_fen", 3500},
                            {"amount_fen", quantity * 3500},
                            {"buyer_kind", "individual"},
                            {"buyer_ref", "B-" + std::to_string(i % 5000)}});
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return events;
}

// Witnesses served by the benchmark itself on loopback.
std::vector<api::ServedWitness> StartWitnesses(int count, const std::string& dir,
                                               const note::VerifierKey& log) {
  std::vector<api::ServedWitness> out;
  for (int i = 0; i < count; ++i) {
    witness::WitnessOptions options;
    options.name = "bench-witness-" + std::to_string(i + 1);
    options.logs = {log};
    options.state_path = dir + "/witness-" + std::to_string(i + 1) + ".json";
    api::Limits limits;
    limits.io_threads = 1;
    limits.worker_threads = 2;
    Result<api::ServedWitness> served = api::ServeWitness(
        Key(static_cast<uint8_t>(40 + i)), options, api::ListenAddress{"127.0.0.1", 0}, limits);
    if (!served.ok()) return {};
    out.push_back(std::move(served).value());
  }
  return out;
}

// One measured run on a fresh ledger.
struct Phase {
  bool ok = false;
  std::size_t acknowledged = 0;
  std::size_t failed = 0;
  double rate = 0;
  double p50 = 0;
  double p99 = 0;
  uint64_t tree_size = 0;
  uint64_t witnessed_size = 0;  // the newest checkpoint at quorum, with witnesses
  // With a mirror: its lag behind the source's tree, over the samples.
  double lag_records_p50 = 0, lag_records_p99 = 0, lag_records_max = 0;
  double lag_seconds_p50 = 0, lag_seconds_p99 = 0, lag_seconds_max = 0;
  double catch_up_seconds = 0;  // from the load's end to the mirror's last record
  uint64_t mirrored = 0;
};

// One sample of the mirror phase: seconds since the load started, the
// source's tree size and the mirror's.
struct LagSample {
  double t = 0;
  uint64_t source = 0;
  uint64_t mirror = 0;
};

// Lag in records at each sample, and in seconds: how long ago the source
// first held as many records as the mirror holds now.
void SummarizeLag(const std::vector<LagSample>& samples, Phase& phase) {
  std::vector<double> records;
  std::vector<double> seconds;
  std::size_t first = 0;  // the earliest sample whose source reached the mirror's size
  for (const LagSample& s : samples) {
    records.push_back(static_cast<double>(s.source > s.mirror ? s.source - s.mirror : 0));
    while (first < samples.size() && samples[first].source < s.mirror) ++first;
    const double since = first < samples.size() && s.source > s.mirror ? s.t - samples[first].t : 0;
    seconds.push_back(std::max(0.0, since));
  }
  if (records.empty()) return;
  phase.lag_records_p50 = Percentile(records, 0.50);
  phase.lag_records_p99 = Percentile(records, 0.99);
  phase.lag_records_max = *std::max_element(records.begin(), records.end());
  phase.lag_seconds_p50 = Percentile(seconds, 0.50);
  phase.lag_seconds_p99 = Percentile(seconds, 0.99);
  phase.lag_seconds_max = *std::max_element(seconds.begin(), seconds.end());
}

Phase RunPhase(const Options& options, std::size_t count, bool rules_on, int witness_count = 0,
               bool mirror = false) {
  Phase phase;
  std::string dir =
      (std::filesystem::temp_directory_path() / ("fupin-bench-ingest-" + std::to_string(getpid())))
          .string();
  std::filesystem::remove_all(dir);
  const crypto::EventSigningKey admin = Key(1), certifier = Key(2);
  const crypto::EventSigningKey op = OperatorKey(options.guomi);
  Result<GenesisInfo> genesis =
      Ledger::Init(dir, Base64Encode(admin.public_raw()), "admin", SystemClock(), {},
                   options.guomi ? merkle::HashAlg::kSm3 : merkle::HashAlg::kSha256);
  if (!genesis.ok()) {
    std::cerr << "init: " << genesis.status().ToString() << "\n";
    return phase;
  }
  uint64_t n = 1;
  {
    auto ledger = std::move(Ledger::Open(dir)).value();
    Status seeded = SeedWorld(*ledger, admin, certifier, op, n);
    if (!seeded.ok()) {
      std::cerr << "seed: " << seeded.ToString() << "\n";
      return phase;
    }
  }
  auto sign_start = Clock::now();
  std::vector<std::string> events = PresignSales(op, n, count);
  std::cout << "pre-signed " << count << " events in "
            << std::chrono::duration<double>(Clock::now() - sign_start).count() << " s\n";

  std::vector<api::ServedWitness> witnesses;
  if (witness_count > 0) {
    LedgerOptions ro;
    ro.read_only = true;
    note::VerifierKey log_key = std::move(Ledger::Open(dir, ro)).value()->note_key();
    witnesses = StartWitnesses(witness_count, dir, log_key);
    if (witnesses.empty()) {
      std::cerr << "could not start the witnesses\n";
      return phase;
    }
  }
  ServerProcess server = StartBenchServer(options.cli, dir, rules_on, witnesses, mirror);
  if (server.url.empty()) {
    std::cerr << "could not start " << options.cli << " serve\n";
    return phase;
  }
  // The mirror: its store beside the source's, its follower on a thread of
  // this process, and a sampler of both trees.
  std::unique_ptr<Ledger> mirror_ledger;
  std::unique_ptr<mirror::Follower> follower;
  std::vector<LagSample> samples;
  std::atomic<bool> sampling{true};
  std::thread sampler;
  const std::string mirror_dir = dir + "-mirror";
  if (mirror) {
    std::filesystem::remove_all(mirror_dir);
    mirror::SourceOptions source{server.url, std::string(kMirrorToken), ""};
    Result<std::unique_ptr<Ledger>> opened = mirror::OpenMirror(mirror_dir, source);
    if (!opened.ok()) {
      std::cerr << "mirror: " << opened.status().ToString() << "\n";
      StopServer(server);
      return phase;
    }
    mirror_ledger = std::move(opened).value();
    mirror::FollowerOptions follow;
    follow.source = source;
    follow.interval = std::chrono::milliseconds(100);
    follower = std::move(mirror::Follower::Create(*mirror_ledger, std::move(follow))).value();
    follower->Start();
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<std::size_t> acknowledged{0};  // events
  std::mutex mu;
  std::vector<double> latencies_ms;
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(options.seconds);
  if (mirror) {
    sampler = std::thread([&] {
      auto health = std::move(api::HttpClient::Create(server.url)).value();
      while (sampling.load()) {
        Result<api::ClientResponse> r = health->Get("/healthz");
        if (r.ok() && r->status == 200) {
          LagSample s;
          s.t = std::chrono::duration<double>(Clock::now() - start).count();
          s.source = static_cast<uint64_t>(boost::json::parse(r->body).at("tree_size").as_int64());
          s.mirror = mirror_ledger->tree_size();
          samples.push_back(s);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  std::vector<std::thread> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.emplace_back([&] {
      auto client = std::move(api::HttpClient::Create(server.url)).value();
      std::vector<double> mine;
      for (;;) {
        if (Clock::now() >= deadline) break;
        const std::size_t batch = static_cast<std::size_t>(options.batch);
        std::size_t i = next.fetch_add(batch);
        if (i >= events.size()) break;
        const std::size_t end = std::min(events.size(), i + batch);
        std::string body;
        if (batch == 1) {
          body = events[i];
        } else {
          body = R"({"events":[)";
          for (std::size_t e = i; e < end; ++e) body.append(e == i ? "" : ",").append(events[e]);
          body += "]}";
        }
        auto sent = Clock::now();
        Result<api::ClientResponse> response = client->Post("/v1/events", body);
        if (!response.ok() || (response->status != 201 && response->status != 200)) {
          failed += end - i;
          continue;
        }
        acknowledged += end - i;
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& t : clients) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (mirror) {
    sampling = false;
    sampler.join();
    // The load is over: how long until the mirror holds the whole log.
    auto load_end = Clock::now();
    const uint64_t final_size = samples.empty() ? 0 : samples.back().source;
    while (mirror_ledger->tree_size() < final_size &&
           Clock::now() - load_end < std::chrono::seconds(120)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    phase.catch_up_seconds = std::chrono::duration<double>(Clock::now() - load_end).count();
    follower->Stop();
    phase.mirrored = mirror_ledger->tree_size();
    SummarizeLag(samples, phase);
    follower.reset();
    mirror_ledger.reset();
    std::filesystem::remove_all(mirror_dir);
  }

  StopServer(server);
  phase.acknowledged = acknowledged.load();
  phase.failed = failed.load();
  phase.rate = static_cast<double>(phase.acknowledged) / elapsed;
  phase.p50 = Percentile(latencies_ms, 0.50);
  phase.p99 = Percentile(latencies_ms, 0.99);
  {
    LedgerOptions ro;
    ro.read_only = true;
    auto ledger = Ledger::Open(dir, ro);
    if (ledger.ok()) phase.tree_size = (*ledger)->tree_size();
    if (ledger.ok() && !witnesses.empty()) {
      WitnessPolicy policy;
      for (const api::ServedWitness& w : witnesses)
        policy.witnesses.push_back({w.witness->verifier_key(), ""});
      policy.quorum = witnesses.size();
      Result<std::optional<uint64_t>> witnessed = (*ledger)->NewestWitnessedSize(policy, 10000);
      if (witnessed.ok() && witnessed->has_value()) phase.witnessed_size = **witnessed;
    }
  }
  witnesses.clear();
  std::filesystem::remove_all(dir);
  phase.ok = true;
  return phase;
}

int Run(const Options& options) {
  // The sales' signatures are the limit: Ed25519, or SM2 with --guomi.
  const std::string alg = options.guomi ? "sm2" : "ed25519";
  SignatureSpeed limit = MeasureSignatures(alg, 3);
  unsigned cores = Cores();
  double verify_limit = limit.verify_per_s * cores;
  std::cout << "openssl speed " << alg << ": sign " << limit.sign_per_s << "/s, verify "
            << limit.verify_per_s << "/s per core; limit " << verify_limit << " verify/s on "
            << cores << " cores\n";
  // The log's hash, per core at 1024-byte blocks (a leaf is ~650 bytes).
  const std::string digest = options.guomi ? "sm3" : "sha256";
  const double hash_bytes = MeasureDigestBytesPerSecond(digest, 2);
  std::cout << "openssl speed -evp " << digest << ": " << hash_bytes / 1e6 << " MB/s per core\n";
  // Enough events for the whole run even at 1.2x the verification limit.
  std::size_t count = static_cast<std::size_t>(verify_limit * 1.2 * options.seconds) + 1000;
  std::cout << "phase 1: rule engine off\n";
  Phase off = RunPhase(options, count, /*rules_on=*/false);
  std::optional<Phase> witnessed;
  if (options.witnesses > 0) {
    std::cout << "phase 3: rule engine off, " << options.witnesses << " witnesses\n";
    witnessed = RunPhase(options, count, /*rules_on=*/false, options.witnesses);
    if (!witnessed->ok) return 2;
  }
  std::optional<Phase> mirrored;
  if (options.mirror) {
    std::cout << "phase 4: rule engine off, one mirror following\n";
    mirrored = RunPhase(options, count, /*rules_on=*/false, 0, /*mirror=*/true);
    if (!mirrored->ok) return 2;
  }
  std::cout << "phase 2: every rule on\n";
  Phase on = RunPhase(options, count, /*rules_on=*/true);
  if (!off.ok || !on.ok) return 2;
  std::optional<PeerMeasure> peer_single;
  std::optional<PeerMeasure> peer_batch;
  if (options.peer) {
    std::cout << "peer: PostgreSQL 15, hash-chain trigger, " << options.clients << " clients\n";
    std::optional<PeerCluster> cluster = PeerCluster::Start();
    if (!cluster) return 2;
    peer_single = cluster->Run("ingest-single", options.seconds, options.clients);
    peer_batch = cluster->Run("ingest-batch", options.seconds, options.clients);
    if (!peer_single || !peer_batch) return 2;
  }

  auto row = [](const Phase& p) {
    std::ostringstream out;
    out << static_cast<long>(p.rate) << " events/s (" << p.acknowledged << " acknowledged, "
        << p.failed << " failed; p50 " << p.p50 << " ms, p99 " << p.p99 << " ms; tree size "
        << p.tree_size << ")";
    return out.str();
  };
  std::ostringstream report;
  report << "Command: `build/release/bench/bench_ingest --seconds " << options.seconds
         << " --clients " << options.clients
         << (options.batch > 1 ? " --batch " + std::to_string(options.batch) : "")
         << (options.witnesses > 0 ? " --witnesses " + std::to_string(options.witnesses) : "")
         << (options.mirror ? " --mirror 1" : "") << (options.peer ? " --peer" : "")
         << (options.guomi ? " --guomi" : "") << "`\n\n"
         << "| measure | value |\n|---|---|\n"
         << "| clients | " << options.clients << ", "
         << (options.batch == 1 ? std::string("one signed event per request")
                                : std::to_string(options.batch) +
                                      " signed events per request (latency per request)")
         << " |\n"
         << "| ingest, rule engine off | " << row(off) << " |\n"
         << "| ingest, all 20 rules on | " << row(on) << " |\n"
         << "| rules on / off (goal ≥ 90%) | " << static_cast<int>(100 * on.rate / off.rate)
         << "% |\n"
         << "| `openssl speed -seconds 2 -evp " << digest << "` (the log's hash), one core | "
         << static_cast<long>(hash_bytes / 1e6) << " MB/s ≈ " << static_cast<long>(hash_bytes / 650)
         << " leaves/s |\n"
         << "| `openssl speed -seconds 3 " << alg << "` verify/s × cores | "
         << static_cast<long>(limit.verify_per_s) << " × " << cores << " = "
         << static_cast<long>(verify_limit) << " |\n"
         << "| ratio to the limit, rules off (goal ≥ " << (options.batch == 1 ? "80" : "90")
         << "%) | " << static_cast<int>(100 * off.rate / verify_limit) << "% |\n";
  if (witnessed) {
    report << "| ingest, rule engine off, " << options.witnesses << " witnesses (quorum "
           << options.witnesses << ") | " << row(*witnessed) << "; cosigned up to tree size "
           << witnessed->witnessed_size << " |\n"
           << "| with witnesses / without (goal ≥ 95%) | "
           << static_cast<int>(100 * witnessed->rate / off.rate) << "% |\n";
  }
  if (mirrored) {
    report << "| ingest, rule engine off, one mirror following (same machine) | " << row(*mirrored)
           << " |\n"
           << "| with a mirror / without | " << static_cast<int>(100 * mirrored->rate / off.rate)
           << "% |\n"
           << "| mirror lag in records, p50 / p99 / max | "
           << static_cast<long>(mirrored->lag_records_p50) << " / "
           << static_cast<long>(mirrored->lag_records_p99) << " / "
           << static_cast<long>(mirrored->lag_records_max) << " |\n"
           << "| mirror lag in seconds, p50 / p99 / max | " << mirrored->lag_seconds_p50 << " / "
           << mirrored->lag_seconds_p99 << " / " << mirrored->lag_seconds_max << " |\n"
           << "| mirror caught up after the load ended | " << mirrored->catch_up_seconds << " s ("
           << mirrored->mirrored << " records) |\n";
  }
  if (peer_single) {
    report << "| peer: PostgreSQL 15, append-only table with a per-stream SHA-256 chain trigger, "
              "fsync and synchronous_commit on, one row per transaction, "
           << options.clients << " clients (no signature checked) | "
           << static_cast<long>(peer_single->rows_per_s) << " rows/s (p50 "
           << peer_single->latency_p50_ms << " ms, p99 " << peer_single->latency_p99_ms << " ms, "
           << peer_single->failed << " failed) |\n"
           << "| peer, 500 rows per transaction | " << static_cast<long>(peer_batch->rows_per_s)
           << " rows/s |\n";
    if (options.batch == 1) {
      report << "| ingest / peer, one per request, rules off (goal ≥ 1.2×) | "
             << off.rate / peer_single->rows_per_s << "× |\n";
    } else {
      report << "| ingest / peer, " << options.batch << " per request / 500 per transaction | "
             << off.rate / peer_batch->rows_per_s << "× |\n";
    }
  }
  std::cout << report.str();
  if (!options.docs.empty() && !WriteSection(options.docs, "Ingest", report.str())) {
    std::cerr << "could not write " << options.docs << "\n";
    return 2;
  }
  return off.failed + on.failed + (witnessed ? witnessed->failed : 0) == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fupin::bench

int main(int argc, char** argv) {
  fupin::bench::Options options;
  options.cli =
      (std::filesystem::path(argv[0]).parent_path().parent_path() / "fupin-ledger").string();
  options.peer = fupin::bench::TakePeerFlag(argc, argv);
  options.guomi = fupin::bench::TakeBoolFlag(argc, argv, "--guomi");
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seconds")
      options.seconds = std::atoi(argv[i + 1]);
    else if (flag == "--clients")
      options.clients = std::atoi(argv[i + 1]);
    else if (flag == "--batch")
      options.batch = std::clamp(std::atoi(argv[i + 1]), 1, 1000);
    else if (flag == "--cli")
      options.cli = argv[i + 1];
    else if (flag == "--witnesses")
      options.witnesses = std::atoi(argv[i + 1]);
    else if (flag == "--mirror")
      options.mirror = std::atoi(argv[i + 1]) != 0;
    else if (flag == "--write-docs")
      options.docs = argv[i + 1];
    else {
      std::cerr << "usage: bench_ingest [--seconds S] [--clients N] [--batch N] [--cli PATH] "
                   "[--witnesses N] [--mirror 1] [--peer] [--guomi] [--write-docs FILE]\n";
      return 2;
    }
  }
  return fupin::bench::Run(options);
}
