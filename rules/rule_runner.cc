#include "rules/rule_runner.h"

#include <algorithm>
#include <optional>
#include <span>

#include "ledger/time.h"
#include "projections/projection_layout.h"
#include "projections/snapshot_io.h"

namespace fupin::rules {
namespace {

// The saved state's name in the projections' layout (projection_layout.h);
// no projection is called so.
constexpr std::string_view kStateName = "rules";

}  // namespace

boost::json::object FlagRaisedEvent(const RaisedFlag& flag) {
  boost::json::array evidence;
  for (int64_t seq : flag.body.evidence) evidence.emplace_back(seq);
  return {{"id", flag.event_id},
          {"type", "flag.raised"},
          {"v", 1},
          {"occurred_at", FormatUtcMillis(flag.occurred_at_ms)},
          {"body",
           {{"flag_id", flag.body.flag_id},
            {"rule", flag.body.rule},
            {"severity", FlagSeverityName(flag.body.severity)},
            {"subject", flag.body.subject},
            {"region", flag.body.region},
            {"evidence", std::move(evidence)},
            {"summary", flag.body.summary},
            {"details", flag.body.details}}}};
}

Result<std::unique_ptr<RuleRunner>> RuleRunner::Open(Ledger& ledger, const RuleConfig& config,
                                                     RuleRunnerOptions options) {
  if (options.persist_every == 0 || options.save_bytes_per_record == 0) {
    return Status(ErrorCode::kInvalidArgument, "rule runner save intervals must be positive");
  }
  auto fresh = [&config, limits = options.limits] { return RuleEngine::Create(config, limits); };
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<RuleEngine> engine, fresh());
  std::unique_ptr<RuleRunner> runner(new RuleRunner(ledger, std::move(engine), std::move(options)));
  FUPIN_RETURN_IF_ERROR(runner->Restore(fresh));
  return runner;
}

Status RuleRunner::Restore(const std::function<Result<std::unique_ptr<RuleEngine>>()>& fresh) {
  using namespace projections;
  if (!options_.persist) return Status::Ok();
  StoreDb& db = ledger_.store();
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> head_bytes,
                         db.Get(Cf::kProjections, HeadKey(kStateName)));
  if (!head_bytes.has_value()) return Status::Ok();  // never saved
  // The saved state is derived data: anything that makes it unusable
  // discards it, and folding from zero is always correct.
  auto discard = [&]() -> Status {
    discarded_state_ = true;
    FUPIN_ASSIGN_OR_RETURN(engine_, fresh());
    book_ = FlagBook();
    return Status::Ok();
  };
  Result<ProjectionHead> head = DecodeHead(*head_bytes);
  if (!head.ok() || head->projection_version != kRuleStateVersion ||
      head->position > ledger_.tree_size() || head->position == 0) {
    return discard();
  }
  FUPIN_ASSIGN_OR_RETURN(StoredRecord last, ledger_.ReadRecord(head->position - 1));
  if (last.leaf_hash != head->last_leaf_hash) return discard();  // another log
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> blob_bytes,
                         db.Get(Cf::kProjections, StateKey(kStateName)));
  if (!blob_bytes.has_value()) return discard();
  Result<StateBlob> blob = DecodeStateBlob(*blob_bytes);
  if (!blob.ok() || blob->projection_version != head->projection_version ||
      blob->position != head->position || blob->last_leaf_hash != head->last_leaf_hash) {
    return discard();
  }
  // The engine's bytes, then the book's (SaveIfDue).
  Status decoded = snapshot_io::Decode("rule runner state", blob->state, [&](auto& in) {
    FUPIN_RETURN_IF_ERROR(engine_->DecodeState(in.Str()));
    return book_.DecodeState(in.Str());
  });
  if (!decoded.ok() || engine_->position() != head->position) return discard();
  folded_ = head->position;
  position_.store(folded_);
  restored_at_ = folded_;
  saved_at_ = folded_;
  saved_bytes_ = blob->state.size();
  saved_position_.store(folded_);
  return Status::Ok();
}

