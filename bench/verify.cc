// bench_verify: full integrity verification (`fupin-ledger verify --full`)
// of a >= 1M-event ledger in events/s, next to the limits measured in the
// same run: `openssl speed ed25519` verify/s × cores (the signature limit)
// and SHA-256 throughput (`openssl speed sha256` at 1024-byte blocks, in
// records/s for the ledger's mean leaf size). Goals: full verification
// >= 90% of the ledger's own signatures verified by OpenSSL on every core
// (SPEC §7's signature limit, restated: `openssl speed` verifies one key
// over a 20-byte message, which no log of real events does); the
// hash-only part (`--hash-only`) >= 1M events/s.
//
// Usage: bench_verify --data DIR [--threads N] [--only hash-only|full|signatures]
//                     [--write-docs docs/performance.md]
// --only runs one of the two verifications (for profiling), or only the
// signature measurements; the docs are written only from a run of all.
// DIR is opened read-only and nothing is written to it (the verification
// result is not stored), so the shared 1M ledger can be used as it is.
#include "verify/verify.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/limits.h"
#include "ledger/canonical_json.h"
#include "ledger/crypto.h"
#include "ledger/entity_state.h"
#include "ledger/event.h"
#include "ledger/event_key.h"
#include "ledger/record.h"
#include "ledger/store_format.h"
#include "verify/projection_check.h"

