// The RocksDB room: the only code that includes RocksDB headers. Offers the
// few operations the ledger needs over the column families of
// store_format.h, with errors as values.
//
// Thread-safety: Get/Scan/Last may run concurrently with each other and with
// one Write. Writes are serialized by the caller (the ledger's writer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/status.h"

namespace fupin {

enum class Cf : uint8_t {
  kRecords = 0,
  kStreams,
  kReferences,
  kEventIds,
  kMerkle,
  kCheckpoints,
  kState,
  kMeta,
  kProjections,  // projection states and snapshots (projections/)
  kAccessLog,    // the server's log of authenticated reads (api/access_log.h)
  kNotes,        // checkpoints as signed notes with their cosignatures
};
inline constexpr std::size_t kCfCount = 11;

struct DbPut {
  Cf cf;
  std::string key;
  std::string value;
};

enum class DbMode : uint8_t {
  kReadWrite,  // the server and tools that write
  kCreate,     // genesis: create the database (must not exist)
  kReadOnly,   // a static view as of the open; takes no lock, so it
               // works beside a running server
};

// How a store is opened beyond its mode.
inline constexpr std::size_t kDefaultStoreMemoryBytes = std::size_t{256} << 20;

struct StoreOpenOptions {
  // False for a store read through once, front to back (verification):
  // every block is read once, so looking each up in a block cache and
  // releasing it again is pure cost (6% of a hash-only verification).
  // Point reads then read their block from the file each time.
  bool block_cache = true;
  // RocksDB's memory, all of it within this budget: one LRU cache holds
  // the data blocks, every table's index and filter blocks (high priority,
  // level 0's pinned) and, through a WriteBufferManager, the memtables of
  // every column family (at most half the budget; the largest is flushed
  // when they reach it). Without a budget RocksDB's defaults allow 64 MiB
  // of memtable per column family and keep index and filter blocks outside
  // any cache, growing with the store.
  std::size_t memory_bytes = kDefaultStoreMemoryBytes;
};

// A cursor over one column family, for merging several ordered scans in
// lockstep verification, or walking back from a key. Not thread-safe; one
// per thread. It pins the database's state as of its creation.
class StoreCursor {
 public:
  virtual ~StoreCursor() = default;
  virtual void Seek(std::string_view key) = 0;
  // The last entry whose key is <= `key`.
  virtual void SeekForPrev(std::string_view key) = 0;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  // Valid() only; the views stay good until the next Seek/Next/Prev.
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  // kDataLoss (corruption) or kIoError once the cursor stopped on an error.
  virtual Status status() const = 0;
};

// One backup kept by a backup directory (RocksDB BackupEngine).
struct BackupInfo {
  uint32_t id = 0;
  int64_t timestamp = 0;  // Unix seconds
  uint64_t size_bytes = 0;
  uint32_t files = 0;
};

class StoreDb {
 public:
  // Errors: kNotFound (no database at path, modes other than kCreate),
  // kAlreadyExists (kCreate over an existing one), kIoError (locked, I/O).
  // A store written by an earlier version lacks the column families added
  // since: kReadWrite creates them (empty); kReadOnly, which cannot, reads
  // them as empty (Get finds nothing, Scan and Last visit nothing).
  static Result<std::unique_ptr<StoreDb>> Open(const std::string& path, DbMode mode,
                                               const StoreOpenOptions& options = {});
  ~StoreDb();
  StoreDb(const StoreDb&) = delete;
  StoreDb& operator=(const StoreDb&) = delete;

  Result<std::optional<std::string>> Get(Cf cf, std::string_view key) const;

  // Applies all puts atomically; with sync the WAL is fsynced before return.
  Status Write(const std::vector<DbPut>& puts, bool sync);
  // Deletes keys (tests and repair tools only; the ledger never deletes).
  Status Delete(Cf cf, std::string_view key);

  // Visits entries whose key starts with `prefix`, from the first key
  // >= `start` (which must start with prefix), in key order, until `visit`
  // returns false.
  using Visitor = std::function<bool(std::string_view key, std::string_view value)>;
  Status Scan(Cf cf, std::string_view prefix, std::string_view start, const Visitor& visit) const;
  // A stored entry: key, value.
  using Entry = std::pair<std::string, std::string>;
  // The greatest entry whose key starts with `prefix`, if any.
  Result<std::optional<Entry>> Last(Cf cf, std::string_view prefix) const;

  // Flushes memtables and compacts every column family (tests, tools).
  Status CompactAll();

  std::unique_ptr<StoreCursor> NewCursor(Cf cf) const;
  // A cursor for reading a long run of keys once (verification's pass over
  // the log): the blocks it reads are not kept in the block cache, where
  // they would only evict what point reads use. Checksums are verified as
  // for any read. A column family missing from a read-only open reads as
  // empty.
  std::unique_ptr<StoreCursor> NewScanCursor(Cf cf) const;

  // Adds a backup of this database to `backup_dir` (created if missing)
  // with RocksDB's BackupEngine: table files already in the directory are
  // shared, so a backup copies only what changed since the last one.
  // Memtables are flushed first unless the database is read-only (then the
  // WAL is backed up instead). Errors: kIoError.
  Result<BackupInfo> BackupTo(const std::string& backup_dir);

  // A point-in-time copy of a database another process has open for
  // writing (the server holds its lock): immutable table files are
  // hard-linked (copied across file systems), the MANIFEST, CURRENT,
  // OPTIONS and WAL files copied; the copy is then opened read-write once,
  // which recovers it to a consistent state (a WAL record torn by the
  // copy is dropped, as after a crash). Retried when the server deletes
  // or rotates a file while it is being copied. `staging` must not exist.
  // Errors: kNotFound, kIoError.
  static Status StageLiveCopy(const std::string& db_path, const std::string& staging);

  // Restores the latest backup of `backup_dir` into `db_path` (which must
  // not hold a database). Errors: kNotFound (no backup), kAlreadyExists,
  // kDataLoss (a backed-up file fails its checksum), kIoError.
  static Result<BackupInfo> RestoreLatest(const std::string& backup_dir,
                                          const std::string& db_path);

 private:
  struct Impl;
  explicit StoreDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fupin
