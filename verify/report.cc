// The verification report: its JSON form, and where the last one is kept
// (the meta column family, or a file next to a database a server holds).
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/codec.h"
#include "ledger/file_io.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "verify/verify.h"

namespace fupin::verify {
namespace {

namespace fs = std::filesystem;

inline constexpr std::string_view kKindNames[] = {
    "record_missing",
    "log_truncated",
    "record_undecodable",
    "record_seq_mismatch",
    "leaf_hash",
    "leaf_data",
    "merkle_node",
    "checkpoint_malformed",
    "checkpoint_signature",
    "checkpoint_root",
    "checkpoint_consistency",
    "checkpoint_missing",
    "event_signature",
    "event_key",
    "event_invalid",
    "stream_chain",
    "stream_index",
    "event_id_index",
    "reference_index",
    "entity_state",
    "projection_state",
    "checkpoint_note",
    "cosignature",
    "witness_quorum",
};
static_assert(std::size(kKindNames) == static_cast<std::size_t>(FailureKind::kWitnessQuorum) + 1);

std::optional<FailureKind> ParseKind(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kKindNames); ++i) {
    if (kKindNames[i] == name) return static_cast<FailureKind>(i);
  }
  return std::nullopt;
}

std::optional<VerifyMode> ParseMode(std::string_view name) {
  for (VerifyMode mode : {VerifyMode::kFull, VerifyMode::kSinceLast, VerifyMode::kHashOnly}) {
    if (VerifyModeName(mode) == name) return mode;
  }
  return std::nullopt;
}

boost::json::object FailureJson(const IntegrityFailure& failure) {
  boost::json::object out;
  out["seq"] = failure.seq ? boost::json::value(static_cast<int64_t>(*failure.seq))
                           : boost::json::value(nullptr);
  out["kind"] = FailureKindName(failure.kind);
  out["detail"] = failure.detail;
  return out;
}

boost::json::value CheckpointJsonOf(const std::optional<VerifiedCheckpoint>& checkpoint) {
  if (!checkpoint) return nullptr;
  return boost::json::object{{"tree_size", static_cast<int64_t>(checkpoint->tree_size)},
                             {"root_hash", HexEncode(checkpoint->root_hash)}};
}

// Strict field access on a parsed report; any mismatch makes it malformed.
struct Reader {
  const boost::json::object& object;
  bool ok = true;

  int64_t Int(std::string_view name) {
    const boost::json::value* v = object.if_contains(name);
    if (v == nullptr || !v->is_int64()) {
      ok = false;
      return 0;
    }
    return v->get_int64();
  }
  std::string Str(std::string_view name) {
    const boost::json::value* v = object.if_contains(name);
    if (v == nullptr || !v->is_string()) {
      ok = false;
      return {};
    }
    return std::string(v->get_string());
  }
  std::optional<VerifiedCheckpoint> Checkpoint(std::string_view name) {
    const boost::json::value* v = object.if_contains(name);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_object()) {
      ok = false;
      return std::nullopt;
    }
    Reader inner{v->get_object()};
    VerifiedCheckpoint checkpoint;
    checkpoint.tree_size = static_cast<uint64_t>(inner.Int("tree_size"));
    Result<merkle::Hash> root = HexDecodeFixed<merkle::kHashSize>(inner.Str("root_hash"));
    if (!inner.ok || !root.ok()) {
      ok = false;
      return std::nullopt;
    }
    checkpoint.root_hash = *root;
    return checkpoint;
  }
};

}  // namespace

std::string_view FailureKindName(FailureKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::string_view VerifyModeName(VerifyMode mode) {
  switch (mode) {
    case VerifyMode::kFull:
      return "full";
    case VerifyMode::kSinceLast:
      return "since_last";
    case VerifyMode::kHashOnly:
      return "hash_only";
  }
  return "full";
}

void FailureSink::Add(FailureKind kind, std::optional<uint64_t> seq, std::string detail) {
  ++total_;
  kept_.push_back({kind, seq, std::move(detail)});
  // Keep the `limit_` smallest: sort and cut once the buffer doubles.
  if (kept_.size() >= 2 * limit_ + 16) kept_ = Sorted();
}

std::vector<IntegrityFailure> FailureSink::Sorted() const {
  std::vector<IntegrityFailure> sorted = kept_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const IntegrityFailure& a, const IntegrityFailure& b) {
                     const uint64_t none = UINT64_MAX;
                     uint64_t sa = a.seq.value_or(none);
                     uint64_t sb = b.seq.value_or(none);
                     if (sa != sb) return sa < sb;
                     return a.kind < b.kind;
                   });
  if (sorted.size() > limit_) sorted.resize(limit_);
  return sorted;
}

