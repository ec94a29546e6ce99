// bench_rebuild: rebuild of all projections (statistics + entity state)
// from zero over a >= 1M-event ledger, in events/s, next to RocksDB's own
// sequential read speed (`db_bench --benchmarks=fillseq,readseq`) on a
// database of the same count and value size, measured in the same run
// (SPEC §7: goal >= 500k events/s).
//
// Usage:
//   bench_rebuild --data DIR [--db-bench PATH] [--write-docs docs/performance.md]
//   bench_rebuild --make 1000000 --data DIR     (create a synthetic ledger)
// DIR is a ledger data directory, e.g. made with the generator:
//   fupin-ledger generate --scale 1000000 --out GEN
//   fupin-ledger init --data DIR --admin-public-key <GEN/keys admin key>
//   fupin-ledger serve --data DIR & fupin-ledger submit --url … < GEN/events.jsonl
// or, without the generator, with --make (sales spread over Hunan's regions,
// outlets, products and households; see MakeSyntheticLedger).
#include <sys/resource.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#include "bench/limits.h"
#include "generator/hunan_regions.h"
#include "generator/uscc.h"
#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/event.h"
#include "ledger/ledger.h"
#include "ledger/record.h"
#include "ledger/signing.h"
#include "ledger/store_format.h"
#include "projections/ledger_projections.h"
#include "projections/projection_layout.h"

namespace fupin::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU seconds used by this process so far (all threads).
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The 1-minute load average: other work on the machine slows every
// figure of the run alike, so the report states it.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first.empty() ? "unknown" : first;
}

// --- A synthetic campaign ledger --------------------------------------------

// Sizes of the synthetic world: about a 30th of the real campaign's
// entities, so a 1M-event log has ~950k sales over realistic fan-outs.
inline constexpr int kSuppliers = 300;
inline constexpr int kHouseholds = 30'000;
inline constexpr int kProducts = 1'500;
inline constexpr int kOutlets = 12'000;
inline constexpr int kPromotions = 600;
// One sale in a hundred is refunded; one product in fifty is revoked.
inline constexpr int kRefundEvery = 100;
inline constexpr int kRevokeEvery = 50;
// Events per Append: the ledger's commit group size.
inline constexpr std::size_t kBatch = 1000;

crypto::Ed25519PrivateKey SeededKey(uint8_t seed) {
  return std::move(crypto::Ed25519PrivateKey::FromSeed(std::string(32, static_cast<char>(seed))))
      .value();
}

struct Signer {
  crypto::Ed25519PrivateKey key;
  std::string id;
};

Envelope Sign(const Signer& signer, uint64_t n, const std::string& type, boost::json::object body,
              const std::string& occurred_at) {
  char uuid[40];
  std::snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n));
  boost::json::object event{{"id", uuid},       {"type", type},
                            {"v", 1},           {"occurred_at", occurred_at},
                            {"key", signer.id}, {"body", std::move(body)}};
  return *ParseEnvelope(json::Canonicalize(*SignEvent(std::move(event), signer.key)));
}

struct Region {
  std::string code, name, level, parent;
  bool poverty = false;
};

std::vector<Region> HunanRegions() {
  std::vector<Region> regions;
  std::istringstream lines{std::string(generator::kHunanRegionsCsv)};
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    if (f.size() >= 5) regions.push_back({f[0], f[1], f[2], f[3], f[4] == "1"});
  }
  return regions;
}

std::string Day(int day_of_september, int minute) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "2020-09-%02dT%02d:%02d:00+08:00", day_of_september,
                8 + minute / 60 % 12, minute % 60);
  return buf;
}

// What the i-th event after the world is (k: its place in its batch):
// revocations at evenly spaced places, a refund of the sale just before
// every kRefundEvery-th place of a batch, sales otherwise.
enum class SalesSlot { kSale, kRefund, kRevocation };
inline constexpr uint64_t kRevocations = kProducts / kRevokeEvery;

uint64_t RevocationStride(uint64_t remaining) { return remaining / (kRevocations + 1) + 1; }

bool IsRevocation(uint64_t i, uint64_t remaining) {
  const uint64_t stride = RevocationStride(remaining);
  return i % stride == stride / 2 && i / stride < kRevocations;
}

uint64_t RevokedProduct(uint64_t i, uint64_t remaining) {
  return i / RevocationStride(remaining) * kRevokeEvery;
}

