#include "ledger/store_db.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/store_format.h"

namespace fupin {
namespace {

// The least budget StoreOpenOptions::memory_bytes may give: room for the
// memtables of a few column families and the hot index blocks.
inline constexpr std::size_t kMinStoreMemoryBytes = std::size_t{32} << 20;
// Bloom filter bits per key for point lookups (event ids, entity state):
// ~1% false positives, the usual RocksDB recommendation.
inline constexpr double kBloomBitsPerKey = 10.0;

constexpr std::array<std::string_view, kCfCount> kCfNames = {
    store_format::kCfRecords,   store_format::kCfStreams, store_format::kCfReferences,
    store_format::kCfEventIds,  store_format::kCfMerkle,  store_format::kCfCheckpoints,
    store_format::kCfState,     store_format::kCfMeta,    store_format::kCfProjections,
    store_format::kCfAccessLog, store_format::kCfNotes,
};

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  ErrorCode code = s.IsCorruption() ? ErrorCode::kDataLoss : ErrorCode::kIoError;
  return Status(code, std::string(what) + ": " + s.ToString());
}

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

// Only a read-only open leaves a column family unopened, and it cannot
// write anyway; say which family rather than failing inside RocksDB.
Status MissingInReadOnly(Cf cf) {
  return Status(ErrorCode::kIoError, "cannot write column family \"" +
                                         std::string(kCfNames[static_cast<std::size_t>(cf)]) +
                                         "\": the store is open read-only");
}

}  // namespace

struct StoreDb::Impl {
  DbMode mode = DbMode::kReadWrite;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // owned, freed in dtor

  rocksdb::ColumnFamilyHandle* cf(Cf which) const {
    return handles[static_cast<std::size_t>(which)];
  }

  ~Impl() {
    if (db != nullptr && mode != DbMode::kReadOnly) {
      // What is only in the write-ahead log is written to tables, so the
      // next open (a restart, and every read-only open of `verify`,
      // `stats` or `replay`) does not replay up to a memtable's worth of
      // log into memory first. Nothing is lost if this fails: the log
      // stays and is replayed.
      std::vector<rocksdb::ColumnFamilyHandle*> families;
      for (rocksdb::ColumnFamilyHandle* h : handles) {
        if (h != nullptr) families.push_back(h);
      }
      db->Flush(rocksdb::FlushOptions(), families).PermitUncheckedError();
    }
    for (rocksdb::ColumnFamilyHandle* h : handles) {
      if (db != nullptr && h != nullptr) {
        db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      }
    }
    handles.clear();
    if (db != nullptr) db->Close().PermitUncheckedError();
  }
};

StoreDb::StoreDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoreDb::~StoreDb() = default;