boost::json::object ReportJson(const VerifyReport& report, bool for_storage) {
  boost::json::object out;
  out["status"] = report.clean() ? "clean" : "tampered";
  out["mode"] = VerifyModeName(report.mode);
  out["started_at"] = FormatUtcMillis(report.started_at_ms);
  out["finished_at"] = FormatUtcMillis(report.finished_at_ms);
  out["started_at_ms"] = report.started_at_ms;
  out["finished_at_ms"] = report.finished_at_ms;
  out["verified_tree_size"] = static_cast<int64_t>(report.tree_size);
  out["checkpoint"] = CheckpointJsonOf(report.checkpoint);
  out["since"] = CheckpointJsonOf(report.since);
  if (!report.note.empty()) out["note"] = report.note;
  out["first_failure"] = report.failures.empty()
                             ? boost::json::value(nullptr)
                             : boost::json::value(FailureJson(report.failures[0]));
  boost::json::array failures;
  for (const IntegrityFailure& failure : report.failures) failures.push_back(FailureJson(failure));
  out["failures"] = std::move(failures);
  out["failures_total"] = static_cast<int64_t>(report.failures_total);
  const VerifyCounts& c = report.counts;
  out["counts"] = boost::json::object{{"records", static_cast<int64_t>(c.records)},
                                      {"signatures", static_cast<int64_t>(c.signatures)},
                                      {"checkpoints", static_cast<int64_t>(c.checkpoints)},
                                      {"merkle_nodes", static_cast<int64_t>(c.merkle_nodes)},
                                      {"index_entries", static_cast<int64_t>(c.index_entries)},
                                      {"entity_states", static_cast<int64_t>(c.entity_states)},
                                      {"derived_states", static_cast<int64_t>(c.derived_states)},
                                      {"notes", static_cast<int64_t>(c.notes)}};
  if (report.witnessed) {
    boost::json::array cosigners;
    for (const WitnessCosignature& w : report.witnessed->cosigners) {
      cosigners.push_back({{"name", w.name},
                           {"timestamp", static_cast<int64_t>(w.timestamp)},
                           {"time", FormatUtcSeconds(static_cast<int64_t>(w.timestamp))}});
    }
    out["witnessed"] = {{"tree_size", static_cast<int64_t>(report.witnessed->tree_size)},
                        {"witness_quorum", static_cast<int64_t>(report.witnessed->quorum)},
                        {"cosigners", std::move(cosigners)}};
  }
  const VerifyDurations& d = report.durations;
  out["durations_ms"] = boost::json::object{{"total", d.total_ms},
                                            {"records", d.records_ms},
                                            {"indexes", d.indexes_ms},
                                            {"derived", d.derived_ms}};
  if (for_storage) {
    boost::json::array sizes;
    for (uint64_t size : report.checkpoint_sizes) sizes.push_back(static_cast<int64_t>(size));
    out["checkpoint_sizes"] = std::move(sizes);
  }
  return out;
}

