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
  kProjections,  // projection states and snapshots (ledger/projections/)
  kAccessLog,    // the server's log of authenticated reads (api/access_log.h)
};
inline constexpr std::size_t kCfCount = 10;

struct DbPut {
  Cf cf;
  std::string key;
  std::string value;
};

enum class DbMode : uint8_t {
  kReadWrite,  // the server and tools that write
  kCreate,     // genesis: create the database (must not exist)
  kReadOnly,   // a static view, refused while another process writes
};

class StoreDb {
 public:
  // Errors: kNotFound (no database at path, modes other than kCreate),
  // kAlreadyExists (kCreate over an existing one), kIoError (locked, I/O).
  // A store written by an earlier version lacks the column families added
  // since: kReadWrite creates them (empty); kReadOnly, which cannot, reads
  // them as empty (Get finds nothing, Scan and Last visit nothing).
  static Result<std::unique_ptr<StoreDb>> Open(const std::string& path, DbMode mode);
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
  // The greatest entry whose key starts with `prefix`, if any.
  Result<std::optional<std::pair<std::string, std::string>>> Last(Cf cf,
                                                                  std::string_view prefix) const;

  // Flushes memtables and compacts every column family (tests, tools).
  Status CompactAll();

 private:
  struct Impl;
  explicit StoreDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fupin