namespace fupin::bench {
namespace {

std::string LoadAverage() {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 1) return "unknown";
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", load[0]);
  return text;
}

inline constexpr int kHashOnlyRuns = 3;
inline constexpr std::size_t kSignatureSamples = 20000;

// The signatures of the ledger's own events verified on one core, as the
// record pass verifies them (one context per key, the real signing inputs
// and their lengths): what `openssl speed` (a 20-byte message under one
// key) would be for this log.
struct LedgerSignatures {
  double verify_per_s = 0;  // one core, thread CPU time
  double mean_bytes = 0;    // signed input per event
  std::size_t samples = 0;
  std::size_t keys = 0;                             // distinct signing keys among them
  std::size_t sm2_samples = 0;                      // of `samples`, signed with SM2 keys
  merkle::HashAlg hash = merkle::HashAlg::kSha256;  // the log's, from seq 0
};

Result<LedgerSignatures> MeasureLedgerSignatures(const std::string& data, std::size_t samples,
                                                 double seconds) {
  namespace sf = store_format;
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<StoreDb> opened,
                         StoreDb::Open(data + "/db", DbMode::kReadOnly));
  const StoreDb& store = *opened;
  FUPIN_ASSIGN_OR_RETURN(std::optional<StoreDb::Entry> last, store.Last(Cf::kRecords, ""));
  if (!last.has_value()) return Status(ErrorCode::kNotFound, "the ledger has no records");
  const std::optional<uint64_t> last_seq = sf::ParseUint64Key(last->first);
  if (!last_seq) return Status(ErrorCode::kDataLoss, "the last record key is malformed");
  const uint64_t end = *last_seq + 1;
  LedgerSignatures out;
  {
    Result<std::optional<std::string>> seq0 = store.Get(Cf::kRecords, sf::Uint64Key(0));
    if (!seq0.ok() || !seq0->has_value()) return Status(ErrorCode::kDataLoss, "record 0 missing");
    FUPIN_ASSIGN_OR_RETURN(StoredRecordView record, ViewStoredRecord(**seq0));
    FUPIN_ASSIGN_OR_RETURN(out.hash, LogHashOfGenesis(record.leaf_data));
  }
  struct Signed {
    const crypto::EventPublicKey* key;
    std::string input;
    std::string signature;
  };
  std::map<std::string, crypto::EventPublicKey> keys;
  std::vector<Signed> signed_events;
  const uint64_t step = std::max<uint64_t>(1, end / samples);
  // Seq 0 and 1 are the genesis registrations; sampled from 2 on.
  for (uint64_t seq = 2; seq < end && signed_events.size() < samples; seq += step) {
    Result<std::optional<std::string>> bytes = store.Get(Cf::kRecords, sf::Uint64Key(seq));
    if (!bytes.ok() || !bytes->has_value()) return Status(ErrorCode::kDataLoss, "record missing");
    FUPIN_ASSIGN_OR_RETURN(StoredRecordView record, ViewStoredRecord(**bytes));
    Result<boost::json::object> leaf = json::ParseStrictObject(record.leaf_data);
    if (!leaf.ok() || !leaf->contains("event") || !leaf->at("event").is_object()) {
      return Status(ErrorCode::kDataLoss, "leaf data of seq " + std::to_string(seq));
    }
    FUPIN_ASSIGN_OR_RETURN(Envelope envelope,
                           ParseEnvelope(std::move(leaf->at("event").as_object())));
    auto key = keys.find(envelope.key_id);
    if (key == keys.end()) {
      Result<std::optional<std::string>> state = store.Get(
          Cf::kState, sf::StateKey(static_cast<uint8_t>(EntityKind::kKey), envelope.key_id));
      if (!state.ok() || !state->has_value()) {
        return Status(ErrorCode::kDataLoss, "no state of key " + envelope.key_id);
      }
      Result<EntityState> decoded = DecodeEntityState(**state);
      if (!decoded.ok() || !std::holds_alternative<KeyState>(*decoded)) {
        return Status(ErrorCode::kDataLoss, "state of key " + envelope.key_id);
      }
      const KeyState& state_of_key = std::get<KeyState>(*decoded);
      FUPIN_ASSIGN_OR_RETURN(
          crypto::EventPublicKey parsed,
          crypto::EventPublicKey::FromRaw(state_of_key.alg, state_of_key.public_key));
      key = keys.emplace(envelope.key_id, std::move(parsed)).first;
    }
    signed_events.push_back(
        {&key->second, std::move(envelope.signing_input), std::move(envelope.signature)});
  }
  if (signed_events.empty()) return Status(ErrorCode::kNotFound, "the ledger has no signed events");
  out.samples = signed_events.size();
  for (const Signed& s : signed_events) out.sm2_samples += s.key->alg() == KeyAlg::kSm2 ? 1 : 0;
  out.keys = keys.size();
  for (const Signed& s : signed_events) out.mean_bytes += static_cast<double>(s.input.size());
  out.mean_bytes /= static_cast<double>(std::max<std::size_t>(1, out.samples));
  crypto::EventVerifier verifier;
  auto thread_cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
  };
  const double started = thread_cpu();
  uint64_t verified = 0;
  while (thread_cpu() - started < seconds) {
    for (const Signed& s : signed_events) {
      if (!verifier.Verify(*s.key, s.input, s.signature)) {
        return Status(ErrorCode::kDataLoss, "a sampled signature does not verify");
      }
    }
    verified += signed_events.size();
  }
  out.verify_per_s = static_cast<double>(verified) / (thread_cpu() - started);
  return out;
}

struct Run {
  verify::VerifyReport report;
  double seconds = 0;
  double cpu_seconds = 0;  // user + system of the whole process during the run
};

// User + system CPU of this process so far. Steadier than wall time on a
// shared machine: a busy neighbour takes cores, not instructions.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

Result<Run> VerifyOnce(const std::string& data, verify::VerifyMode mode, unsigned threads,
                       bool projections) {
  verify::VerifyOptions options;
  options.mode = mode;
  options.threads = threads;
  verify::ProjectionStateCheck check;
  if (projections) options.derived.push_back(&check);
  auto started = std::chrono::steady_clock::now();
  const double cpu_before = ProcessCpuSeconds();
  FUPIN_ASSIGN_OR_RETURN(verify::VerifyReport report, verify::VerifyDataDir(data, options));
  Run run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run.cpu_seconds = ProcessCpuSeconds() - cpu_before;
  run.report = std::move(report);
  return run;
}