Status RuleRunner::SaveIfDue(bool force) {
  using namespace projections;
  if (!options_.persist || !pending_.empty() || folded_ <= saved_at_) return Status::Ok();
  const uint64_t spacing =
      std::max<uint64_t>(options_.persist_every, saved_bytes_ / options_.save_bytes_per_record);
  if (!force && folded_ - saved_at_ < spacing) return Status::Ok();
  FUPIN_ASSIGN_OR_RETURN(StoredRecord last, ledger_.ReadRecord(folded_ - 1));
  StateBlob blob;
  blob.projection_version = kRuleStateVersion;
  blob.position = folded_;
  blob.last_leaf_hash = last.leaf_hash;
  {
    std::shared_lock lock(state_mutex_);
    snapshot_io::Writer out;
    out.Str(engine_->EncodeState());
    out.Str(book_.EncodeState());
    blob.state = out.Finish();
  }
  ProjectionHead head;
  head.projection_version = blob.projection_version;
  head.position = blob.position;
  head.last_leaf_hash = blob.last_leaf_hash;
  const std::size_t bytes = blob.state.size();
  // One batch, not synced: the WAL keeps head and state together, and a
  // save lost in a crash only means folding those records again.
  FUPIN_RETURN_IF_ERROR(
      ledger_.store().Write({{Cf::kProjections, StateKey(kStateName), EncodeStateBlob(blob)},
                             {Cf::kProjections, HeadKey(kStateName), EncodeHead(head)}},
                            /*sync=*/false));
  saved_at_ = folded_;
  saved_bytes_ = bytes;
  saved_position_.store(folded_);
  return Status::Ok();
}

RuleRunner::RuleRunner(Ledger& ledger, std::unique_ptr<RuleEngine> engine,
                       RuleRunnerOptions options)
    : ledger_(ledger), options_(std::move(options)), engine_(std::move(engine)) {}

RuleRunner::~RuleRunner() { Stop(); }

void RuleRunner::Start() {
  std::lock_guard wake(wake_mutex_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Run(); });
}

