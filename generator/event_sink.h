// Writes generated events as signed JSON lines, signing on worker threads.
//
// The generator's thread builds unsigned events and hands them over with
// Emit, which assigns the event id (derived from the seed and the event's
// ordinal) and returns at once; worker threads canonicalize and sign
// chunks of events in parallel; one writer thread writes the chunks in the
// order they were emitted. The output therefore depends only on the
// emitted events, never on the number of threads or their timing. Memory
// is bounded: Emit blocks while kMaxChunksPerThread chunks per worker wait.
#pragma once

#include <boost/json/object.hpp>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "generator/timeline.h"
#include "generator/world.h"
#include "ledger/status.h"

namespace fupin::generator {

// Events per unit of work handed to a signing thread.
inline constexpr std::size_t kChunkEvents = 512;
// Chunks in flight per signing thread before Emit waits.
inline constexpr std::size_t kMaxChunksPerThread = 4;

class EventSink {
 public:
  // `out` must stay open until Finish returns; `threads` >= 1 signers.
  EventSink(uint64_t seed, std::FILE* out, int threads);
  ~EventSink();
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;

  // Queues {"id","type","v":1,"occurred_at","key","body"} for signing with
  // `key` (which must outlive the sink) and returns the event's id.
  // Generator thread only.
  std::string Emit(std::string_view type, BizTime occurred_at, const KeyEntry& key,
                   boost::json::object body);
  // Events emitted so far; the next event's 0-based line in the output.
  uint64_t emitted() const { return emitted_; }

  // Flushes, waits for every event to be written and stops the threads.
  // The first failure: a signing error (kInternal) or a write error
  // (kIoError). Call once.
  Status Finish();

 private:
  struct Pending {
    boost::json::object event;
    const crypto::EventSigningKey* key;
  };
  struct Chunk {
    std::vector<Pending> events;
    std::string text;  // the signed lines
    enum class State { kQueued, kSigning, kDone } state = State::kQueued;
  };

  void Submit();
  void SignLoop();
  void WriteLoop();
  void Fail(Status status);

  const uint64_t seed_;
  std::FILE* const out_;
  const std::size_t max_chunks_;
  uint64_t emitted_ = 0;
  std::unique_ptr<Chunk> current_;

  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable chunk_done_;
  std::condition_variable space_free_;
  std::deque<std::unique_ptr<Chunk>> queue_;  // oldest first
  bool closing_ = false;
  Status failure_;
  std::vector<std::thread> signers_;
  std::thread writer_;
  bool finished_ = false;
};

}  // namespace fupin::generator
