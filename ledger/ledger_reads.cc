// The reads of Ledger (ledger_impl.h): records, streams, the reference and
// event-id indexes, checkpoints and proofs, all bounded by the published
// tree size, so a reader never sees half a commit group. Thread-safe.
#include <algorithm>
#include <cstring>

#include "ledger/codec.h"
#include "ledger/ledger_impl.h"
#include "ledger/merkle_store.h"
#include "ledger/store_format.h"

namespace fupin {

namespace sf = store_format;

Result<StoredRecord> Ledger::ReadRecord(uint64_t seq) const {
  if (seq >= tree_size()) {
    return Status(ErrorCode::kNotFound, "no record at seq " + std::to_string(seq));
  }
  Result<std::optional<std::string>> bytes = impl_->db().Get(Cf::kRecords, sf::Uint64Key(seq));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) {
    return Status(ErrorCode::kDataLoss, "record " + std::to_string(seq) + " is missing");
  }
  Result<StoredRecord> record = DecodeStoredRecord(**bytes);
  if (record.ok() && record->seq != seq) {
    return Status(ErrorCode::kDataLoss, "record stored at seq " + std::to_string(seq) +
                                            " claims seq " + std::to_string(record->seq));
  }
  return record;
}

Result<std::vector<StoredRecord>> Ledger::ReadRecords(uint64_t from, std::size_t limit) const {
  std::vector<StoredRecord> records;
  uint64_t end = std::min<uint64_t>(tree_size(), from + limit);
  for (uint64_t seq = from; seq < end; ++seq) {
    Result<StoredRecord> record = ReadRecord(seq);
    if (!record.ok()) return record.status();
    records.push_back(std::move(record).value());
  }
  return records;
}

Result<std::vector<StreamEntry>> Ledger::ReadStream(std::string_view stream, uint64_t from_version,
                                                    std::size_t limit) const {
  uint64_t size = tree_size();
  std::vector<std::pair<uint64_t, uint64_t>> found;  // version, seq
  Status malformed = Status::Ok();
  std::string prefix = sf::StreamPrefix(stream);
  Status scanned = impl_->db().Scan(
      Cf::kStreams, prefix, sf::StreamKey(stream, from_version),
      [&](std::string_view key, std::string_view value) {
        std::optional<uint64_t> version = sf::ParseUint64Key(key.substr(prefix.size()));
        uint64_t seq = 0;
        merkle::Hash hash;
        if (!version || !sf::ParseStreamValue(value, &seq, &hash)) {
          malformed = Status(ErrorCode::kDataLoss, "stream index entry malformed");
          return false;
        }
        if (seq >= size) return false;  // not committed yet
        found.emplace_back(*version, seq);
        return found.size() < limit;
      });
  FUPIN_RETURN_IF_ERROR(scanned);
  FUPIN_RETURN_IF_ERROR(malformed);
  std::vector<StreamEntry> entries;
  for (auto [version, seq] : found) {
    Result<StoredRecord> record = ReadRecord(seq);
    if (!record.ok()) return record.status();
    entries.push_back({version, std::move(record).value()});
  }
  return entries;
}

Result<std::vector<uint64_t>> Ledger::ReferencingSeqs(std::string_view entity, uint64_t from_seq,
                                                      std::size_t limit) const {
  uint64_t size = tree_size();
  std::vector<uint64_t> seqs;
  std::string prefix = sf::ReferencePrefix(entity);
  Status malformed = Status::Ok();
  Status scanned = impl_->db().Scan(
      Cf::kReferences, prefix, sf::ReferenceKey(entity, from_seq),
      [&](std::string_view key, std::string_view) {
        std::optional<uint64_t> seq = sf::ParseUint64Key(key.substr(prefix.size()));
        if (!seq) {
          malformed = Status(ErrorCode::kDataLoss, "reference index entry malformed");
          return false;
        }
        if (*seq >= size) return false;
        seqs.push_back(*seq);
        return seqs.size() < limit;
      });
  FUPIN_RETURN_IF_ERROR(scanned);
  FUPIN_RETURN_IF_ERROR(malformed);
  return seqs;
}

Result<std::optional<uint64_t>> Ledger::FindEvent(std::string_view event_id) const {
  Result<std::optional<std::string>> value = impl_->db().Get(Cf::kEventIds, event_id);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<uint64_t>();
  uint64_t seq = 0;
  crypto::Digest content;
  if (!sf::ParseEventIdValue(**value, &seq, &content)) {
    return Status(ErrorCode::kDataLoss, "event-id index entry malformed");
  }
  if (seq >= tree_size()) return std::optional<uint64_t>();
  return std::optional<uint64_t>(seq);
}

