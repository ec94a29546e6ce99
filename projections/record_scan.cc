#include "projections/record_scan.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/record.h"
#include "ledger/store_format.h"

namespace fupin::projections {
namespace {

namespace sf = store_format;

// Reads and decodes records [from, to) into `out` (resized to fit).
Status DecodeChunk(const StoreDb& store, uint64_t from, uint64_t to, RecordDecoder& decoder,
                   std::vector<DecodedRecord>& out) {
  out.resize(to - from);
  uint64_t next = from;
  Status failed = Status::Ok();
  Status scanned = store.Scan(
      Cf::kRecords, "", sf::Uint64Key(from), [&](std::string_view key, std::string_view value) {
        std::optional<uint64_t> seq = sf::ParseUint64Key(key);
        if (!seq || *seq != next) {
          failed = Status(ErrorCode::kDataLoss, "record " + std::to_string(next) + " is missing");
          return false;
        }
        // In place: a rebuild reads every record of the log.
        Result<StoredRecordView> view = ViewStoredRecord(value);
        if (!view.ok()) {
          failed = view.status().WithContext("record " + std::to_string(next));
          return false;
        }
        DecodedRecord& record = out[next - from];
        failed = decoder.Decode(view->leaf_data, record);
        record.leaf_hash = view->leaf_hash;
        if (failed.ok() && (record.seq != next || view->seq != next)) {
          failed = Status(ErrorCode::kDataLoss, "record stored at seq " + std::to_string(next) +
                                                    " claims seq " + std::to_string(record.seq));
        }
        ++next;
        return failed.ok() && next < to;
      });
  FUPIN_RETURN_IF_ERROR(scanned);
  FUPIN_RETURN_IF_ERROR(failed);
  if (next != to) {
    return Status(ErrorCode::kDataLoss, "record " + std::to_string(next) + " is missing");
  }
  return Status::Ok();
}

// Chunks in flight between the decoding threads and the fold.
class ChunkPipeline {
 public:
  ChunkPipeline(const StoreDb& store, uint64_t from, uint64_t to, const ScanOptions& options,
                std::size_t threads)
      : store_(store),
        from_(from),
        to_(to),
        chunk_(options.chunk_records),
        chunks_((to - from + chunk_ - 1) / chunk_),
        threads_(threads),
        window_(threads * std::max<std::size_t>(1, options.chunks_ahead_per_thread)),
        slots_(window_) {}

  Status Run(const DecodedBatchSink& sink) {
    std::vector<std::thread> workers;
    workers.reserve(threads_);
    for (std::size_t w = 0; w < threads_; ++w) workers.emplace_back([this, w] { Work(w); });
    Status result = Consume(sink);
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (std::thread& t : workers) t.join();
    return result;
  }

 private:
  struct Slot {
    std::vector<DecodedRecord> records;
    Status status;
    bool ready = false;
  };

  void Work(std::size_t worker) {
    RecordDecoder decoder;
    for (uint64_t k = worker; k < chunks_; k += threads_) {
      Slot& slot = slots_[k % window_];
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stop_ || k < consumed_ + window_; });
        if (stop_) return;
      }
      // The slot is ours until we mark it ready: the fold only reads chunk
      // `consumed_`, and chunk k - window_ has been consumed.
      uint64_t begin = from_ + k * chunk_;
      uint64_t end = std::min<uint64_t>(to_, begin + chunk_);
      Status status = DecodeChunk(store_, begin, end, decoder, slot.records);
      {
        std::lock_guard lock(mutex_);
        slot.status = std::move(status);
        slot.ready = true;
      }
      changed_.notify_all();
    }
  }

  Status Consume(const DecodedBatchSink& sink) {
    for (uint64_t k = 0; k < chunks_; ++k) {
      Slot& slot = slots_[k % window_];
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return slot.ready; });
      }
      FUPIN_RETURN_IF_ERROR(slot.status);
      FUPIN_RETURN_IF_ERROR(sink(slot.records));
      {
        std::lock_guard lock(mutex_);
        slot.ready = false;
        consumed_ = k + 1;
      }
      changed_.notify_all();
    }
    return Status::Ok();
  }

  const StoreDb& store_;
  const uint64_t from_;
  const uint64_t to_;
  const uint64_t chunk_;
  const uint64_t chunks_;
  const std::size_t threads_;
  const std::size_t window_;
  std::vector<Slot> slots_;

  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t consumed_ = 0;  // chunks handed to the sink
  bool stop_ = false;
};

}  // namespace

Status ScanDecoded(const StoreDb& store, uint64_t from, uint64_t to, const ScanOptions& options,
                   const DecodedBatchSink& sink) {
  if (from >= to) return Status::Ok();
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk_records);
  std::size_t threads = options.decode_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (to - from <= chunk) {
    RecordDecoder decoder;
    std::vector<DecodedRecord> records;
    FUPIN_RETURN_IF_ERROR(DecodeChunk(store, from, to, decoder, records));
    return sink(records);
  }
  ScanOptions normalized = options;
  normalized.chunk_records = chunk;
  ChunkPipeline pipeline(store, from, to, normalized, threads);
  return pipeline.Run(sink);
}

}  // namespace fupin::projections