Result<std::unique_ptr<StoreDb>> StoreDb::Open(const std::string& path, DbMode mode,
                                               const StoreOpenOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool exists = fs::exists(fs::path(path) / "CURRENT", ec);
  if (mode == DbMode::kCreate && exists) {
    return Status(ErrorCode::kAlreadyExists, "a ledger database already exists at " + path);
  }
  if (mode != DbMode::kCreate && !exists) {
    return Status(ErrorCode::kNotFound, "no ledger database at " + path);
  }

  const std::size_t budget = std::max(options.memory_bytes, kMinStoreMemoryBytes);
  // Memtables, index and filter blocks count against the cache (see
  // StoreOpenOptions): the budget bounds RocksDB's memory, whatever the
  // size of the store.
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(
      budget, /*num_shard_bits=*/-1, /*strict_capacity_limit=*/false, /*high_pri_ratio=*/0.5);
  rocksdb::BlockBasedTableOptions table;
  if (options.block_cache) {
    table.block_cache = cache;
    table.cache_index_and_filter_blocks = true;
    table.cache_index_and_filter_blocks_with_high_priority = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
  } else {
    table.no_block_cache = true;
  }
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // One memtable never takes more than an eighth of the budget.
  cf_options.write_buffer_size = std::min(cf_options.write_buffer_size, budget / 8);

  rocksdb::DBOptions db_options;
  db_options.write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(
      budget / 2, options.block_cache ? cache : nullptr);
  db_options.create_if_missing = mode == DbMode::kCreate;
  // Column families added by a later version appear on first read-write
  // open; a read-only open of an older store reads them as empty.
  db_options.create_missing_column_families = mode != DbMode::kReadOnly;
  db_options.error_if_exists = mode == DbMode::kCreate;
  db_options.paranoid_checks = true;
  // Two cores: one background flush and one compaction at a time.
  db_options.max_background_jobs = 2;
  db_options.allow_mmap_reads = mode == DbMode::kReadOnly;

  // A read-only open cannot create column families, and RocksDB refuses
  // to open one that is missing: open those present, the rest stay null.
  std::vector<std::string> present;
  if (mode == DbMode::kReadOnly) {
    rocksdb::Status listed = rocksdb::DB::ListColumnFamilies(db_options, path, &present);
    if (!listed.ok()) return FromRocks(listed, "listing the column families of " + path);
  }
  auto wanted = [&](std::string_view name) {
    return mode != DbMode::kReadOnly ||
           std::find(present.begin(), present.end(), name) != present.end();
  };

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (std::string_view name : kCfNames) {
    if (wanted(name)) descriptors.emplace_back(std::string(name), cf_options);
  }

  auto impl = std::make_unique<Impl>();
  impl->mode = mode;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (mode == DbMode::kReadOnly) {
    s = rocksdb::DB::OpenForReadOnly(db_options, path, descriptors, &handles, &raw);
  } else {
    s = rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw);
  }
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return Status(ErrorCode::kIoError,
                    "ledger database is in use by another process: " + s.ToString());
    }
    return FromRocks(s, "opening " + path);
  }
  impl->db.reset(raw);
  // Keep only our column families; the default one is unused.
  impl->db->DestroyColumnFamilyHandle(handles[0]).PermitUncheckedError();
  impl->handles.assign(kCfCount, nullptr);
  std::size_t opened = 1;
  for (std::size_t i = 0; i < kCfCount; ++i) {
    if (wanted(kCfNames[i])) impl->handles[i] = handles[opened++];
  }
  return std::unique_ptr<StoreDb>(new StoreDb(std::move(impl)));
}

Result<std::optional<std::string>> StoreDb::Get(Cf cf, std::string_view key) const {
  if (impl_->cf(cf) == nullptr) return std::optional<std::string>();
  std::string value;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(cf), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "get");
  return std::optional<std::string>(std::move(value));
}

Status StoreDb::Write(const std::vector<DbPut>& puts, bool sync) {
  rocksdb::WriteBatch batch;
  for (const DbPut& put : puts) {
    if (impl_->cf(put.cf) == nullptr) return MissingInReadOnly(put.cf);
    rocksdb::Status s = batch.Put(impl_->cf(put.cf), ToSlice(put.key), ToSlice(put.value));
    if (!s.ok()) return FromRocks(s, "write batch");
  }
  rocksdb::WriteOptions options;
  options.sync = sync;
  return FromRocks(impl_->db->Write(options, &batch), "write");
}

Status StoreDb::Delete(Cf cf, std::string_view key) {
  if (impl_->cf(cf) == nullptr) return MissingInReadOnly(cf);
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocks(impl_->db->Delete(options, impl_->cf(cf), ToSlice(key)), "delete");
}

Status StoreDb::Scan(Cf cf, std::string_view prefix, std::string_view start,
                     const Visitor& visit) const {
  if (impl_->cf(cf) == nullptr) return Status::Ok();
  rocksdb::ReadOptions options;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(options, impl_->cf(cf)));
  for (it->Seek(ToSlice(start)); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    if (!key.starts_with(ToSlice(prefix))) break;
    if (!visit(std::string_view(key.data(), key.size()),
               std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan");
}

Result<std::optional<StoreDb::Entry>> StoreDb::Last(Cf cf, std::string_view prefix) const {
  using Found = std::optional<Entry>;
  if (impl_->cf(cf) == nullptr) return Found();
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(cf)));
  if (prefix.empty()) {
    it->SeekToLast();
  } else {
    // The greatest key with this prefix sorts before prefix + 0xff...; a
    // prefix never ends in 0xff (keys are text plus big-endian numbers
    // after a NUL separator, or single kind bytes).
    std::string upper(prefix);
    upper.append(16, '\xff');
    it->SeekForPrev(ToSlice(upper));
  }
  if (!it->Valid()) {
    if (!it->status().ok()) return FromRocks(it->status(), "last");
    return Found();
  }
  if (!it->key().starts_with(ToSlice(prefix))) return Found();
  return Found(std::make_pair(it->key().ToString(), it->value().ToString()));
}

