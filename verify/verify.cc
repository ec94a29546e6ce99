// VerifyStore: the checkpoints, one ordered pass over the records, then
// the index, entity-state and derived-state comparisons (verifier.h).
#include "verify/verify.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <new>
#include <thread>

#include "ledger/random.h"
#include "ledger/store_format.h"
#include "verify/verifier.h"

namespace fupin::verify {
namespace {

namespace sf = store_format;
namespace fs = std::filesystem;

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<VerifyReport> Verifier::Run() {
  const auto clock = options_.clock ? options_.clock : WallClockMs;
  const auto started = std::chrono::steady_clock::now();
  report_.started_at_ms = clock();
  mode_ = options_.mode;
  if (mode_ == VerifyMode::kSinceLast) {
    if (previous_ && previous_->clean() && previous_->checkpoint &&
        previous_->mode != VerifyMode::kHashOnly) {
      anchor_ = previous_->checkpoint;
      report_.since = anchor_;
    } else {
      mode_ = VerifyMode::kFull;
      report_.note = "no earlier clean verification to start from: ran a full verification";
    }
  }
  report_.mode = mode_;
  FUPIN_ASSIGN_OR_RETURN(std::string secret, RandomBytes(index_key_.size()));
  std::memcpy(index_key_.data(), secret.data(), index_key_.size());
  try {
    // Said here, before any worker depends on it, if OpenSSL cannot
    // provide SipHash (e.g. a FIPS-only configuration).
    crypto::SipHasher probe(index_key_);
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kInternal, "OpenSSL provides no SipHash for the index digests");
  }
  threads_ =
      options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  pool_ = std::make_unique<WorkerPool>(threads_);
  FUPIN_RETURN_IF_ERROR(LoadIdentity());
  FUPIN_RETURN_IF_ERROR(LoadCheckpoints());
  FUPIN_RETURN_IF_ERROR(CheckNotes());
  CompareWithPrevious();

  if (!Hashing()) FUPIN_RETURN_IF_ERROR(BeginDerived());
  FUPIN_RETURN_IF_ERROR(RecordPass());
  CheckConsistency();
  report_.durations.records_ms = MsSince(started);

  if (!Hashing()) FUPIN_RETURN_IF_ERROR(CheckDerived());

  report_.tree_size = verified_;
  for (auto it = checkpoints_.rbegin(); it != checkpoints_.rend(); ++it) {
    if (it->size <= verified_) {
      report_.checkpoint = VerifiedCheckpoint{it->size, it->root};
      break;
    }
  }
  report_.failures = sink_.Sorted();
  report_.failures_total = sink_.total();
  report_.durations.total_ms = MsSince(started);
  report_.finished_at_ms = std::max(clock(), report_.started_at_ms);
  return std::move(report_);
}

Result<VerifyReport> VerifyStore(const StoreDb& store, const VerifyOptions& options,
                                 const std::optional<VerifyReport>& previous) {
  Verifier verifier(store, options, previous);
  return verifier.Run();
}

Result<VerifyReport> VerifyDataDir(const std::string& data_dir, const VerifyOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) {
    return Status(ErrorCode::kNotFound, "no data directory at " + data_dir);
  }
  const std::string db_path = (fs::path(data_dir) / sf::kDbDir).string();
  // One pass over everything: no block cache (StoreOpenOptions).
  FUPIN_ASSIGN_OR_RETURN(
      std::unique_ptr<StoreDb> store,
      StoreDb::Open(db_path, DbMode::kReadOnly, StoreOpenOptions{.block_cache = false}));
  FUPIN_ASSIGN_OR_RETURN(std::optional<VerifyReport> previous,
                         LoadLastVerification(*store, data_dir));
  return VerifyStore(*store, options, previous);
}

}  // namespace fupin::verify