void RuleRunner::Stop() {
  stopping_.store(true);
  {
    std::lock_guard wake(wake_mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // What was folded since the last save, so a restart folds nothing.
  std::lock_guard fold(fold_mutex_);
  Status saved = SaveIfDue(/*force=*/true);
  std::lock_guard wake(wake_mutex_);
  if (!saved.ok()) last_error_ = saved.WithContext("saving the rule engine's state");
}

void RuleRunner::Notify() {
  {
    std::lock_guard wake(wake_mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

Status RuleRunner::CatchUp() {
  std::lock_guard fold(fold_mutex_);
  // The flags appended are records too; fold until they are folded (they
  // decide nothing, so this takes one more round).
  while (position_.load() < ledger_.tree_size()) {
    FUPIN_RETURN_IF_ERROR(FoldTo(ledger_.tree_size()));
  }
  return Status::Ok();
}

Status RuleRunner::Flush() {
  // The ledger takes at most 1000 events per batch. What was appended is
  // dropped from pending_ at once, so a failure keeps exactly the rest.
  constexpr std::size_t kBatch = 1000;
  if (!options_.append_flags) {
    flags_pending_.fetch_sub(pending_.size());
    pending_.clear();
    return Status::Ok();
  }
  while (!pending_.empty()) {
    const std::size_t count = std::min(pending_.size(), kBatch);
    std::vector<Envelope> batch;
    std::vector<std::size_t> batched;  // indexes into pending_
    for (std::size_t i = 0; i < count; ++i) {
      // Decided before (a restart, or another configuration when the
      // flag was first raised): the log keeps the flag as it was raised.
      FUPIN_ASSIGN_OR_RETURN(std::optional<uint64_t> logged,
                             ledger_.FindEvent(pending_[i].event_id));
      if (logged.has_value()) continue;
      FUPIN_ASSIGN_OR_RETURN(Envelope signed_event,
                             ledger_.SignAsSystem(FlagRaisedEvent(pending_[i])));
      batch.push_back(std::move(signed_event));
      batched.push_back(i);
    }
    if (!batch.empty()) {
      AppendResult appended = ledger_.Append(std::move(batch));
      if (!appended.ok()) {
        return appended.status.WithContext("appending flag " +
                                           pending_[batched[appended.failed_index]].body.flag_id);
      }
      for (const AppendedEvent& event : appended.events) {
        if (!event.duplicate) flags_appended_.fetch_add(1);
      }
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
    flags_pending_.fetch_sub(count);
  }
  return Status::Ok();
}

Status RuleRunner::FoldTo(uint64_t target, bool interruptible) {
  // Flags decided before a failed append go first, in their order.
  FUPIN_RETURN_IF_ERROR(Flush());
  while (folded_ < target && !(interruptible && stopping_.load())) {
    const uint64_t step_end = std::min(target, folded_ + options_.fold_step);
    Status scanned =
        projections::ScanDecoded(ledger_.store(), folded_, step_end, options_.scan,
                                 [&](std::span<const projections::DecodedRecord> batch) {
                                   std::unique_lock lock(state_mutex_);
                                   const std::size_t before = pending_.size();
                                   for (const projections::DecodedRecord& record : batch) {
                                     engine_->Apply(record, pending_);
                                     book_.Apply(record);
                                   }
                                   folded_ = batch.back().seq + 1;
                                   flags_pending_.fetch_add(pending_.size() - before);
                                   return Status::Ok();
                                 });
    if (!scanned.ok()) return scanned;
    FUPIN_RETURN_IF_ERROR(Flush());
    FUPIN_RETURN_IF_ERROR(SaveIfDue(/*force=*/false));
    {
      // Under the wake mutex, so a waiter cannot miss the change.
      std::lock_guard wake(wake_mutex_);
      position_.store(folded_);
    }
    wake_.notify_all();
  }
  return Status::Ok();
}

bool RuleRunner::WaitForPosition(uint64_t target, std::chrono::milliseconds timeout) const {
  std::unique_lock wake(wake_mutex_);
  return wake_.wait_for(wake, timeout, [&] { return position_.load() >= target; });
}

RuleRunnerStats RuleRunner::stats() const {
  RuleRunnerStats stats;
  stats.position = position_.load();
  const uint64_t size = ledger_.tree_size();
  stats.lag = size > stats.position ? size - stats.position : 0;
  stats.flags_appended = flags_appended_.load();
  stats.flags_pending = flags_pending_.load();
  stats.restored_at = restored_at_;  // set before the runner is shared
  stats.discarded_state = discarded_state_;
  stats.saved_at = saved_position_.load();
  std::shared_lock lock(state_mutex_);
  stats.open_flags = book_.open();
  stats.clock_ms = engine_->clock_ms();
  return stats;
}

Status RuleRunner::last_error() const {
  std::lock_guard wake(wake_mutex_);
  return last_error_;
}

void RuleRunner::Read(const std::function<void(const RuleEngine&, const FlagBook&)>& read) const {
  std::shared_lock lock(state_mutex_);
  read(*engine_, book_);
}

void RuleRunner::Run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_fold = Clock::now();
  for (;;) {
    {
      std::lock_guard wake(wake_mutex_);
      if (stop_) return;
      notified_ = false;
    }
    Status status;
    bool folded = false;
    if (position_.load() < ledger_.tree_size()) {
      std::lock_guard fold(fold_mutex_);
      status = FoldTo(ledger_.tree_size(), /*interruptible=*/true);
      folded = true;
      last_fold = Clock::now();
    } else if (Clock::now() - last_fold >= options_.idle_save_after) {
      std::lock_guard fold(fold_mutex_);
      status = SaveIfDue(/*force=*/true);
    }
    std::unique_lock wake(wake_mutex_);
    last_error_ = status;
    // The flags just appended are records too: fold on at once while the
    // log grows and all is well.
    if (status.ok() && position_.load() < ledger_.tree_size()) continue;
    std::chrono::milliseconds wait = options_.poll_interval;
    if (folded && options_.persist) wait = std::min(wait, options_.idle_save_after);
    wake_.wait_for(wake, wait, [&] { return stop_ || notified_; });
  }
}

}  // namespace fupin::rules