Result<VerifyReport> ParseReport(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_object()) {
    return Status(ErrorCode::kDataLoss, "stored verification result is not a JSON object");
  }
  Reader r{parsed.get_object()};
  VerifyReport report;
  std::string status = r.Str("status");
  std::optional<VerifyMode> mode = ParseMode(r.Str("mode"));
  report.started_at_ms = r.Int("started_at_ms");
  report.finished_at_ms = r.Int("finished_at_ms");
  report.tree_size = static_cast<uint64_t>(r.Int("verified_tree_size"));
  report.checkpoint = r.Checkpoint("checkpoint");
  report.since = r.Checkpoint("since");
  report.failures_total = static_cast<uint64_t>(r.Int("failures_total"));
  if (const boost::json::value* note = r.object.if_contains("note"); note && note->is_string()) {
    report.note = std::string(note->get_string());
  }
  const boost::json::value* failures = r.object.if_contains("failures");
  if (failures != nullptr && failures->is_array()) {
    for (const boost::json::value& item : failures->get_array()) {
      if (!item.is_object()) {
        r.ok = false;
        break;
      }
      Reader f{item.get_object()};
      IntegrityFailure failure;
      std::optional<FailureKind> kind = ParseKind(f.Str("kind"));
      failure.detail = f.Str("detail");
      const boost::json::value* seq = item.get_object().if_contains("seq");
      if (seq != nullptr && seq->is_int64()) failure.seq = static_cast<uint64_t>(seq->get_int64());
      if (!kind || !f.ok) {
        r.ok = false;
        break;
      }
      failure.kind = *kind;
      report.failures.push_back(std::move(failure));
    }
  }
  const boost::json::value* counts = r.object.if_contains("counts");
  if (counts != nullptr && counts->is_object()) {
    Reader c{counts->get_object()};
    report.counts.records = static_cast<uint64_t>(c.Int("records"));
    report.counts.signatures = static_cast<uint64_t>(c.Int("signatures"));
    report.counts.checkpoints = static_cast<uint64_t>(c.Int("checkpoints"));
    report.counts.merkle_nodes = static_cast<uint64_t>(c.Int("merkle_nodes"));
    report.counts.index_entries = static_cast<uint64_t>(c.Int("index_entries"));
    report.counts.entity_states = static_cast<uint64_t>(c.Int("entity_states"));
    report.counts.derived_states = static_cast<uint64_t>(c.Int("derived_states"));
    if (const boost::json::value* notes = counts->get_object().if_contains("notes");
        notes != nullptr && notes->is_int64()) {
      report.counts.notes = static_cast<uint64_t>(notes->get_int64());
    }
    r.ok = r.ok && c.ok;
  }
  const boost::json::value* durations = r.object.if_contains("durations_ms");
  if (durations != nullptr && durations->is_object()) {
    Reader d{durations->get_object()};
    report.durations.total_ms = d.Int("total");
    report.durations.records_ms = d.Int("records");
    report.durations.indexes_ms = d.Int("indexes");
    report.durations.derived_ms = d.Int("derived");
    r.ok = r.ok && d.ok;
  }
  if (const boost::json::value* sizes = r.object.if_contains("checkpoint_sizes");
      sizes != nullptr && sizes->is_array()) {
    for (const boost::json::value& size : sizes->get_array()) {
      if (!size.is_int64()) {
        r.ok = false;
        break;
      }
      report.checkpoint_sizes.push_back(static_cast<uint64_t>(size.get_int64()));
    }
  }
  if (!r.ok || !mode || (status != "clean" && status != "tampered") ||
      (status == "clean") != (report.failures_total == 0)) {
    return Status(ErrorCode::kDataLoss, "stored verification result is malformed");
  }
  report.mode = *mode;
  return report;
}

Result<SavedTo> SaveLastVerification(const std::string& data_dir, const VerifyReport& report) {
  const std::string text = boost::json::serialize(ReportJson(report, /*for_storage=*/true));
  const fs::path db_path = fs::path(data_dir) / store_format::kDbDir;
  Result<std::unique_ptr<StoreDb>> db = StoreDb::Open(db_path.string(), DbMode::kReadWrite);
  if (db.ok()) {
    FUPIN_RETURN_IF_ERROR(
        (*db)->Write({{Cf::kMeta, std::string(kVerifyMetaKey), text}}, /*sync=*/true));
    // A file left by a run beside a server is older than this result now;
    // remove it so readers need not compare.
    std::error_code ec;
    fs::remove(fs::path(data_dir) / kVerifyResultFile, ec);
    return SavedTo::kMeta;
  }
  if (db.status().code() != ErrorCode::kIoError) return db.status();
  // Locked by a running server: the file next to the database.
  FUPIN_RETURN_IF_ERROR(WriteFileDurably((fs::path(data_dir) / kVerifyResultFile).string(), text));
  return SavedTo::kFile;
}

Result<std::optional<VerifyReport>> LoadLastVerification(const StoreDb& store,
                                                         const std::string& data_dir) {
  std::optional<VerifyReport> latest;
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> stored, store.Get(Cf::kMeta, kVerifyMetaKey));
  if (stored.has_value()) {
    Result<VerifyReport> report = ParseReport(*stored);
    if (!report.ok()) return report.status().WithContext("meta " + std::string(kVerifyMetaKey));
    latest = std::move(report).value();
  }
  const fs::path file = fs::path(data_dir) / kVerifyResultFile;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    FUPIN_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(file.string()));
    Result<VerifyReport> report = ParseReport(text);
    if (!report.ok()) return report.status().WithContext(file.string());
    if (!latest || report->finished_at_ms >= latest->finished_at_ms) {
      latest = std::move(report).value();
    }
  }
  return latest;
}

}  // namespace fupin::verify
