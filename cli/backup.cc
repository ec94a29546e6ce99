// `backup` and `restore` (docs/operations.md, "Backup"). A backup
// directory holds `rocksdb/` (RocksDB BackupEngine: incremental, table
// files shared between backups) and `system-key.pem`, the ledger's key.
//
// backup: when no server runs, the database is opened read-write and
// backed up directly (memtables flushed first). While a server holds the
// database's lock, a point-in-time copy is staged next to it
// (StoreDb::StageLiveCopy: hard links of the immutable table files,
// copies of MANIFEST/WAL, recovered by one open) and backed up from there;
// the server is never paused.
//
// restore: refuses a non-empty target, restores the latest backup and the
// key, then runs a full verification of the restored ledger; success only
// when it is clean.
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/progress.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "verify/projection_check.h"
#include "verify/verify.h"

namespace fupin::cli {
namespace {

namespace fs = std::filesystem;
namespace sf = store_format;

inline constexpr std::string_view kBackupEngineDir = "rocksdb";

struct BackupOptions {
  std::string data;
  std::string to;
  bool json = false;
};

struct RestoreOptions {
  std::string from;
  std::string to;
  unsigned threads = 0;
  bool json = false;
};

Status CopyKey(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot copy " + from.string() + ": " + ec.message());
  fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot restrict " + to.string());
  return Status::Ok();
}

Result<uint64_t> TreeSize(const StoreDb& db) {
  FUPIN_ASSIGN_OR_RETURN(std::optional<StoreDb::Entry> last, db.Last(Cf::kRecords, ""));
  if (!last.has_value()) return uint64_t{0};
  std::optional<uint64_t> seq = sf::ParseUint64Key(last->first);
  if (!seq) return Status(ErrorCode::kDataLoss, "the last record key is malformed");
  return *seq + 1;
}

struct BackupOutcome {
  BackupInfo info;
  uint64_t tree_size = 0;
  bool staged = false;
};

Result<BackupOutcome> BackUp(const BackupOptions& options) {
  const fs::path data(options.data);
  const fs::path db_path = data / sf::kDbDir;
  const fs::path key = data / sf::kSystemKeyFile;
  std::error_code ec;
  if (!fs::exists(db_path / "CURRENT", ec)) {
    return Status(ErrorCode::kNotFound, "no ledger database at " + db_path.string());
  }
  if (!fs::exists(key, ec)) {
    return Status(ErrorCode::kNotFound, "no system key at " + key.string());
  }
  const fs::path target(options.to);
  fs::create_directories(target, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + target.string());
  const std::string engine_dir = (target / kBackupEngineDir).string();

  BackupOutcome outcome;
  Result<std::unique_ptr<StoreDb>> db = StoreDb::Open(db_path.string(), DbMode::kReadWrite);
  fs::path staging;
  if (!db.ok()) {
    if (db.status().code() != ErrorCode::kIoError) return db.status();
    // A server holds the lock: back up a point-in-time copy staged beside
    // the database (same file system, so table files are hard links).
    staging = data / ("backup-staging." + std::to_string(getpid()));
    Status staged = StoreDb::StageLiveCopy(db_path.string(), staging.string());
    if (!staged.ok()) return staged;
    outcome.staged = true;
    db = StoreDb::Open(staging.string(), DbMode::kReadWrite);
    if (!db.ok()) {
      fs::remove_all(staging, ec);
      return db.status();
    }
  }
  Result<uint64_t> size = TreeSize(**db);
  Result<BackupInfo> info = size.ok() ? (*db)->BackupTo(engine_dir) : size.status();
  db->reset();
  if (!staging.empty()) fs::remove_all(staging, ec);
  if (!info.ok()) return info.status();
  FUPIN_RETURN_IF_ERROR(CopyKey(key, target / sf::kSystemKeyFile));
  outcome.info = *info;
  outcome.tree_size = *size;
  return outcome;
}

int RunBackup(const BackupOptions& options) {
  Result<BackupOutcome> outcome = BackUp(options);
  if (!outcome.ok()) return ReportFailure("backup", outcome.status(), options.json);
  boost::json::object out{{"backup_id", outcome->info.id},
                          {"tree_size", static_cast<int64_t>(outcome->tree_size)},
                          {"size_bytes", static_cast<int64_t>(outcome->info.size_bytes)},
                          {"files", outcome->info.files},
                          {"from_live_copy", outcome->staged},
                          {"to", options.to}};
  if (options.json) {
    PrintJson(out);
  } else {
    std::cout << "backup " << outcome->info.id << ": " << outcome->tree_size << " records, "
              << outcome->info.files << " files in " << options.to << '\n';
  }
  return kExitOk;
}

// Checks that the restored key is the ledger's system key meta.
Status CheckKey(const std::string& db_path, const fs::path& key_path) {
  Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::ReadPemFile(key_path.string());
  if (!key.ok()) return key.status().WithContext(key_path.string());
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<StoreDb> db, StoreDb::Open(db_path, DbMode::kReadOnly));
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                         db->Get(Cf::kMeta, sf::kMetaSystemPublicKey));
  if (!stored.has_value() || *stored != Base64Encode(key->public_raw())) {
    return Status(ErrorCode::kDataLoss,
                  "the backed-up system key is not the ledger's system key (meta)");
  }
  return Status::Ok();
}

