// A mirror's side of Ledger (ledger.h): its genesis (InitMirror) and its
// only write (Replicate). Nothing is taken on the source's word: every
// record is sequenced again from its signed event and its record time, as
// the source's writer did, and must come out as the very bytes served.
#include <filesystem>
#include <future>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/ledger_impl.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin {
namespace sf = store_format;
namespace fs = std::filesystem;

namespace {

Status SourceFault(uint64_t seq, const std::string& what) {
  return Status(ErrorCode::kDataLoss, "record " + std::to_string(seq) + ": " + what);
}

// A failure of this store, not of what the source served: the sequencer's
// reads of the committed state (kDataLoss there is a local index or entity
// that does not decode).
bool IsLocalFailure(ErrorCode code) {
  return code == ErrorCode::kIoError || code == ErrorCode::kUnavailable ||
         code == ErrorCode::kInternal || code == ErrorCode::kDataLoss;
}

// The signed event and the record time of a served record.
struct ServedRecord {
  Envelope envelope;
  int64_t recorded_ms = 0;
};

Result<ServedRecord> ReadServed(merkle::HashAlg alg, const StoredRecord& record) {
  if (merkle::LeafHash(alg, record.leaf_data) != record.leaf_hash) {
    return SourceFault(record.seq, "leaf_hash is not the hash of its leaf data");
  }
  Result<boost::json::object> leaf = json::ParseStrictObject(record.leaf_data);
  if (!leaf.ok()) return SourceFault(record.seq, "leaf data: " + leaf.status().message());
  const boost::json::value* event = leaf->if_contains("event");
  if (event == nullptr || !event->is_object()) {
    return SourceFault(record.seq, "leaf data holds no event object");
  }
  Result<Envelope> envelope = ParseEnvelope(event->get_object());
  if (!envelope.ok()) return SourceFault(record.seq, "event: " + envelope.status().ToString());
  Result<int64_t> recorded = RecordedAtMillis(record.leaf_data, record.seq);
  if (!recorded.ok()) return SourceFault(record.seq, recorded.status().message());
  return ServedRecord{std::move(envelope).value(), *recorded};
}

// The sequenced record must be the served one, byte for byte.
Status SameRecord(const StoredRecord& served, const merkle::Hash& sequenced_leaf,
                  uint64_t sequenced_seq) {
  if (sequenced_seq != served.seq) {
    return SourceFault(served.seq, "sequenced as seq " + std::to_string(sequenced_seq));
  }
  if (sequenced_leaf != served.leaf_hash) {
    return SourceFault(served.seq,
                       "its leaf data is not what the event sequenced at its record time gives "
                       "(seq, stream, stream version or prev_stream_hash differ)");
  }
  return Status::Ok();
}

Status CheckSignedCheckpoint(const Checkpoint& checkpoint, const GenesisInfo& info,
                             const crypto::Ed25519PublicKey& key, uint64_t size,
                             const merkle::Hash& root) {
  const std::string at = "checkpoint " + std::to_string(checkpoint.tree_size);
  if (checkpoint.tree_size != size) {
    return Status(ErrorCode::kDataLoss,
                  at + " does not end where the records do (" + std::to_string(size) + ")");
  }
  if (checkpoint.log_id != info.log_id || checkpoint.key_id != info.system_key_id) {
    return Status(ErrorCode::kDataLoss, at + " names another log or key");
  }
  if (checkpoint.hash != info.hash) {
    return Status(ErrorCode::kDataLoss,
                  at + " names the hash " + std::string(crypto::HashAlgName(checkpoint.hash)) +
                      ", the log's is " + std::string(crypto::HashAlgName(info.hash)));
  }
  if (!VerifyCheckpoint(checkpoint, key)) {
    return Status(ErrorCode::kDataLoss, at + ": signature does not verify with the system key");
  }
  if (checkpoint.root_hash != root) {
    return Status(ErrorCode::kDataLoss, at + " signs root " + HexEncode(checkpoint.root_hash) +
                                            ", the records give " + HexEncode(root));
  }
  return Status::Ok();
}

// The checkpoint's rows: its JSON and, when served, its note, which must
// be this checkpoint's text signed by the system key (cosignatures are kept
// as served; readers judge them against their own policy).
Status AddReplicatedCheckpointPuts(const ReplicatedCheckpoint& replicated,
                                   const note::VerifierKey& note_key, std::vector<DbPut>& puts) {
  const Checkpoint& checkpoint = replicated.checkpoint;
  const std::string size = sf::Uint64Key(checkpoint.tree_size);
  puts.push_back({Cf::kCheckpoints, size, CheckpointJson(checkpoint)});
  if (replicated.note.empty()) return Status::Ok();
  const std::string failure = tlog::CheckSignedCheckpointNote(
      replicated.note, note_key, checkpoint.tree_size, checkpoint.root_hash);
  if (!failure.empty()) {
    return Status(ErrorCode::kDataLoss,
                  "note of checkpoint " + std::to_string(checkpoint.tree_size) + ": " + failure);
  }
  puts.push_back({Cf::kNotes, size, replicated.note});
  return Status::Ok();
}

// Genesis record `index` (0 or 1): a key.registered the system key signed.
Result<ValidatedEvent> CheckGenesisRecord(const ServedRecord& served, std::size_t index,
                                          const std::string& system_id,
                                          const crypto::Ed25519PublicKey& system_key) {
  const Envelope& e = served.envelope;
  if (e.type != "key.registered" || e.key_id != system_id) {
    return SourceFault(index, "genesis must be key.registered signed by the system key");
  }
  if (!system_key.Verify(e.signing_input, e.signature)) {
    return SourceFault(index, "signature does not verify with the system key");
  }
  const boost::json::object& body = e.body;
  const boost::json::value* key_id = body.if_contains("key_id");
  const boost::json::value* public_b64 = body.if_contains("public_key");
  if (key_id == nullptr || !key_id->is_string() || public_b64 == nullptr ||
      !public_b64->is_string()) {
    return SourceFault(index, "genesis key has no key_id or public_key");
  }
  // The admin key (record 1) may be SM2; the system key is Ed25519.
  const boost::json::value* alg_name = body.if_contains("alg");
  std::optional<KeyAlg> alg = alg_name != nullptr && alg_name->is_string()
                                  ? ParseKeyAlg(alg_name->get_string())
                                  : std::nullopt;
  if (!alg || (index == 0 && *alg != KeyAlg::kEd25519)) {
    return SourceFault(index, "genesis key has no usable alg");
  }
  Result<crypto::EventPublicKey> key =
      crypto::EventPublicKey::FromBase64(*alg, public_b64->get_string());
  if (!key.ok()) return SourceFault(index, "genesis public_key: " + key.status().message());
  if (index == 1 && body.contains("hash")) {
    return SourceFault(1, "only record 0 names the log's hash");
  }
  const std::string id(key_id->get_string());
  if (index == 0) {
    if (id != system_id || key->raw() != system_key.raw()) {
      return SourceFault(0, "record 0 must register the system key itself");
    }
    return GenesisValidated(id, *key, kRoleSystem);
  }
  if (id == system_id) return SourceFault(1, "record 1 must register the admin key");
  return GenesisValidated(id, *key, kRoleAdmin);
}

}  // namespace