Status StoreDb::CompactAll() {
  for (rocksdb::ColumnFamilyHandle* h : impl_->handles) {
    if (h == nullptr) continue;
    rocksdb::Status s =
        impl_->db->CompactRange(rocksdb::CompactRangeOptions(), h, nullptr, nullptr);
    if (!s.ok()) return FromRocks(s, "compact");
  }
  return Status::Ok();
}

namespace {

class RocksCursor : public StoreCursor {
 public:
  explicit RocksCursor(rocksdb::Iterator* it) : it_(it) {}
  void Seek(std::string_view key) override { it_->Seek(ToSlice(key)); }
  void SeekForPrev(std::string_view key) override { it_->SeekForPrev(ToSlice(key)); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  void Prev() override { it_->Prev(); }
  std::string_view key() const override { return {it_->key().data(), it_->key().size()}; }
  std::string_view value() const override { return {it_->value().data(), it_->value().size()}; }
  Status status() const override { return FromRocks(it_->status(), "cursor"); }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
};

class EmptyCursor : public StoreCursor {
 public:
  void Seek(std::string_view) override {}
  void SeekForPrev(std::string_view) override {}
  bool Valid() const override { return false; }
  void Next() override {}
  void Prev() override {}
  std::string_view key() const override { return {}; }
  std::string_view value() const override { return {}; }
  Status status() const override { return Status::Ok(); }
};

BackupInfo FromRocksBackup(const rocksdb::BackupInfo& info) {
  BackupInfo out;
  out.id = info.backup_id;
  out.timestamp = info.timestamp;
  out.size_bytes = info.size;
  out.files = info.number_files;
  return out;
}

// Copies or links one file of a live database; false when it vanished.
Status StageFile(const std::filesystem::path& from, const std::filesystem::path& to, bool link) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (link) {
    fs::create_hard_link(from, to, ec);
    if (!ec) return Status::Ok();
  }
  fs::copy_file(from, to, fs::copy_options::none, ec);
  if (ec == std::errc::no_such_file_or_directory) {
    return Status(ErrorCode::kNotFound, from.string() + " vanished while copying");
  }
  if (ec) return Status(ErrorCode::kIoError, "copying " + from.string() + ": " + ec.message());
  return Status::Ok();
}

Result<std::string> ReadSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One attempt of StageLiveCopy: kNotFound when the server changed the file
// set under us (the caller retries).
Status StageOnce(const std::filesystem::path& db, const std::filesystem::path& staging) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + staging.string());
  // CURRENT first, then the MANIFEST it names, then WALs, then table
  // files: every table file the copied MANIFEST lists existed when it was
  // copied, so it is either still there or was compacted away retry.
  FUPIN_ASSIGN_OR_RETURN(std::string current, ReadSmallFile(db / "CURRENT"));
  FUPIN_RETURN_IF_ERROR(StageFile(db / "CURRENT", staging / "CURRENT", false));
  std::string manifest = current;
  while (!manifest.empty() && (manifest.back() == '\n' || manifest.back() == '\r')) {
    manifest.pop_back();
  }
  FUPIN_RETURN_IF_ERROR(StageFile(db / manifest, staging / manifest, false));
  std::vector<fs::path> tables;
  for (const fs::directory_entry& entry : fs::directory_iterator(db, ec)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (ext == ".sst" || ext == ".blob") {
      tables.push_back(entry.path());
    } else if (ext == ".log" || name.rfind("OPTIONS-", 0) == 0 || name == "IDENTITY") {
      FUPIN_RETURN_IF_ERROR(StageFile(entry.path(), staging / name, false));
    }
  }
  if (ec) return Status(ErrorCode::kIoError, "listing " + db.string() + ": " + ec.message());
  for (const fs::path& table : tables) {
    FUPIN_RETURN_IF_ERROR(StageFile(table, staging / table.filename(), true));
  }
  FUPIN_ASSIGN_OR_RETURN(std::string current_after, ReadSmallFile(db / "CURRENT"));
  if (current_after != current) {
    return Status(ErrorCode::kNotFound, "the MANIFEST rolled over while copying");
  }
  // Opening read-write recovers the copy (WAL replay) and proves that
  // every file its MANIFEST names is there.
  Result<std::unique_ptr<StoreDb>> opened = StoreDb::Open(staging.string(), DbMode::kReadWrite);
  if (!opened.ok()) {
    return Status(ErrorCode::kNotFound,
                  "the copy does not open yet: " + opened.status().ToString());
  }
  return Status::Ok();
}

}  // namespace