int RunRestore(const RestoreOptions& options) {
  const fs::path from(options.from);
  const fs::path to(options.to);
  std::error_code ec;
  if (fs::exists(to, ec) && (!fs::is_directory(to, ec) || !fs::is_empty(to, ec))) {
    return ReportFailure("restore",
                         Status(ErrorCode::kAlreadyExists,
                                options.to + " exists and is not empty; restore into a new "
                                             "directory"),
                         options.json);
  }
  if (!fs::is_directory(from / kBackupEngineDir, ec) ||
      !fs::exists(from / sf::kSystemKeyFile, ec)) {
    return ReportFailure(
        "restore",
        Status(ErrorCode::kNotFound, options.from + " is not a backup directory (rocksdb/ and "
                                                    "system-key.pem expected)"),
        options.json);
  }
  const bool created = !fs::exists(to, ec);
  fs::create_directories(to, ec);
  if (ec) {
    return ReportFailure("restore", Status(ErrorCode::kIoError, "cannot create " + options.to),
                         options.json);
  }
  auto undo = [&] {
    // Nothing half-restored is left behind.
    if (created) {
      fs::remove_all(to, ec);
    } else {
      for (const fs::directory_entry& entry : fs::directory_iterator(to, ec)) {
        fs::remove_all(entry.path(), ec);
      }
    }
  };
  const std::string db_path = (to / sf::kDbDir).string();
  Result<BackupInfo> restored = StoreDb::RestoreLatest((from / kBackupEngineDir).string(), db_path);
  Status step = restored.ok() ? CopyKey(from / sf::kSystemKeyFile, to / sf::kSystemKeyFile)
                              : restored.status();
  if (step.ok()) step = CheckKey(db_path, to / sf::kSystemKeyFile);
  if (!step.ok()) {
    undo();
    return ReportFailure("restore", step, options.json);
  }

  verify::VerifyOptions verify_options;
  verify_options.mode = verify::VerifyMode::kFull;
  verify_options.threads = options.threads;
  ProgressMeter progress("verifying the restored ledger");
  verify_options.progress = [&](uint64_t done, uint64_t total) { progress(done, total); };
  verify::ProjectionStateCheck projection_check;
  verify_options.derived.push_back(&projection_check);
  Result<verify::VerifyReport> report = verify::VerifyDataDir(options.to, verify_options);
  if (!report.ok()) return ReportFailure("restore", report.status(), options.json);
  Result<verify::SavedTo> saved = verify::SaveLastVerification(options.to, *report);
  if (!saved.ok()) {
    std::cerr << "fupin-ledger restore: verification result not stored: "
              << saved.status().ToString() << '\n';
  }
  boost::json::object out{{"restored_to", options.to},
                          {"backup_id", restored->id},
                          {"tree_size", static_cast<int64_t>(report->tree_size)},
                          {"verification", verify::ReportJson(*report, false)}};
  if (options.json) {
    PrintJson(out);
  } else if (report->clean()) {
    std::cout << "restored backup " << restored->id << " to " << options.to << ": "
              << report->tree_size << " records, verified clean\n";
  } else {
    const verify::IntegrityFailure& first = report->failures.front();
    std::cout << "restored backup " << restored->id << " to " << options.to
              << " but verification FAILED at seq "
              << (first.seq ? std::to_string(*first.seq) : std::string("-")) << " ("
              << verify::FailureKindName(first.kind) << "): " << first.detail << '\n';
  }
  return report->clean() ? kExitOk : kExitProblem;
}

}  // namespace

void AddBackupCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<BackupOptions>();
  CLI::App* cmd = app.add_subcommand(
      "backup",
      "Adds an incremental backup of a ledger (RocksDB BackupEngine) and its system key to "
      "BACKUPDIR. Safe while a server runs: it then backs up a point-in-time copy staged "
      "next to the database (DIR/backup-staging.PID, removed afterwards).");
  cmd->add_option("--data", options->data, "Data directory of the ledger")->required();
  cmd->add_option("--to", options->to, "Backup directory (created if missing)")->required();
  cmd->add_flag("--json", options->json, "Machine-readable output");
  cmd->callback([options, &context] { context.exit_code = RunBackup(*options); });
}

void AddRestoreCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<RestoreOptions>();
  CLI::App* cmd = app.add_subcommand(
      "restore",
      "Restores the latest backup of BACKUPDIR into a new data directory and runs a full "
      "verification of it; exit 0 only when it verifies clean (1 when it does not).");
  cmd->add_option("--from", options->from, "Backup directory")->required();
  cmd->add_option("--to", options->to, "New data directory (must not exist or be empty)")
      ->required();
  cmd->add_option("--threads", options->threads, "Threads for the verification")
      ->check(CLI::Range(1u, 256u));
  cmd->add_flag("--json", options->json, "Machine-readable output");
  cmd->callback([options, &context] { context.exit_code = RunRestore(*options); });
}

}  // namespace fupin::cli
