#include "verify/projection_check.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/time.h"
#include "projections/entity_projection.h"
#include "projections/projection_layout.h"
#include "projections/statistics_projection.h"

namespace fupin::verify {
namespace {

using projections::DecodeBody;
using projections::DecodedRecord;
using projections::DecodeHead;
using projections::DecodeStateBlob;
using projections::EntityProjection;
using projections::HeadKey;
using projections::Projection;
using projections::ProjectionHead;
using projections::SnapshotKey;
using projections::StateBlob;
using projections::StateKey;
using projections::StatisticsProjection;

// One stored state to compare: a projection's head state or a snapshot.
struct Expected {
  uint64_t position = 0;
  StateBlob blob;
  std::string where;  // "statistics/state", "entities/snap/100000"
};

struct Subject {
  std::unique_ptr<Projection> fresh;
  std::vector<Expected> expected;  // ascending position
  std::size_t next = 0;
  uint64_t head_position = 0;  // where the projection says it is stored up to
  bool done() const { return next == expected.size(); }
};

std::string Describe(std::string_view name, bool snapshot, uint64_t position) {
  return std::string(name) + (snapshot ? "/snap/" + std::to_string(position) : "/state");
}

std::string BeyondTheLog(std::string_view name, uint64_t position, uint64_t log_size) {
  return std::string(name) + " is stored at position " + std::to_string(position) +
         ", beyond the log (" + std::to_string(log_size) + ")";
}

// Reads what the subject's projection has stored; failures for what cannot
// be read.
Status LoadExpected(const StoreDb& store, uint64_t log_end, FailureSink& sink, Subject& subject) {
  const Projection& projection = *subject.fresh;
  std::vector<Expected>& out = subject.expected;
  const std::string_view name = projection.name();
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> head_bytes,
                         store.Get(Cf::kProjections, HeadKey(name)));
  if (!head_bytes.has_value()) return Status::Ok();
  Result<ProjectionHead> head = DecodeHead(*head_bytes);
  if (!head.ok()) {
    sink.Add(FailureKind::kProjectionState, std::nullopt,
             std::string(name) + "/head: " + head.status().message());
    return Status::Ok();
  }
  if (head->projection_version != projection.version()) return Status::Ok();
  if (head->position > log_end) {
    sink.Add(FailureKind::kProjectionState, log_end, BeyondTheLog(name, head->position, log_end));
    return Status::Ok();
  }
  subject.head_position = head->position;
  std::vector<std::pair<uint64_t, bool>> positions;  // position, is snapshot
  for (uint64_t s : head->snapshots) {
    if (s <= head->position) positions.emplace_back(s, true);
  }
  if (!head->state_in_snapshot) positions.emplace_back(head->position, false);
  for (auto [position, snapshot] : positions) {
    const std::string key = snapshot ? SnapshotKey(name, position) : StateKey(name);
    const std::string where = Describe(name, snapshot, position);
    const std::optional<uint64_t> seq =
        position == 0 ? std::nullopt : std::optional<uint64_t>(position - 1);
    FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store.Get(Cf::kProjections, key));
    if (!bytes.has_value()) {
      sink.Add(FailureKind::kProjectionState, seq, where + " is missing");
      continue;
    }
    Result<StateBlob> blob = DecodeStateBlob(*bytes);
    if (!blob.ok() || blob->position != position ||
        blob->projection_version != projection.version()) {
      sink.Add(FailureKind::kProjectionState, seq, where + " is not a state at its position");
      continue;
    }
    if (position == 0) continue;  // the empty state; nothing folded
    out.push_back({position, std::move(blob).value(), where});
  }
  std::sort(out.begin(), out.end(),
            [](const Expected& a, const Expected& b) { return a.position < b.position; });
  return Status::Ok();
}

// Compares every expected state of `subject` sitting at `position`.
void CompareAt(Subject& subject, uint64_t position, const merkle::Hash& last_leaf_hash,
               FailureSink& sink, uint64_t* checked) {
  while (subject.next < subject.expected.size() &&
         subject.expected[subject.next].position == position) {
    Expected& expected = subject.expected[subject.next++];
    ++*checked;
    if (expected.blob.last_leaf_hash != last_leaf_hash) {
      sink.Add(FailureKind::kProjectionState, position - 1,
               expected.where + " was folded from another log (leaf hash differs)");
    } else if (expected.blob.state != subject.fresh->EncodeState()) {
      sink.Add(FailureKind::kProjectionState, position - 1,
               expected.where + " differs from a fresh fold of the log");
    }
    // Compared: its bytes (up to the whole state) are not held for the
    // rest of the pass.
    std::string().swap(expected.blob.state);
  }
}