std::unique_ptr<StoreCursor> StoreDb::NewCursor(Cf cf) const {
  return std::make_unique<RocksCursor>(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(cf)));
}

std::unique_ptr<StoreCursor> StoreDb::NewScanCursor(Cf cf) const {
  // A column family a read-only open could not find reads as empty, as in
  // Scan.
  if (impl_->cf(cf) == nullptr) return std::make_unique<EmptyCursor>();
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  return std::make_unique<RocksCursor>(impl_->db->NewIterator(options, impl_->cf(cf)));
}

Result<BackupInfo> StoreDb::BackupTo(const std::string& backup_dir) {
  if (impl_->mode == DbMode::kReadOnly) {
    return Status(ErrorCode::kInvalidArgument,
                  "a read-only database cannot be backed up (stage a live copy first)");
  }
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::BackupEngineOptions options(backup_dir);
  options.sync = true;
  rocksdb::IOStatus opened = rocksdb::BackupEngine::Open(rocksdb::Env::Default(), options, &raw);
  if (!opened.ok()) return FromRocks(opened, "opening backup directory " + backup_dir);
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = true;
  rocksdb::IOStatus created = engine->CreateNewBackup(create, impl_->db.get());
  if (!created.ok()) return FromRocks(created, "backup");
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) return Status(ErrorCode::kIoError, "backup not listed after creation");
  return FromRocksBackup(infos.back());
}

Status StoreDb::StageLiveCopy(const std::string& db_path, const std::string& staging) {
  namespace fs = std::filesystem;
  // A server rotates its MANIFEST or compacts a file away rarely; a few
  // attempts make a copy across such a moment.
  constexpr int kAttempts = 8;
  std::error_code ec;
  if (!fs::exists(fs::path(db_path) / "CURRENT", ec)) {
    return Status(ErrorCode::kNotFound, "no ledger database at " + db_path);
  }
  if (fs::exists(staging, ec)) {
    return Status(ErrorCode::kAlreadyExists, staging + " already exists");
  }
  Status last = Status::Ok();
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    last = StageOnce(db_path, staging);
    if (last.ok()) return last;
    if (last.code() != ErrorCode::kNotFound) break;
  }
  fs::remove_all(staging, ec);
  return Status(ErrorCode::kIoError, "could not copy the live database: " + last.ToString());
}

Result<BackupInfo> StoreDb::RestoreLatest(const std::string& backup_dir,
                                          const std::string& db_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(fs::path(db_path) / "CURRENT", ec)) {
    return Status(ErrorCode::kAlreadyExists, "a ledger database already exists at " + db_path);
  }
  if (!fs::is_directory(backup_dir, ec)) {
    return Status(ErrorCode::kNotFound, "no backup directory at " + backup_dir);
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  rocksdb::IOStatus opened = rocksdb::BackupEngineReadOnly::Open(
      rocksdb::Env::Default(), rocksdb::BackupEngineOptions(backup_dir), &raw);
  if (!opened.ok()) return FromRocks(opened, "opening backup directory " + backup_dir);
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) return Status(ErrorCode::kNotFound, "no backup in " + backup_dir);
  const rocksdb::BackupInfo& latest = infos.back();
  rocksdb::IOStatus verified =
      engine->VerifyBackup(latest.backup_id, /*verify_with_checksum=*/true);
  if (!verified.ok()) {
    return Status(ErrorCode::kDataLoss, "backup " + std::to_string(latest.backup_id) +
                                            " fails verification: " + verified.ToString());
  }
  rocksdb::IOStatus restored = engine->RestoreDBFromBackup(latest.backup_id, db_path, db_path);
  if (!restored.ok()) return FromRocks(restored, "restore");
  return FromRocksBackup(latest);
}

}  // namespace fupin
