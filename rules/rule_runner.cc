#include "rules/rule_runner.h"

#include <algorithm>
#include <optional>
#include <span>

#include "ledger/time.h"

namespace fupin::rules {

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
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<RuleEngine> engine,
                         RuleEngine::Create(config, options.limits));
  return std::unique_ptr<RuleRunner>(new RuleRunner(ledger, std::move(engine), std::move(options)));
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
  {
    std::lock_guard wake(wake_mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
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

Status RuleRunner::FoldTo(uint64_t target) {
  // Flags decided before a failed append go first, in their order.
  FUPIN_RETURN_IF_ERROR(Flush());
  while (folded_ < target) {
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
  for (;;) {
    {
      std::lock_guard wake(wake_mutex_);
      if (stop_) return;
      notified_ = false;
    }
    Status status;
    {
      std::lock_guard fold(fold_mutex_);
      status = FoldTo(ledger_.tree_size());
    }
    std::unique_lock wake(wake_mutex_);
    last_error_ = status;
    // The flags just appended are records too: fold on at once while the
    // log grows and all is well.
    if (status.ok() && position_.load() < ledger_.tree_size()) continue;
    wake_.wait_for(wake, options_.poll_interval, [&] { return stop_ || notified_; });
  }
}

}  // namespace fupin::rules