// One verification, timed, without the openssl limits: for profiling.
int RunOnly(const std::string& data, const std::string& only, unsigned threads) {
  const bool hash_only = only == "hash-only";
  if (only == "signatures") {
    Result<LedgerSignatures> own = MeasureLedgerSignatures(data, kSignatureSamples, 5.0);
    if (!own.ok()) {
      std::cerr << "bench_verify: " << own.status().ToString() << '\n';
      return 2;
    }
    const Ed25519Speed ed = MeasureEd25519(5);
    std::printf(
        "signatures: %zu of the ledger's events (%zu keys, %.0f bytes signed on average) verify "
        "at %.0f/s on one core; openssl speed ed25519 %.0f/s (%.1f%%)\n",
        own->samples, own->keys, own->mean_bytes, own->verify_per_s, ed.verify_per_s,
        100.0 * own->verify_per_s / ed.verify_per_s);
    return 0;
  }
  if (!hash_only && only != "full") {
    std::cerr << "bench_verify: --only takes hash-only, full or signatures\n";
    return 2;
  }
  Result<Run> run =
      VerifyOnce(data, hash_only ? verify::VerifyMode::kHashOnly : verify::VerifyMode::kFull,
                 threads, !hash_only);
  if (!run.ok()) {
    std::cerr << "bench_verify: " << run.status().ToString() << '\n';
    return 2;
  }
  const verify::VerifyReport& report = run->report;
  std::printf(
      "%s: %llu events in %.2f s = %.0f events/s (records %.2f s, indexes %.2f s, "
      "derived %.2f s), CPU %.1f s, %s, load average %s\n",
      only.c_str(), static_cast<unsigned long long>(report.tree_size), run->seconds,
      static_cast<double>(report.tree_size) / run->seconds,
      static_cast<double>(report.durations.records_ms) / 1000.0,
      static_cast<double>(report.durations.indexes_ms) / 1000.0,
      static_cast<double>(report.durations.derived_ms) / 1000.0, run->cpu_seconds,
      report.clean() ? "clean" : "TAMPERED", LoadAverage().c_str());
  return report.clean() ? 0 : 1;
}

