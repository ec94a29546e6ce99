#include "ledger/projections/projection_check.h"

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "ledger/projections/entity_projection.h"
#include "ledger/projections/projection_layout.h"
#include "ledger/projections/record_scan.h"
#include "ledger/projections/statistics_projection.h"

namespace fupin::projections {
namespace {

using verify::FailureKind;

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
};

std::string Describe(std::string_view name, bool snapshot, uint64_t position) {
  return std::string(name) + (snapshot ? "/snap/" + std::to_string(position) : "/state");
}

// Reads what `projection` has stored; failures for what cannot be read.
Status LoadExpected(const StoreDb& store, uint64_t tree_size, const Projection& projection,
                    verify::FailureSink& sink, std::vector<Expected>& out) {
  const std::string_view name = projection.name();
  Result<std::optional<std::string>> head_bytes = store.Get(Cf::kProjections, HeadKey(name));
  if (!head_bytes.ok()) return head_bytes.status();
  if (!head_bytes->has_value()) return Status::Ok();
  Result<ProjectionHead> head = DecodeHead(**head_bytes);
  if (!head.ok()) {
    sink.Add(FailureKind::kProjectionState, std::nullopt,
             std::string(name) + "/head: " + head.status().message());
    return Status::Ok();
  }
  if (head->projection_version != projection.version()) return Status::Ok();
  if (head->position > tree_size) {
    sink.Add(FailureKind::kProjectionState, tree_size,
             std::string(name) + " is stored at position " + std::to_string(head->position) +
                 ", beyond the log (" + std::to_string(tree_size) + ")");
    return Status::Ok();
  }
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
    Result<std::optional<std::string>> bytes = store.Get(Cf::kProjections, key);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) {
      sink.Add(FailureKind::kProjectionState, seq, where + " is missing");
      continue;
    }
    Result<StateBlob> blob = DecodeStateBlob(**bytes);
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
               verify::FailureSink& sink, uint64_t* checked) {
  while (subject.next < subject.expected.size() &&
         subject.expected[subject.next].position == position) {
    const Expected& expected = subject.expected[subject.next++];
    ++*checked;
    if (expected.blob.last_leaf_hash != last_leaf_hash) {
      sink.Add(FailureKind::kProjectionState, position - 1,
               expected.where + " was folded from another log (leaf hash differs)");
    } else if (expected.blob.state != subject.fresh->EncodeState()) {
      sink.Add(FailureKind::kProjectionState, position - 1,
               expected.where + " differs from a fresh fold of the log");
    }
  }
}

}  // namespace

Status ProjectionStateCheck::Check(const StoreDb& store, uint64_t tree_size, unsigned threads,
                                   verify::FailureSink& sink, uint64_t* checked) const {
  std::vector<Subject> subjects;
  subjects.push_back({std::make_unique<StatisticsProjection>(), {}});
  subjects.push_back({std::make_unique<EntityProjection>(), {}});
  uint64_t target = 0;
  for (Subject& subject : subjects) {
    FUPIN_RETURN_IF_ERROR(LoadExpected(store, tree_size, *subject.fresh, sink, subject.expected));
    if (!subject.expected.empty()) target = std::max(target, subject.expected.back().position);
  }
  if (target == 0) return Status::Ok();
  ScanOptions options;
  options.decode_threads = threads;
  uint64_t position = 0;
  Status scanned = ScanDecoded(store, 0, target, options, [&](std::span<const DecodedRecord> batch) {
    for (const DecodedRecord& record : batch) {
      ++position;
      for (Subject& subject : subjects) {
        if (subject.next >= subject.expected.size()) continue;
        subject.fresh->Apply(record);
        CompareAt(subject, position, record.leaf_hash, sink, checked);
      }
    }
    return Status::Ok();
  });
  if (scanned.code() == ErrorCode::kDataLoss) {
    // A record the fold cannot read; the record pass names its seq and
    // what is wrong with it, so this one carries no seq (sorts last).
    sink.Add(FailureKind::kProjectionState, std::nullopt,
             "projections cannot be folded past seq " + std::to_string(position) + ": " +
                 scanned.message());
    return Status::Ok();
  }
  return scanned;
}

}  // namespace fupin::projections