SalesSlot SlotOf(uint64_t i, uint64_t remaining, uint64_t k) {
  if (IsRevocation(i, remaining)) return SalesSlot::kRevocation;
  if (k % kRefundEvery == kRefundEvery - 1 && !IsRevocation(i - 1, remaining)) {
    return SalesSlot::kRefund;
  }
  return SalesSlot::kSale;
}

Status AppendAll(Ledger& ledger, std::vector<Envelope>& events) {
  for (std::size_t i = 0; i < events.size(); i += kBatch) {
    std::vector<Envelope> batch(events.begin() + i,
                                events.begin() + std::min(events.size(), i + kBatch));
    AppendResult result = ledger.Append(std::move(batch));
    if (!result.ok()) return result.status;
  }
  events.clear();
  return Status::Ok();
}

// The world (regions, keys, campaign, suppliers, households, products,
// outlets, promotions), then sales with refunds and a few revocations until
// the log holds `total` events. Two threads sign and append sales batches.
Status MakeSyntheticLedger(const std::string& dir, uint64_t total) {
  Signer admin{SeededKey(1), "admin"}, certifier{SeededKey(2), "certifier"},
      op{SeededKey(3), "operator"};
  FUPIN_RETURN_IF_ERROR(Ledger::Init(dir, Base64Encode(admin.key.public_raw()), admin.id).status());
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> opened, Ledger::Open(dir));
  Ledger& ledger = *opened;
  uint64_t n = 1;
  std::vector<Envelope> events;
  const std::string seed_day = "2020-08-20T09:00:00+08:00";
  std::vector<std::string> counties, poverty;
  for (const Region& r : HunanRegions()) {
    boost::json::object body{
        {"code", r.code}, {"name", r.name}, {"level", r.level}, {"poverty_county", r.poverty}};
    if (!r.parent.empty()) body["parent"] = r.parent;
    events.push_back(Sign(admin, n++, "region.defined", body, seed_day));
    if (r.level == "county") counties.push_back(r.code);
    if (r.poverty) poverty.push_back(r.code);
  }
  for (const Signer* s : {&certifier, &op}) {
    boost::json::object body{{"key_id", s->id},
                             {"alg", "ed25519"},
                             {"public_key", Base64Encode(s->key.public_raw())},
                             {"roles", {s == &op ? "operator" : "certifier"}},
                             {"regions", {"430000"}}};
    events.push_back(Sign(admin, n++, "key.registered", body, seed_day));
  }
  events.push_back(Sign(admin, n++, "campaign.defined",
                        {{"campaign_id", "HN-2020-09"},
                         {"name", "湖南省消费扶贫月"},
                         {"starts_on", "2020-09-01"},
                         {"ends_on", "2020-09-30"},
                         {"targets",
                          {{"sales_fen", 400000000000},
                           {"counters_total", 30000},
                           {"counters_by_region", {{"430100", 10000}}},
                           {"counters_min_per_prefecture", 2000},
                           {"pavilions_min_per_region", 1},
                           {"offline_zones_min_per_prefecture", 3}}}},
                        seed_day));
  for (int i = 0; i < kSuppliers; ++i) {
    const std::string& county = poverty[i % poverty.size()];
    events.push_back(Sign(certifier, n++, "supplier.registered",
                          {{"supplier_id", "SUP-" + std::to_string(i)},
                           {"name", "合作社" + std::to_string(i)},
                           {"uscc", generator::MakeUscc("93", county, i)},
                           {"region", county}},
                          seed_day));
  }
  for (int i = 0; i < kHouseholds; ++i) {
    events.push_back(Sign(certifier, n++, "household.registered",
                          {{"household_id", "H-" + std::to_string(i)},
                           {"region", poverty[i % poverty.size()]},
                           {"members", 1 + i % 6},
                           {"status", i % 5 == 0 ? "exited" : "poor"}},
                          seed_day));
  }
  for (int i = 0; i < kProducts; ++i) {
    boost::json::array households;
    for (int k = 0; k < 5 + i % 16; ++k) {
      households.emplace_back("H-" + std::to_string((i * 37 + k * 101) % kHouseholds));
    }
    events.push_back(Sign(certifier, n++, "product.certified",
                          {{"product_id", "P-" + std::to_string(i)},
                           {"name", "扶贫产品" + std::to_string(i)},
                           {"category", i % 3 == 0   ? "茶油"
                                        : i % 3 == 1 ? "黄花菜"
                                                     : "腊肉"},
                           {"spec", "500g"},
                           {"unit", "袋"},
                           {"supplier_id", "SUP-" + std::to_string(i % kSuppliers)},
                           {"origin_region", poverty[(i % kSuppliers) % poverty.size()]},
                           {"reference_price_fen", 1500 + i % 50 * 100},
                           {"certificate_no", "XFP-2020-" + std::to_string(i)},
                           {"valid_from", "2020-01-01"},
                           {"valid_to", "2021-12-31"},
                           {"annual_value_fen", 900000000},
                           {"benefit",
                            {{"mechanisms", {"order_purchase"}},
                             {"households", std::move(households)},
                             {"people_claimed", 20}}}},
                          seed_day));
  }
  static const char* kKinds[] = {"counter",     "counter",        "counter",  "counter",
                                 "counter",     "counter",        "pavilion", "zone_offline",
                                 "zone_online", "livestream_base"};
  for (int i = 0; i < kOutlets; ++i) {
    events.push_back(Sign(op, n++, "outlet.deployed",
                          {{"outlet_id", "O-" + std::to_string(i)},
                           {"kind", kKinds[i % 10]},
                           {"name", "网点" + std::to_string(i)},
                           {"region", counties[i % counties.size()]}},
                          seed_day));
  }
  for (int i = 0; i < kPromotions; ++i) {
    events.push_back(Sign(
        op, n++, "promotion.held",
        {{"promotion_id", "PR-" + std::to_string(i)},
         {"name", "产销对接会" + std::to_string(i)},
         {"region", counties[i % counties.size()]},
         {"held_on", "2020-09-" + std::string(i % 30 < 9 ? "0" : "") + std::to_string(i % 30 + 1)}},
        seed_day));
  }
  FUPIN_RETURN_IF_ERROR(AppendAll(ledger, events));

  // Sales batches, signed and appended by two threads (signature checks on
  // the appending thread are what parallelizes the ledger's ingest).
  const uint64_t start_n = n;
  const uint64_t remaining = total > ledger.tree_size() ? total - ledger.tree_size() : 0;
  const uint64_t batches = (remaining + kBatch - 1) / kBatch;
  std::atomic<uint64_t> next_batch{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (uint64_t b; !failed && (b = next_batch.fetch_add(1)) < batches;) {
      std::vector<Envelope> batch;
      const uint64_t count = std::min<uint64_t>(kBatch, remaining - b * kBatch);
      for (uint64_t k = 0; k < count; ++k) {
        const uint64_t i = b * kBatch + k;
        const uint64_t id = start_n + i;
        const int day = static_cast<int>(1 + i * 30 / std::max<uint64_t>(1, remaining));
        const std::string when = Day(std::min(day, 30), static_cast<int>(i % 720));
        const SalesSlot slot = SlotOf(i, remaining, k);
        if (slot == SalesSlot::kRefund) {
          const uint64_t sale = id - 1;  // the sale just before, same batch
          batch.push_back(Sign(op, id, "sale.refunded",
                               {{"sale_id", "S-" + std::to_string(sale)},
                                {"outlet_id", "O-" + std::to_string(sale % kOutlets)},
                                {"amount_fen", 100},
                                {"reason", "退货"}},
                               when));
        } else if (slot == SalesSlot::kRevocation) {
          batch.push_back(Sign(certifier, id, "product.revoked",
                               {{"product_id", "P-" + std::to_string(RevokedProduct(i, remaining))},
                                {"reason", "抽检不合格"}},
                               when));
        } else {
          const int64_t quantity = 1 + static_cast<int64_t>(id % 5);
          const int64_t price = 1500 + static_cast<int64_t>(id % 97) * 10;
          batch.push_back(Sign(op, id, "sale.recorded",
                               {{"sale_id", "S-" + std::to_string(id)},
                                {"product_id", "P-" + std::to_string(id % kProducts)},
                                {"outlet_id", "O-" + std::to_string(id % kOutlets)},
                                {"quantity", quantity},
                                {"unit_price_fen", price},
                                {"amount_fen", quantity * price},
                                {"buyer_kind", "individual"},
                                {"buyer_ref", "B-" + std::to_string(id % 100000)}},
                               when));
        }
      }
      AppendResult result = ledger.Append(std::move(batch));
      if (!result.ok()) {
        std::cerr << "append failed: " << result.status.ToString() << "\n";
        failed = true;
      }
      if (b % 100 == 0) std::cerr << "\r  made " << ledger.tree_size() << " events" << std::flush;
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < Cores(); ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  std::cerr << "\n";
  if (failed) return Status(ErrorCode::kInternal, "synthetic ledger: an append failed");
  return Status::Ok();
}

// --- Measurements --------------------------------------------------------

struct RecordStats {
  uint64_t count = 0;
  uint64_t bytes = 0;  // stored value bytes
  double seconds = 0;
};

// Our own sequential read of the records column family (bytes only).
RecordStats ScanRecords(const Ledger& ledger) {
  RecordStats stats;
  auto start = Clock::now();
  Status scanned =
      ledger.store().Scan(Cf::kRecords, "", "", [&](std::string_view, std::string_view value) {
        ++stats.count;
        stats.bytes += value.size();
        return true;
      });
  stats.seconds = Seconds(start);
  if (!scanned.ok()) std::cerr << "scan: " << scanned.ToString() << "\n";
  return stats;
}

// db_bench's "readseq : 0.394 micros/op 2537174 ops/sec;" -> ops/sec.
double OpsPerSecond(const std::string& output, const std::string& benchmark) {
  std::regex line(benchmark + R"(\s*:\s*[0-9.]+ micros/op ([0-9]+) ops/sec)");
  std::smatch match;
  return std::regex_search(output, match, line) ? std::stod(match[1]) : 0;
}

struct SavedRebuild {
  bool ran = false;
  std::string why_not;
  double seconds = 0;
  uint64_t snapshots = 0;
};

// The rebuild as a server does it: the same fold, plus the state saved at
// every snapshot boundary (100,000 records) and at the end. Needs the
// directory writable and not in use by a server.
SavedRebuild RebuildWithSaves(const std::string& data) {
  SavedRebuild result;
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(data);
  if (!ledger.ok()) {
    result.why_not = ledger.status().ToString();
    return result;
  }
  projections::RunnerOptions runner_options;
  runner_options.use_stored_state = false;
  auto projections =
      std::move(projections::LedgerProjections::Open(**ledger, runner_options)).value();
  auto start = Clock::now();
  Status rebuilt = projections->runner().Rebuild();
  result.seconds = Seconds(start);
  if (!rebuilt.ok()) {
    result.why_not = rebuilt.ToString();
    return result;
  }
  result.ran = true;
  Result<std::optional<std::string>> head = (**ledger).store().Get(
      Cf::kProjections, projections::HeadKey(projections::StatisticsProjection::kName));
  if (head.ok() && head->has_value()) {
    Result<projections::ProjectionHead> decoded = projections::DecodeHead(**head);
    if (decoded.ok()) result.snapshots = decoded->snapshots.size();
  }
  return result;
}

struct Options {
  std::string data;
  uint64_t make = 0;
  std::string db_bench = "/usr/bin/db_bench";
  std::string docs;
};

int Run(const Options& options) {
  if (options.make > 0) {
    std::cout << "making a synthetic ledger of " << options.make << " events in " << options.data
              << "\n";
    auto start = Clock::now();
    Status made = MakeSyntheticLedger(options.data, options.make);
    if (!made.ok()) {
      std::cerr << made.ToString() << "\n";
      return 2;
    }
    std::cout << "made in " << Seconds(start) << " s\n";
  }
  LedgerOptions read_only;
  read_only.read_only = true;
  Result<std::unique_ptr<Ledger>> opened = Ledger::Open(options.data, read_only);
  if (!opened.ok()) {
    std::cerr << "cannot open " << options.data << ": " << opened.status().ToString() << "\n";
    return 2;
  }
  Ledger& ledger = **opened;
  const uint64_t events = ledger.tree_size();
  RecordStats records = ScanRecords(ledger);
  const uint64_t average = records.count ? records.bytes / records.count : 0;
  std::cout << events << " events, average stored record " << average << " bytes\n";

  // In memory, as `fupin-ledger stats --rebuild` does on a read-only store.
  projections::RunnerOptions runner_options;
  runner_options.persist = false;
  auto projections =
      std::move(projections::LedgerProjections::Open(ledger, runner_options)).value();
  const std::string load_before = LoadAverage();
  auto start = Clock::now();
  const double cpu_start = CpuSeconds();
  Status rebuilt = projections->runner().Rebuild();
  const double rebuild_s = Seconds(start);
  const double rebuild_cpu_s = CpuSeconds() - cpu_start;
  if (!rebuilt.ok()) {
    std::cerr << "rebuild: " << rebuilt.ToString() << "\n";
    return 1;
  }
  const double rate = static_cast<double>(events) / rebuild_s;
  std::cout << "rebuild of all projections: " << rebuild_s << " s, " << static_cast<long>(rate)
            << " events/s, " << rebuild_cpu_s << " CPU s\n";

  projections.reset();
  opened->reset();
  const SavedRebuild saved = RebuildWithSaves(options.data);

  // The same count and value size through RocksDB alone.
  std::string db_dir = (std::filesystem::temp_directory_path() / "fupin-db-bench").string();
  std::filesystem::remove_all(db_dir);
  std::string command = options.db_bench +
                        " --benchmarks=fillseq,readseq --num=" + std::to_string(events) +
                        " --value_size=" + std::to_string(average) + " --db=" + db_dir + " 2>&1";
  std::cout << "running: " << command << "\n";
  std::string output = RunCommand(command);
  std::filesystem::remove_all(db_dir);
  const double fillseq = OpsPerSecond(output, "fillseq");
  const double readseq = OpsPerSecond(output, "readseq");

  std::ostringstream report;
  report << "Command: `bench_rebuild --data DIR --write-docs docs/performance.md` on a ledger of "
         << events << " events (`bench_rebuild --make " << events
         << " --data DIR` when no generated ledger is at hand).\n\n"
         << "| measure | value |\n|---|---|\n"
         << "| events in the ledger | " << events << " |\n"
         << "| average stored record | " << average << " bytes |\n"
         << "| rebuild of all projections (statistics + entities), in memory, " << Cores()
         << " cores | " << rebuild_s << " s = **" << static_cast<long>(rate)
         << " events/s** (goal ≥ 500,000) |\n"
         << "| CPU time of the rebuild (all threads) | " << rebuild_cpu_s
         << " s = " << static_cast<long>(static_cast<double>(events) / rebuild_cpu_s)
         << " events per CPU-second; cores it got: " << rebuild_cpu_s / rebuild_s << " |\n"
         << "| 1-minute load average before the rebuild | " << load_before << " |\n"
         << "| the same rebuild saving its state as the server does (snapshots at "
            "multiples of 100,000 records, spaced by the 64 bytes/record write budget) | "
         << (saved.ran ? std::to_string(saved.seconds) + " s = " +
                             std::to_string(
                                 static_cast<long>(static_cast<double>(events) / saved.seconds)) +
                             " events/s (" + std::to_string(saved.snapshots) + " snapshots)"
                       : "not run: " + saved.why_not)
         << " |\n"
         << "| raw scan of the records column family (no decoding) | "
         << static_cast<long>(records.count / std::max(records.seconds, 1e-9)) << " records/s |\n"
         << "| `db_bench --benchmarks=fillseq,readseq --num=" << events
         << " --value_size=" << average << "` readseq | " << static_cast<long>(readseq)
         << " ops/s |\n"
         << "| same run, fillseq | " << static_cast<long>(fillseq) << " ops/s |\n"
         << "| rebuild / readseq | " << (readseq > 0 ? static_cast<int>(100 * rate / readseq) : 0)
         << "% |\n";
  report << "\nThe machine is shared: the load average counts the threads competing for its\n"
            "2 cores, and \"cores it got\" (CPU time / wall time) how many the rebuild\n"
            "actually had; with both cores free the rebuild approaches\n"
            "2 × events per CPU-second.\n";
  std::cout << report.str();
  if (readseq == 0) std::cerr << "db_bench output:\n" << output << "\n";
  if (!options.docs.empty() && !WriteSection(options.docs, "Projection rebuild", report.str())) {
    std::cerr << "could not write " << options.docs << "\n";
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace fupin::bench

int main(int argc, char** argv) {
  fupin::bench::Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data")
      options.data = argv[i + 1];
    else if (flag == "--make")
      options.make = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--db-bench")
      options.db_bench = argv[i + 1];
    else if (flag == "--write-docs")
      options.docs = argv[i + 1];
  }
  if (options.data.empty() || (options.make == 0 && !std::filesystem::exists(options.data))) {
    std::cerr << "usage: bench_rebuild --data DIR [--db-bench PATH] [--write-docs FILE]\n"
                 "       bench_rebuild --make 1000000 --data DIR   (synthetic ledger)\n"
                 "DIR must hold a ledger of >= 1M events, e.g.:\n"
                 "  fupin-ledger generate --scale 1000000 --out GEN, then init a ledger with\n"
                 "  GEN's admin key and submit GEN/events.jsonl to a server on it;\n"
                 "or let --make create a synthetic one.\n";
    return 2;
  }
  return fupin::bench::Run(options);
}