int Main(int argc, char** argv) {
  std::string data;
  std::string docs;
  std::string only;
  unsigned threads = Cores();
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (arg == "--write-docs" && i + 1 < argc) {
      docs = argv[++i];
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::cerr << "usage: bench_verify --data DIR [--threads N] "
                   "[--only hash-only|full|signatures] "
                   "[--write-docs FILE]\n";
      return 2;
    }
  }
  if (data.empty()) {
    std::cerr << "bench_verify: --data DIR is required\n";
    return 2;
  }
  if (!only.empty()) return RunOnly(data, only, threads);
  const unsigned cores = Cores();
  // The 1-minute load average before the run is the rest of the machine;
  // after it, the run's own busy threads count toward it too.
  const std::string load_before = LoadAverage();
  std::cerr << "measuring openssl speed ed25519 ...\n";
  const Ed25519Speed ed = MeasureEd25519(3);
  // What the cores deliver when all verify at once (shared caches, memory
  // and the host's scheduling): the limit times cores assumes none of it.
  const Ed25519Speed ed_all = MeasureEd25519(3, cores);
  std::cerr << "measuring random load latency ...\n";
  constexpr std::size_t kTableMiB = 256;
  const double load_ns_small = MeasureRandomLoadNs(4, false);
  const double load_ns_plain = MeasureRandomLoadNs(kTableMiB, false);
  const double load_ns_huge = MeasureRandomLoadNs(kTableMiB, true);
  std::cerr << "measuring the signatures of the ledger's own events ...\n";
  Result<LedgerSignatures> own = MeasureLedgerSignatures(data, kSignatureSamples, 5.0);
  if (!own.ok()) {
    std::cerr << "bench_verify: " << own.status().ToString() << '\n';
    return 2;
  }
  // A log with SM2 keys (issue 23): openssl's SM2 verify rate beside
  // Ed25519's, mixed in the proportion of the ledger's own signatures; and
  // the log's own hash (SHA-256 or SM3) as the hashing limit.
  const bool has_sm2 = own->sm2_samples > 0;
  const double sm2_share =
      static_cast<double>(own->sm2_samples) / static_cast<double>(own->samples);
  std::cerr << (has_sm2 ? "measuring openssl speed sm2 ...\n" : "");
  const SignatureSpeed sm2 = has_sm2 ? MeasureSignatures("sm2", 3) : SignatureSpeed{};
  const double openssl_verify =
      has_sm2 ? 1.0 / ((1.0 - sm2_share) / ed.verify_per_s + sm2_share / sm2.verify_per_s)
              : ed.verify_per_s;
  const std::string digest = own->hash == merkle::HashAlg::kSm3 ? "sm3" : "sha256";
  std::cerr << "measuring openssl speed -evp " << digest << " ...\n";
  const double sha_bytes = MeasureDigestBytesPerSecond(digest, 2);

  std::cerr << "hash-only verification ...\n";
  // A pass of about a second is at the mercy of whatever else the machine
  // does in that second: the median of kHashOnlyRuns is reported, with
  // every run listed.
  std::vector<Run> hash_runs;
  for (int i = 0; i < kHashOnlyRuns; ++i) {
    Result<Run> run = VerifyOnce(data, verify::VerifyMode::kHashOnly, threads, false);
    if (!run.ok()) {
      std::cerr << "bench_verify: " << run.status().ToString() << '\n';
      return 2;
    }
    hash_runs.push_back(std::move(run).value());
  }
  std::sort(hash_runs.begin(), hash_runs.end(),
            [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  const Run* hash_only = &hash_runs[hash_runs.size() / 2];
  std::string hash_rates;
  for (const Run& run : hash_runs) {
    if (!hash_rates.empty()) hash_rates += ", ";
    hash_rates += std::to_string(
        static_cast<long long>(static_cast<double>(run.report.tree_size) / run.seconds));
  }
  std::cerr << "full verification ...\n";
  Result<Run> full = VerifyOnce(data, verify::VerifyMode::kFull, threads, true);
  if (!full.ok()) {
    std::cerr << "bench_verify: " << full.status().ToString() << '\n';
    return 2;
  }
  const uint64_t events = full->report.tree_size;
  const double full_rate = static_cast<double>(events) / full->seconds;
  const double records_rate = static_cast<double>(events) /
                              (static_cast<double>(full->report.durations.records_ms) / 1000.0);
  const double hash_rate = static_cast<double>(hash_only->report.tree_size) / hash_only->seconds;
  const double signature_limit = openssl_verify * cores;
  // Mean stored record ~ leaf data; bytes are what SHA-256 pays for.
  const double leaf_bytes = 650.0;
  const double sha_records = sha_bytes * cores / leaf_bytes;

  std::ostringstream body;
  char line[512];
  body << "\n`bench_verify --data " << data << "` (" << events << " events, " << threads
       << " threads, " << cores << " cores, 1-minute load average " << load_before
       << " before the run, " << LoadAverage() << " after it):\n\n";
  body << "| measure | value |\n|---|---|\n";
  std::snprintf(line, sizeof(line), "| openssl speed ed25519 verify/s, one core | %.0f |\n",
                ed.verify_per_s);
  body << line;
  if (has_sm2) {
    std::snprintf(line, sizeof(line),
                  "| openssl speed sm2 verify/s, one core | %.0f; %.1f%% of the sampled events "
                  "are SM2-signed, so openssl's rate for this log's mix is %.0f/s |\n",
                  sm2.verify_per_s, 100.0 * sm2_share, openssl_verify);
    body << line;
  }
  std::snprintf(line, sizeof(line), "| signature limit (× %u cores) | %.0f events/s |\n", cores,
                signature_limit);
  body << line;
  std::snprintf(line, sizeof(line),
                "| openssl speed -multi %u ed25519 verify/s (all cores at once) | %.0f = %.1f%% "
                "of the limit |\n",
                cores, ed_all.verify_per_s, 100.0 * ed_all.verify_per_s / signature_limit);
  body << line;
  std::snprintf(line, sizeof(line),
                "| full verification, end to end (incl. indexes, entity state, projections) | "
                "%.0f events/s (%.1f s) = **%.1f%%** of the signature limit |\n",
                full_rate, full->seconds, 100.0 * full_rate / signature_limit);
  body << line;
  std::snprintf(line, sizeof(line),
                "| of which the record pass (hashes, fold, signatures) | %.0f events/s = %.1f%% "
                "of the limit |\n",
                records_rate, 100.0 * records_rate / signature_limit);
  body << line;
  // Where the cores went: the signatures at the rate openssl measured, and
  // everything else per event.
  const double signature_cpu = static_cast<double>(full->report.counts.signatures) / openssl_verify;
  std::snprintf(line, sizeof(line),
                "| CPU of the full run (user + system, all threads) | %.1f s = %.2f cores busy; "
                "signatures at openssl's rate %.1f s; all other work %.1f µs per event |\n",
                full->cpu_seconds, full->cpu_seconds / full->seconds, signature_cpu,
                1e6 * (full->cpu_seconds - signature_cpu) / static_cast<double>(events));
  body << line;
  const double own_limit = own->verify_per_s * cores;
  std::snprintf(line, sizeof(line),
                "| verify of %zu of the ledger's own events (%zu keys, %.1f%% SM2, signed input "
                "%.0f bytes on average, one context per key), one core, thread CPU time | "
                "%.0f/s = %.1f%% of openssl speed; × %u cores = %.0f events/s, of which full "
                "verification is **%.1f%%** (goal ≥ 90%%) |\n",
                own->samples, own->keys, 100.0 * sm2_share, own->mean_bytes, own->verify_per_s,
                100.0 * own->verify_per_s / openssl_verify, cores, own_limit,
                100.0 * full_rate / own_limit);
  body << line;
  std::snprintf(line, sizeof(line),
                "| random dependent load: 4 MiB table / %zu MiB in 4 KiB pages / %zu MiB in huge "
                "pages | %.0f ns / %.0f ns / %.0f ns |\n",
                kTableMiB, kTableMiB, load_ns_small, load_ns_plain, load_ns_huge);
  body << line;
  std::snprintf(line, sizeof(line),
                "| after the record pass: index + entity-state check / the projections' last "
                "comparisons (their fold runs within the pass), side by side | %.1f s / %.1f s "
                "|\n",
                static_cast<double>(full->report.durations.indexes_ms) / 1000.0,
                static_cast<double>(full->report.durations.derived_ms) / 1000.0);
  body << line;
  std::snprintf(line, sizeof(line),
                "| openssl speed -evp %s (the log's hash, 1024-byte blocks), one core | %.0f MB/s "
                "≈ %.0f records/s × %u cores at %.0f bytes |\n",
                digest.c_str(), sha_bytes / 1e6, sha_bytes / leaf_bytes, cores, leaf_bytes);
  body << line;
  std::snprintf(line, sizeof(line),
                "| hash-only verification (records, leaf hashes, Merkle nodes, checkpoints), "
                "median of %d | **%.0f events/s** (%.2f s) = %.0f%% of the hash × cores "
                "(runs: %s events/s) |\n",
                kHashOnlyRuns, hash_rate, hash_only->seconds, 100.0 * hash_rate / sha_records,
                hash_rates.c_str());
  body << line;
  body << "\nResult: " << (full->report.clean() ? "clean" : "TAMPERED") << ", "
       << full->report.counts.signatures << " signatures, " << full->report.counts.checkpoints
       << " checkpoints, " << full->report.counts.index_entries << " index entries, "
       << full->report.counts.derived_states << " projection states compared.\n";
  std::snprintf(line, sizeof(line),
                "Goals: full verification >= 90%% of the ledger's own signatures verified by "
                "OpenSSL on every core (the own-signatures row: %.1f%% in this run); hash-only >= "
                "1,000,000 events/s. `openssl speed` (one key, a 20-byte message) stays the "
                "physical limit beside it.\n",
                100.0 * full_rate / own_limit);
  body << line;
  std::cout << body.str();
  if (!docs.empty() && !WriteSection(docs, "Verification", body.str())) {
    std::cerr << "bench_verify: cannot write " << docs << '\n';
    return 2;
  }
  return full->report.clean() ? 0 : 1;
}

}  // namespace
}  // namespace fupin::bench

int main(int argc, char** argv) { return fupin::bench::Main(argc, argv); }
