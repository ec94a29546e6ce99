#include "ledger/sequencer.h"

#include <cstring>
#include <deque>

#include "ledger/codec.h"
#include "ledger/event_key.h"
#include "ledger/store_format.h"
#include "ledger/time.h"

namespace fupin {
namespace sf = store_format;

void GroupOverlay::Absorb(GroupOverlay&& batch) {
  for (auto& [key, state] : batch.states) states.insert_or_assign(key, std::move(state));
  for (auto& [stream, head] : batch.heads) heads.insert_or_assign(stream, head);
  for (auto& [id, entry] : batch.ids) ids.insert_or_assign(id, entry);
  puts.insert(puts.end(), std::make_move_iterator(batch.puts.begin()),
              std::make_move_iterator(batch.puts.end()));
  frontier = batch.frontier;
  next_seq = batch.next_seq;
}

// Entity state as seen by validation: the batch, then the group, then the
// committed store. One view serves one event: states decoded from the store
// are kept in it for as long as it lends them.
class Sequencer::View : public LedgerView {
 public:
  View(const StoreDb& db, const GroupOverlay& group, const GroupOverlay& batch)
      : db_(db), group_(group), batch_(batch) {}

  Result<const EntityState*> Find(EntityKind kind, std::string_view id) const override {
    std::string key = sf::StateKey(static_cast<uint8_t>(kind), id);
    for (const GroupOverlay* overlay : {&batch_, &group_}) {
      auto it = overlay->states.find(key);
      if (it != overlay->states.end()) return &it->second;
    }
    FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> stored, db_.Get(Cf::kState, key));
    if (!stored.has_value()) return static_cast<const EntityState*>(nullptr);
    Result<EntityState> decoded = DecodeEntityState(*stored);
    if (!decoded.ok()) return decoded.status().WithContext("state of " + std::string(id));
    return &decoded_.emplace_back(std::move(decoded).value());
  }

 private:
  const StoreDb& db_;
  const GroupOverlay& group_;
  const GroupOverlay& batch_;
  mutable std::deque<EntityState> decoded_;  // stable addresses
};

Result<std::optional<GroupOverlay::IdEntry>> Sequencer::FindId(const std::string& id,
                                                               const GroupOverlay& group,
                                                               const GroupOverlay& batch) const {
  using Entry = std::optional<GroupOverlay::IdEntry>;
  for (const GroupOverlay* overlay : {&batch, &group}) {
    auto it = overlay->ids.find(id);
    if (it != overlay->ids.end()) return Entry(it->second);
  }
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> stored, db_.Get(Cf::kEventIds, id));
  if (!stored.has_value()) return Entry();
  GroupOverlay::IdEntry entry;
  if (!sf::ParseEventIdValue(*stored, &entry.seq, &entry.content)) {
    return Status(ErrorCode::kDataLoss, "event-id index entry of " + id + " is malformed");
  }
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> leaf,
                         db_.Get(Cf::kMerkle, sf::MerkleKey({0, entry.seq})));
  if (!leaf.has_value() || leaf->size() != entry.leaf_hash.size()) {
    return Status(ErrorCode::kDataLoss,
                  "leaf hash of seq " + std::to_string(entry.seq) + " missing");
  }
  std::memcpy(entry.leaf_hash.data(), leaf->data(), entry.leaf_hash.size());
  return Entry(entry);
}

Result<StreamHead> Sequencer::Head(const std::string& stream, const GroupOverlay& group,
                                   const GroupOverlay& batch) const {
  for (const GroupOverlay* overlay : {&batch, &group}) {
    auto it = overlay->heads.find(stream);
    if (it != overlay->heads.end()) return it->second;
  }
  auto last = db_.Last(Cf::kStreams, sf::StreamPrefix(stream));
  if (!last.ok()) return last.status();
  StreamHead head;
  if (!last->has_value()) return head;
  const std::string& key = (*last)->first;
  std::optional<uint64_t> version =
      sf::ParseUint64Key(std::string_view(key).substr(stream.size() + 1));
  uint64_t seq = 0;
  if (!version || !sf::ParseStreamValue((*last)->second, &seq, &head.leaf_hash)) {
    return Status(ErrorCode::kDataLoss, "stream index of " + stream + " is malformed");
  }
  head.version = *version;
  return head;
}

