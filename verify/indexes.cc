// After the record pass: the three indexes and the entity states compared
// with what the pass folded, on the workers, while the derived-state folds
// finish on the calling thread.
#include <atomic>

#include "ledger/codec.h"
#include "ledger/entity_state.h"
#include "ledger/store_format.h"
#include "verify/verifier.h"

namespace fupin::verify {
namespace sf = store_format;

Status Verifier::CheckIndex(std::size_t index, std::vector<Finding>& findings, uint64_t& entries) {
  const uint64_t end = verified_;
  IndexTally& tally = tally_[index];
  crypto::SipHasher hasher(index_key_);
  auto subtract = [&](std::optional<uint64_t> seq, std::string_view key, std::string_view value) {
    ++entries;
    if (!seq) {
      findings.push_back({kIndexFailure[index], std::nullopt,
                          std::string(kIndexName[index]) + " entry malformed"});
    } else if (*seq >= end) {
      findings.push_back({kIndexFailure[index], *seq,
                          std::string(kIndexName[index]) + " entry names seq " +
                              std::to_string(*seq) + " beyond the verified log"});
    } else {
      tally.digest[*seq] -= IndexEntryDigest(hasher, key, value);
      --tally.count[*seq];
    }
  };
  // Read once, start to end: a scan cursor keeps the blocks out of the
  // block cache.
  constexpr Cf kIndexCf[] = {Cf::kStreams, Cf::kEventIds, Cf::kReferences};
  std::unique_ptr<StoreCursor> cursor = store_.NewScanCursor(kIndexCf[index]);
  for (cursor->Seek(""); cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    const std::string_view value = cursor->value();
    std::optional<uint64_t> seq;
    if (index == kStreamIdx) {
      uint64_t at = 0;
      merkle::Hash hash;
      if (sf::ParseStreamValue(value, &at, &hash)) seq = at;
    } else if (index == kEventIdIdx) {
      uint64_t at = 0;
      crypto::Digest content;
      if (sf::ParseEventIdValue(value, &at, &content)) seq = at;
    } else if (key.size() > 9 && key[key.size() - 9] == '\0') {
      seq = sf::ParseUint64Key(key.substr(key.size() - 8));
    }
    subtract(seq, key, value);
  }
  FUPIN_RETURN_IF_ERROR(cursor->status());
  for (uint64_t seq = 0; seq < end; ++seq) {
    const int32_t count = tally.count[seq];
    if (count == 0 && tally.digest[seq] == 0) continue;
    std::string what = count > 0   ? std::to_string(count) + " entries missing"
                       : count < 0 ? std::to_string(-count) + " extra entries"
                                   : "an entry differs from the record";
    findings.push_back(
        {kIndexFailure[index], seq,
         std::string(kIndexName[index]) + " of seq " + std::to_string(seq) + ": " + what});
  }
  return Status::Ok();
}

Status Verifier::CheckEntityStates(std::vector<Finding>& findings, uint64_t& compared) {
  const LogFold::States& folded = fold_->states();
  std::size_t matched = 0;
  std::string lookup;
  std::unique_ptr<StoreCursor> cursor = store_.NewScanCursor(Cf::kState);
  for (cursor->Seek(""); cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    const std::string_view value = cursor->value();
    ++compared;
    lookup.assign(key);
    auto it = folded.find(lookup);
    if (it == folded.end()) {
      findings.push_back({FailureKind::kEntityState, std::nullopt,
                          "stored entity state " + HexEncode(key.substr(0, 1)) + ":" +
                              std::string(key.substr(1)) + " was written by no record"});
      continue;
    }
    ++matched;
    if (EncodeEntityState(it->second.state) != value) {
      findings.push_back({FailureKind::kEntityState, it->second.seq,
                          "stored state of " + std::string(key.substr(1)) +
                              " differs from the state folded from the log"});
    }
  }
  FUPIN_RETURN_IF_ERROR(cursor->status());
  if (matched != folded.size()) {
    for (const auto& [key, held] : folded) {
      Result<std::optional<std::string>> stored = store_.Get(Cf::kState, key);
      if (stored.ok() && !stored->has_value()) {
        findings.push_back({FailureKind::kEntityState, held.seq,
                            "state of " + key.substr(1) + " written by seq " +
                                std::to_string(held.seq) + " is missing"});
      }
    }
  }
  return Status::Ok();
}

Status Verifier::CheckDerived() {
  // The three indexes and the entity states are compared on the workers
  // while the derived-state folds finish here.
  struct Part {
    Status status;
    std::vector<Finding> findings;
    uint64_t count = 0;
  };
  std::vector<Part> parts(4);
  const auto started = std::chrono::steady_clock::now();
  std::atomic<int64_t> indexes_done_ms{0};
  std::atomic<int> left{4};
  auto done = [&] {
    if (--left == 0) indexes_done_ms = MsSince(started);
  };
  std::vector<std::future<void>> work;
  for (std::size_t index = 0; index < 3; ++index) {
    work.push_back(pool_->Submit([&, index] {
      Part& part = parts[index];
      part.status = CheckIndex(index, part.findings, part.count);
      done();
    }));
  }
  work.push_back(pool_->Submit([&] {
    Part& part = parts[3];
    part.status = CheckEntityStates(part.findings, part.count);
    done();
    // The fold's tables (a few strings per entity of the log) are freed
    // here, beside the other checks, rather than after the run.
    fold_.reset();
  }));
  work.push_back(pool_->Submit([&] { HugePageStringMap<StreamHead>().swap(heads_); }));
  for (std::unique_ptr<DerivedFold>& fold : derived_) {
    fold->Finish(derived_folded_, verified_, &report_.counts.derived_states);
  }
  derived_.clear();
  report_.durations.derived_ms = MsSince(started);
  WaitAll(work);
  report_.durations.indexes_ms = indexes_done_ms;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    FUPIN_RETURN_IF_ERROR(parts[i].status);
    for (Finding& f : parts[i].findings) sink_.Add(f.kind, f.seq, std::move(f.detail));
    (i < 3 ? report_.counts.index_entries : report_.counts.entity_states) += parts[i].count;
  }
  return Status::Ok();
}

}  // namespace fupin::verify
