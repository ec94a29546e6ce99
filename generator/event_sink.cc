#include "generator/event_sink.h"

#include "generator/random.h"
#include "ledger/canonical_json.h"
#include "ledger/signing.h"

namespace fupin::generator {

EventSink::EventSink(uint64_t seed, std::FILE* out, int threads)
    : seed_(seed),
      out_(out),
      max_chunks_(kMaxChunksPerThread * static_cast<std::size_t>(std::max(1, threads))),
      current_(std::make_unique<Chunk>()) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    signers_.emplace_back([this] { SignLoop(); });
  }
  writer_ = std::thread([this] { WriteLoop(); });
}

EventSink::~EventSink() {
  if (!finished_) {
    Status ignored = Finish();
    (void)ignored;
  }
}

std::string EventSink::Emit(std::string_view type, BizTime occurred_at, const KeyEntry& key,
                            boost::json::object body) {
  std::string id = DeriveUuid(seed_, emitted_++);
  boost::json::object event;
  event["id"] = id;
  event["type"] = type;
  event["v"] = 1;
  event["occurred_at"] = FormatBizTime(occurred_at);
  event["key"] = key.id;
  event["body"] = std::move(body);
  current_->events.push_back({std::move(event), &key.key});
  if (current_->events.size() >= kChunkEvents) Submit();
  return id;
}

void EventSink::Submit() {
  if (current_->events.empty()) return;
  std::unique_lock lock(mu_);
  space_free_.wait(lock, [this] { return queue_.size() < max_chunks_; });
  queue_.push_back(std::move(current_));
  current_ = std::make_unique<Chunk>();
  work_ready_.notify_one();
}

void EventSink::SignLoop() {
  while (true) {
    Chunk* chunk = nullptr;
    {
      std::unique_lock lock(mu_);
      work_ready_.wait(lock, [&] {
        for (const auto& c : queue_) {
          if (c->state == Chunk::State::kQueued) return true;
        }
        return closing_;
      });
      for (const auto& c : queue_) {
        if (c->state == Chunk::State::kQueued) {
          chunk = c.get();
          chunk->state = Chunk::State::kSigning;
          break;
        }
      }
      if (chunk == nullptr) return;  // closing, nothing left to sign
    }
    for (Pending& pending : chunk->events) {
      Result<boost::json::object> signed_event = SignEvent(std::move(pending.event), *pending.key);
      if (!signed_event.ok()) {
        Fail(Status(ErrorCode::kInternal,
                    "signing a generated event: " + signed_event.status().ToString()));
        break;
      }
      json::AppendCanonical(boost::json::value(std::move(signed_event).value()), chunk->text);
      chunk->text += '\n';
    }
    chunk->events.clear();
    chunk->events.shrink_to_fit();
    std::lock_guard lock(mu_);
    chunk->state = Chunk::State::kDone;
    chunk_done_.notify_all();
  }
}

void EventSink::WriteLoop() {
  while (true) {
    std::unique_ptr<Chunk> chunk;
    {
      std::unique_lock lock(mu_);
      chunk_done_.wait(lock, [this] {
        return (!queue_.empty() && queue_.front()->state == Chunk::State::kDone) ||
               (closing_ && queue_.empty());
      });
      if (queue_.empty()) return;
      chunk = std::move(queue_.front());
      queue_.pop_front();
      space_free_.notify_all();
    }
    if (std::fwrite(chunk->text.data(), 1, chunk->text.size(), out_) != chunk->text.size()) {
      Fail(Status(ErrorCode::kIoError, "writing events.jsonl failed"));
    }
  }
}

void EventSink::Fail(Status status) {
  std::lock_guard lock(mu_);
  if (failure_.ok()) failure_ = std::move(status);
}

Status EventSink::Finish() {
  if (finished_) return failure_;
  finished_ = true;
  Submit();
  {
    std::lock_guard lock(mu_);
    closing_ = true;
    work_ready_.notify_all();
    chunk_done_.notify_all();
  }
  for (std::thread& t : signers_) t.join();
  writer_.join();
  if (std::fflush(out_) != 0 && failure_.ok()) {
    failure_ = Status(ErrorCode::kIoError, "writing events.jsonl failed");
  }
  return failure_;
}

}  // namespace fupin::generator