Result<GenesisInfo> Ledger::InitMirror(const std::string& data_dir,
                                       const std::vector<StoredRecord>& genesis,
                                       const ReplicatedCheckpoint& first, std::string_view origin,
                                       std::string_view source) {
  if (!tlog::IsValidOrigin(origin)) {
    return Status(ErrorCode::kInvalidArgument,
                  "the source's origin \"" + std::string(origin) + "\" is not a valid origin");
  }
  if (genesis.size() != 2 || genesis[0].seq != 0 || genesis[1].seq != 1) {
    return Status(ErrorCode::kDataLoss, "the source's genesis is not records 0 and 1");
  }
  // The log's hash is the one record 0 names.
  Result<merkle::HashAlg> hash = LogHashOfGenesis(genesis[0].leaf_data);
  if (!hash.ok()) return SourceFault(0, hash.status().message());
  FUPIN_ASSIGN_OR_RETURN(ServedRecord record0, ReadServed(*hash, genesis[0]));
  FUPIN_ASSIGN_OR_RETURN(ServedRecord record1, ReadServed(*hash, genesis[1]));
  // The system key is the one record 0 registers under its own signature.
  const boost::json::value* public_b64 = record0.envelope.body.if_contains("public_key");
  if (public_b64 == nullptr || !public_b64->is_string()) {
    return SourceFault(0, "genesis key has no public_key");
  }
  Result<crypto::Ed25519PublicKey> system_key =
      crypto::Ed25519PublicKey::FromBase64(public_b64->get_string());
  if (!system_key.ok()) return SourceFault(0, "public_key: " + system_key.status().message());
  const std::string system_id = SystemKeyIdFor(system_key->raw());
  FUPIN_ASSIGN_OR_RETURN(ValidatedEvent validated0,
                         CheckGenesisRecord(record0, 0, system_id, *system_key));
  FUPIN_ASSIGN_OR_RETURN(ValidatedEvent validated1,
                         CheckGenesisRecord(record1, 1, system_id, *system_key));

  GenesisInfo info;
  info.log_id = HexEncode(genesis[0].leaf_hash);
  info.system_key_id = system_id;
  info.system_public_key = Base64Encode(system_key->raw());
  info.admin_key_id = record1.envelope.body.at("key_id").get_string();
  info.hash = *hash;
  info.origin = std::string(origin);
  info.mirror_source = std::string(source);
  FUPIN_ASSIGN_OR_RETURN(note::VerifierKey note_key,
                         note::MakeVerifierKey(info.origin, note::kTypeEd25519, system_key->raw()));
  info.vkey = note::FormatVerifierKey(note_key);

  fs::path db_path = fs::path(data_dir) / sf::kDbDir;
  std::error_code ec;
  if (fs::exists(db_path, ec) || fs::exists(fs::path(data_dir) / sf::kSystemKeyFile, ec)) {
    return Status(ErrorCode::kAlreadyExists, "a ledger already exists in " + data_dir);
  }
  fs::create_directories(data_dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + data_dir + ": " + ec.message());
  // Built beside its place and renamed into it once complete, so a mirror
  // killed while it is created leaves no store without its genesis.
  const fs::path building = fs::path(data_dir) / (std::string(sf::kDbDir) + ".new");
  fs::remove_all(building, ec);
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<StoreDb> db,
                         StoreDb::Open(building.string(), DbMode::kCreate));
  Sequencer sequencer(*db);
  GroupOverlay overlay(*hash);
  const ServedRecord* served[] = {&record0, &record1};
  const ValidatedEvent* validated[] = {&validated0, &validated1};
  Status built = Status::Ok();
  for (std::size_t i = 0; i < 2 && built.ok(); ++i) {
    Result<AppendedEvent> appended = sequencer.AppendTrusted(served[i]->envelope, *validated[i],
                                                             served[i]->recorded_ms, &overlay);
    built = appended.ok() ? SameRecord(genesis[i], appended->leaf_hash, appended->seq)
                          : appended.status();
  }
  if (built.ok()) {
    built = CheckSignedCheckpoint(first.checkpoint, info, *system_key, overlay.frontier.size(),
                                  overlay.frontier.Root());
  }
  if (built.ok()) built = AddReplicatedCheckpointPuts(first, note_key, overlay.puts);
  if (built.ok()) {
    AddGenesisMetaPuts(info, overlay.puts);
    built = db->Write(overlay.puts, /*sync=*/true);
  }
  db.reset();
  if (built.ok()) {
    fs::rename(building, db_path, ec);
    if (ec)
      built =
          Status(ErrorCode::kIoError, "cannot rename " + building.string() + ": " + ec.message());
  }
  if (!built.ok()) {
    fs::remove_all(building, ec);
    return built;
  }
  return info;
}