// Folds the records of the verification pass into fresh projections and
// compares each stored state when the fold reaches its position.
class ProjectionFold final : public DerivedFold {
 public:
  ProjectionFold(std::vector<Subject> subjects, FailureSink& sink)
      : subjects_(std::move(subjects)), sink_(sink) {}

  void Apply(PassedRecord& passed) override {
    if (stopped_ || std::all_of(subjects_.begin(), subjects_.end(),
                                [](const Subject& s) { return s.done(); })) {
      return;
    }
    const Envelope& envelope = *passed.envelope;
    std::optional<EventType> type = ParseEventType(envelope.type);
    if (!type) {
      stopped_ = "seq " + std::to_string(passed.seq) + " has unknown type " + envelope.type;
      return;
    }
    record_.seq = passed.seq;
    record_.type = *type;
    record_.occurred_at_ms = envelope.occurred_at_ms;
    record_.occurred_day = ShanghaiDay(envelope.occurred_at_ms);
    record_.stream = passed.header->stream;
    record_.key_id = envelope.key_id;
    // The hash of the leaf data as read (the record checks compare it with
    // the stored one): a stored state must have been folded from exactly
    // these bytes.
    record_.leaf_hash = passed.leaf_hash;
    if (passed.body->has_value()) {
      record_.body = std::move(**passed.body);
      passed.body->reset();  // taken: a further fold types its own
    } else {
      Result<EventBody> typed = DecodeBody(passed.seq, *type, envelope.body);
      if (!typed.ok()) {
        stopped_ = typed.status().message();  // names the seq
        return;
      }
      record_.body = std::move(typed).value();
    }
    const uint64_t position = passed.seq + 1;
    for (Subject& subject : subjects_) {
      if (subject.done()) continue;
      subject.fresh->Apply(record_);
      CompareAt(subject, position, record_.leaf_hash, sink_, &checked_);
    }
    folded_ = position;
  }

  void Finish(uint64_t folded, uint64_t tree_size, uint64_t* checked) override {
    for (const Subject& subject : subjects_) {
      if (subject.done()) continue;
      const std::string_view name = subject.fresh->name();
      if (subject.head_position > tree_size) {
        // The pass stopped at a gap: what is stored goes past the log it
        // could verify.
        sink_.Add(FailureKind::kProjectionState, tree_size,
                  BeyondTheLog(name, subject.head_position, tree_size));
      } else {
        // A record the fold cannot read; the record pass names its seq
        // and what is wrong with it, so this one carries no seq (sorts
        // last).
        sink_.Add(
            FailureKind::kProjectionState, std::nullopt,
            std::string(name) + " cannot be folded past seq " + std::to_string(folded_) + ": " +
                (stopped_ ? *stopped_ : "seq " + std::to_string(folded) + " could not be parsed"));
      }
    }
    *checked += checked_;
  }

 private:
  std::vector<Subject> subjects_;
  FailureSink& sink_;
  DecodedRecord record_;  // reused: its strings keep their capacity
  uint64_t folded_ = 0;   // records applied
  uint64_t checked_ = 0;
  std::optional<std::string> stopped_;  // why the fold could not go on
};

}  // namespace

Result<std::unique_ptr<DerivedFold>> ProjectionStateCheck::Begin(const StoreDb& store,
                                                                 uint64_t log_end,
                                                                 FailureSink& sink) const {
  std::vector<Subject> subjects;
  subjects.push_back({std::make_unique<StatisticsProjection>(), {}});
  subjects.push_back({std::make_unique<EntityProjection>(), {}});
  for (Subject& subject : subjects) {
    FUPIN_RETURN_IF_ERROR(LoadExpected(store, log_end, sink, subject));
  }
  if (std::all_of(subjects.begin(), subjects.end(), [](const Subject& s) { return s.done(); })) {
    return std::unique_ptr<DerivedFold>();
  }
  return std::unique_ptr<DerivedFold>(std::make_unique<ProjectionFold>(std::move(subjects), sink));
}

}  // namespace fupin::verify