Result<Checkpoint> Ledger::LatestCheckpoint() const {
  auto last = impl_->db().Last(Cf::kCheckpoints, "");
  if (!last.ok()) return last.status();
  if (!last->has_value()) return Status(ErrorCode::kDataLoss, "no checkpoint stored");
  return ParseCheckpoint((*last)->second);
}

Result<Checkpoint> Ledger::CheckpointAt(uint64_t size) const {
  Result<std::optional<std::string>> value = impl_->db().Get(Cf::kCheckpoints, sf::Uint64Key(size));
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return Status(ErrorCode::kNotFound, "no checkpoint at tree size " + std::to_string(size));
  }
  return ParseCheckpoint(**value);
}

Result<note::Note> Ledger::NoteAt(uint64_t size) const {
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                         impl_->db().Get(Cf::kNotes, sf::Uint64Key(size)));
  if (!bytes) {
    return Status(ErrorCode::kNotFound, "no checkpoint note at tree size " + std::to_string(size));
  }
  Result<note::Note> parsed = note::ParseNote(*bytes);
  if (!parsed.ok()) {
    return Status(ErrorCode::kDataLoss, "stored note of tree size " + std::to_string(size) + ": " +
                                            parsed.status().message());
  }
  return parsed;
}

Status Ledger::AddCosignatures(uint64_t size, const std::vector<note::NoteSignature>& lines) {
  if (impl_->read_only()) return Status(ErrorCode::kUnavailable, "ledger opened read-only");
  std::lock_guard<std::mutex> lock(impl_->notes_mu());
  FUPIN_ASSIGN_OR_RETURN(note::Note stored, NoteAt(size));
  for (const note::NoteSignature& line : lines) {
    auto same_key = [&line](const note::NoteSignature& s) {
      return s.name == line.name && s.key_id == line.key_id;
    };
    auto existing = std::find_if(stored.signatures.begin(), stored.signatures.end(), same_key);
    if (existing != stored.signatures.end()) {
      *existing = line;
    } else {
      stored.signatures.push_back(line);
    }
  }
  return impl_->db().Write({{Cf::kNotes, sf::Uint64Key(size), note::FormatNote(stored)}},
                           /*sync=*/true);
}

const note::VerifierKey& Ledger::note_key() const { return impl_->note_key(); }

Result<std::optional<uint64_t>> Ledger::NewestWitnessedSize(const WitnessPolicy& policy,
                                                            uint64_t look_back) const {
  FUPIN_ASSIGN_OR_RETURN(Checkpoint latest, LatestCheckpoint());
  // Notes are keyed by big-endian tree size: walk back from the latest.
  std::optional<uint64_t> found;
  uint64_t looked = 0;
  Status failed = Status::Ok();
  std::unique_ptr<StoreCursor> cursor = impl_->db().NewCursor(Cf::kNotes);
  for (cursor->SeekForPrev(sf::Uint64Key(latest.tree_size)); cursor->Valid() && looked < look_back;
       cursor->Prev()) {
    ++looked;
    Result<note::Note> stored = note::ParseNote(cursor->value());
    if (stored.ok() && JudgeCosignatures(policy, stored->text, *stored).quorum_met) {
      found = sf::ParseUint64Key(cursor->key());
      break;
    }
  }
  FUPIN_RETURN_IF_ERROR(cursor->status());
  return found;
}

Result<merkle::Hash> Ledger::RootAt(uint64_t size) const {
  if (size > tree_size()) {
    return Status(ErrorCode::kInvalidArgument, "tree size " + std::to_string(size) +
                                                   " beyond the log (" +
                                                   std::to_string(tree_size()) + ")");
  }
  return merkle::Root(info().hash, impl_->merkle_nodes(), size);
}

Result<std::vector<merkle::Hash>> Ledger::InclusionPath(uint64_t seq, uint64_t size) const {
  if (size > tree_size()) {
    return Status(ErrorCode::kInvalidArgument,
                  "tree size " + std::to_string(size) + " beyond the log");
  }
  return merkle::InclusionPath(info().hash, impl_->merkle_nodes(), seq, size);
}

Result<std::vector<merkle::Hash>> Ledger::ConsistencyPath(uint64_t first, uint64_t second) const {
  if (second > tree_size()) {
    return Status(ErrorCode::kInvalidArgument,
                  "tree size " + std::to_string(second) + " beyond the log");
  }
  return merkle::ConsistencyPath(info().hash, impl_->merkle_nodes(), first, second);
}

}  // namespace fupin