namespace {

// Appends the record of a checked event to `batch`: seq, stream chain,
// leaf, Merkle nodes, indexes and entity states.
AppendedEvent AppendRecord(const Envelope& envelope, const ValidatedEvent& validated,
                           const StreamHead& head, int64_t recorded_ms, GroupOverlay* batch) {
  RecordHeader header;
  header.seq = batch->next_seq;
  header.recorded_at = FormatUtcMillis(recorded_ms);
  header.stream = validated.stream;
  header.stream_version = head.version + 1;
  if (head.version > 0) header.prev_stream_hash = HexEncode(head.leaf_hash);

  StoredRecord record;
  record.seq = header.seq;
  record.leaf_data = BuildLeafData(header, envelope.canonical);
  record.leaf_hash = merkle::LeafHash(batch->frontier.alg(), record.leaf_data);

  std::vector<merkle::NodeWrite> nodes;
  batch->frontier.Append(record.leaf_hash, &nodes);
  for (const merkle::NodeWrite& node : nodes) {
    batch->puts.push_back(
        {Cf::kMerkle, sf::MerkleKey(node.id),
         std::string(reinterpret_cast<const char*>(node.hash.data()), node.hash.size())});
  }
  batch->puts.push_back({Cf::kRecords, sf::Uint64Key(record.seq), EncodeStoredRecord(record)});
  batch->puts.push_back({Cf::kStreams, sf::StreamKey(validated.stream, header.stream_version),
                         sf::StreamValue(record.seq, record.leaf_hash)});
  for (const std::string& entity : validated.references) {
    batch->puts.push_back({Cf::kReferences, sf::ReferenceKey(entity, record.seq), ""});
  }
  crypto::Digest content = crypto::Sha256(envelope.canonical);
  batch->puts.push_back({Cf::kEventIds, envelope.id, sf::EventIdValue(record.seq, content)});
  for (const StateWrite& write : validated.writes) {
    std::string key = sf::StateKey(static_cast<uint8_t>(write.kind), write.id);
    batch->puts.push_back({Cf::kState, key, EncodeEntityState(write.state)});
    batch->states.insert_or_assign(std::move(key), write.state);
  }
  batch->heads[validated.stream] = StreamHead{header.stream_version, record.leaf_hash};
  batch->ids[envelope.id] = {record.seq, content, record.leaf_hash};
  batch->next_seq = record.seq + 1;
  return AppendedEvent{envelope.id, record.seq, record.leaf_hash, false};
}

}  // namespace

Result<AppendedEvent> Sequencer::SequenceOne(const Envelope& envelope,
                                             const std::optional<SignatureHint>& hint,
                                             int64_t recorded_ms, const GroupOverlay& group,
                                             GroupOverlay* batch) const {
  // 1. Idempotency: the same id again is either the same event or a conflict.
  FUPIN_ASSIGN_OR_RETURN(std::optional<GroupOverlay::IdEntry> existing,
                         FindId(envelope.id, group, *batch));
  if (existing.has_value()) {
    const GroupOverlay::IdEntry& entry = *existing;
    if (entry.content != crypto::Sha256(envelope.canonical)) {
      return Status(ErrorCode::kIdConflict, "event id " + envelope.id + " is already used by seq " +
                                                std::to_string(entry.seq) + " with other content");
    }
    return AppendedEvent{envelope.id, entry.seq, entry.leaf_hash, true};
  }

  // 2. The signer's key and the signature.
  View view(db_, group, *batch);
  FUPIN_ASSIGN_OR_RETURN(const KeyState* key,
                         FindEntity<KeyState>(view, EntityKind::kKey, envelope.key_id));
  if (key == nullptr) {
    return Status(ErrorCode::kUnknownKey, "key " + envelope.key_id + " is not registered");
  }
  const KeyState& signer = *key;
  bool valid = false;
  if (hint.has_value() && hint->alg == signer.alg && hint->public_key == signer.public_key) {
    valid = hint->valid;
  } else {
    std::optional<bool> verified = crypto::VerifyEventSignatureWithThreadCache(
        signer.alg, signer.public_key, envelope.signing_input, envelope.signature);
    if (!verified)
      return Status(ErrorCode::kDataLoss, "stored key " + envelope.key_id + " is invalid");
    valid = *verified;
  }
  if (!valid) {
    return Status(ErrorCode::kBadSignature,
                  "signature does not verify with key " + envelope.key_id);
  }

  // 3. The catalog's rules and the signer's permissions.
  FUPIN_ASSIGN_OR_RETURN(ValidatedEvent validated,
                         ValidateEvent(envelope, signer, recorded_ms, view));

  // 4. Optimistic concurrency on the stream.
  FUPIN_ASSIGN_OR_RETURN(StreamHead head, Head(validated.stream, group, *batch));
  if (envelope.expected_version.has_value() &&
      static_cast<uint64_t>(*envelope.expected_version) != head.version) {
    return Status(ErrorCode::kVersionConflict, "stream " + validated.stream + " is at version " +
                                                   std::to_string(head.version) + ", expected " +
                                                   std::to_string(*envelope.expected_version));
  }
  return AppendRecord(envelope, validated, head, recorded_ms, batch);
}

Result<std::vector<AppendedEvent>> Sequencer::SequenceBatch(
    const std::vector<Envelope>& batch_events,
    const std::vector<std::optional<SignatureHint>>& hints, int64_t recorded_ms,
    GroupOverlay* group, std::size_t* failed_index) const {
  GroupOverlay batch(group->frontier.alg());
  batch.frontier = group->frontier;
  batch.next_seq = group->next_seq;
  std::vector<AppendedEvent> results;
  results.reserve(batch_events.size());
  for (std::size_t i = 0; i < batch_events.size(); ++i) {
    Result<AppendedEvent> appended =
        SequenceOne(batch_events[i], hints[i], recorded_ms, *group, &batch);
    if (!appended.ok()) {
      *failed_index = i;
      return appended.status();
    }
    results.push_back(std::move(appended).value());
  }
  group->Absorb(std::move(batch));
  return results;
}

Result<AppendedEvent> Sequencer::AppendTrusted(const Envelope& envelope,
                                               const ValidatedEvent& validated, int64_t recorded_ms,
                                               GroupOverlay* overlay) const {
  GroupOverlay none(overlay->frontier.alg());
  FUPIN_ASSIGN_OR_RETURN(StreamHead head, Head(validated.stream, none, *overlay));
  return AppendRecord(envelope, validated, head, recorded_ms, overlay);
}

}  // namespace fupin