Status Ledger::Replicate(const std::vector<StoredRecord>& records,
                         const std::optional<ReplicatedCheckpoint>& checkpoint,
                         const ReplicaProof& prove) {
  return impl_->Replicate(records, checkpoint, prove);
}

Status Ledger::Impl::Replicate(const std::vector<StoredRecord>& records,
                               const std::optional<ReplicatedCheckpoint>& checkpoint,
                               const ReplicaProof& prove) {
  if (!options_.mirror) {
    return Status(ErrorCode::kInvalidArgument, "Replicate needs a mirror opened as one");
  }
  const uint64_t start = tree_size();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].seq != start + i) {
      return Status(ErrorCode::kInvalidArgument, "records must continue the log at " +
                                                     std::to_string(start + i) + ", got " +
                                                     std::to_string(records[i].seq));
    }
  }
  // Parsed, and their signatures checked against the committed key
  // registry, on two threads; the sequencer checks again only those whose
  // key changed since.
  std::vector<ServedRecord> served(records.size());
  std::vector<std::optional<SignatureHint>> hints(records.size());
  auto prepare = [&](std::size_t begin, std::size_t end) -> Status {
    for (std::size_t i = begin; i < end; ++i) {
      FUPIN_ASSIGN_OR_RETURN(served[i], ReadServed(info_.hash, records[i]));
      hints[i] = CheckSignature(served[i].envelope);
    }
    return Status::Ok();
  };
  const std::size_t half = records.size() / 2;
  std::future<Status> later = std::async(std::launch::async, prepare, half, records.size());
  Status first_half = prepare(0, half);
  Status second_half = later.get();
  FUPIN_RETURN_IF_ERROR(first_half);  // the lower seq is named first
  FUPIN_RETURN_IF_ERROR(second_half);

  GroupOverlay overlay(frontier_.alg());
  overlay.frontier = frontier_;
  overlay.next_seq = start;
  int64_t previous_ms = last_recorded_ms_;
  for (std::size_t i = 0; i < served.size(); ++i) {
    // The writer never records a time before the previous record's.
    if (served[i].recorded_ms < previous_ms) {
      return SourceFault(records[i].seq, "recorded_at is earlier than the record before");
    }
    previous_ms = served[i].recorded_ms;
    std::size_t failed = 0;
    Result<std::vector<AppendedEvent>> appended = sequencer_.SequenceBatch(
        {served[i].envelope}, {hints[i]}, served[i].recorded_ms, &overlay, &failed);
    if (!appended.ok()) {
      if (IsLocalFailure(appended.status().code())) return appended.status();
      return SourceFault(records[i].seq,
                         "refused as the ledger would refuse it: " + appended.status().ToString());
    }
    if ((*appended)[0].duplicate) {
      return SourceFault(records[i].seq,
                         "repeats the event of seq " + std::to_string((*appended)[0].seq));
    }
    FUPIN_RETURN_IF_ERROR(SameRecord(records[i], (*appended)[0].leaf_hash, (*appended)[0].seq));
  }
  const merkle::Hash root = overlay.frontier.Root();
  FUPIN_RETURN_IF_ERROR(prove(overlay.next_seq, root));
  if (checkpoint) {
    FUPIN_RETURN_IF_ERROR(CheckSignedCheckpoint(checkpoint->checkpoint, info_, system_public_,
                                                overlay.next_seq, root));
    FUPIN_RETURN_IF_ERROR(AddReplicatedCheckpointPuts(*checkpoint, note_key_, overlay.puts));
  }
  if (overlay.puts.empty()) return Status::Ok();
  FUPIN_RETURN_IF_ERROR(db_->Write(overlay.puts, /*sync=*/true));
  frontier_ = overlay.frontier;
  if (!served.empty()) last_recorded_ms_ = served.back().recorded_ms;
  if (checkpoint) checkpoint_size_ = checkpoint->checkpoint.tree_size;
  tree_size_.store(overlay.next_seq, std::memory_order_release);
  return Status::Ok();
}

}  // namespace fupin
