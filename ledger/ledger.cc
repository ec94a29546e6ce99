// Ledger: genesis (Init), opening a data directory (Impl::Load) and the
// system key. The writer is ledger_writer.cc, the reads ledger_reads.cc.
#include "ledger/ledger.h"

#include <boost/json/parse.hpp>
#include <chrono>
#include <filesystem>

#include "ledger/codec.h"
#include "ledger/entity_state.h"
#include "ledger/ledger_impl.h"
#include "ledger/merkle_store.h"
#include "ledger/random.h"
#include "ledger/signing.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin {
namespace sf = store_format;
namespace fs = std::filesystem;

Clock SystemClock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

namespace {

// A key.registered event granting `roles` over all regions, signed by
// `signer` (genesis only). Seq 0's body also names the log's hash when it
// is not SHA-256 (docs/format.md "SM3 logs").
Result<Envelope> GenesisKeyEvent(const std::string& key_id, const crypto::EventPublicKey& key,
                                 std::string_view role, const std::string& signer_id,
                                 const crypto::Ed25519PrivateKey& signer, int64_t now_ms,
                                 std::optional<crypto::HashAlg> log_hash = std::nullopt) {
  FUPIN_ASSIGN_OR_RETURN(std::string id, NewUuid());
  boost::json::object body;
  body["key_id"] = key_id;
  body["alg"] = KeyAlgName(key.alg());
  body["public_key"] = Base64Encode(key.raw());
  body["roles"] = boost::json::array{boost::json::string(role)};
  body["regions"] = boost::json::array{"000000"};
  if (log_hash && *log_hash != crypto::HashAlg::kSha256) {
    body["hash"] = crypto::HashAlgName(*log_hash);
  }
  boost::json::object event;
  event["id"] = id;
  event["type"] = "key.registered";
  event["v"] = 1;
  event["occurred_at"] = FormatUtcMillis(now_ms);
  event["key"] = signer_id;
  event["body"] = std::move(body);
  FUPIN_ASSIGN_OR_RETURN(boost::json::object signed_event, SignEvent(std::move(event), signer));
  return ParseEnvelope(signed_event);
}

bool IsValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void AddGenesisMetaPuts(const GenesisInfo& info, std::vector<DbPut>& puts) {
  puts.push_back({Cf::kMeta, std::string(sf::kMetaOrigin), info.origin});
  puts.push_back({Cf::kMeta, std::string(sf::kMetaLayout), std::string(sf::kLayoutVersion)});
  puts.push_back({Cf::kMeta, std::string(sf::kMetaLogId), info.log_id});
  puts.push_back({Cf::kMeta, std::string(sf::kMetaSystemKeyId), info.system_key_id});
  puts.push_back({Cf::kMeta, std::string(sf::kMetaSystemPublicKey), info.system_public_key});
  if (!info.mirror_source.empty()) {
    puts.push_back({Cf::kMeta, std::string(sf::kMetaMirrorSource), info.mirror_source});
  }
}

std::string SystemKeyIdFor(const std::string& public_raw) {
  return "system-" + HexEncode(crypto::Sha256(public_raw)).substr(0, 16);
}

ValidatedEvent GenesisValidated(const std::string& key_id, const crypto::EventPublicKey& public_key,
                                Role role) {
  KeyState key;
  key.alg = public_key.alg();
  key.public_key = public_key.raw();
  key.roles = role;
  key.regions = {"000000"};
  ValidatedEvent validated;
  validated.stream = "key:" + key_id;
  validated.references = {validated.stream};
  validated.writes.push_back({EntityKind::kKey, key_id, key});
  return validated;
}

Status Ledger::Impl::Load(const std::string& data_dir) {
  data_dir_ = data_dir;
  auto meta = [&](std::string_view name) -> Result<std::string> {
    FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> value, db_->Get(Cf::kMeta, name));
    if (!value.has_value()) {
      return Status(ErrorCode::kDataLoss, "meta entry " + std::string(name) + " missing");
    }
    return std::move(value).value();
  };
  FUPIN_ASSIGN_OR_RETURN(std::string layout, meta(sf::kMetaLayout));
  if (layout != sf::kLayoutVersion) {
    return Status(ErrorCode::kDataLoss, "unsupported store layout " + layout);
  }
  Result<std::string> log_id = meta(sf::kMetaLogId);
  Result<std::string> key_id = meta(sf::kMetaSystemKeyId);
  Result<std::string> public_b64 = meta(sf::kMetaSystemPublicKey);
  for (const auto* r : {&log_id, &key_id, &public_b64}) {
    if (!r->ok()) return r->status();
  }
  info_.log_id = *log_id;
  info_.system_key_id = *key_id;
  info_.system_public_key = *public_b64;
  Result<crypto::Ed25519PublicKey> public_key = crypto::Ed25519PublicKey::FromBase64(*public_b64);
  if (!public_key.ok()) return Status(ErrorCode::kDataLoss, "system public key invalid");
  system_public_ = std::move(public_key).value();
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> origin, db_->Get(Cf::kMeta, sf::kMetaOrigin));
  info_.origin = origin ? *origin : tlog::DefaultOrigin(info_.log_id);
  Result<note::VerifierKey> note_key =
      note::MakeVerifierKey(info_.origin, note::kTypeEd25519, system_public_.raw());
  if (!note_key.ok()) return Status(ErrorCode::kDataLoss, "meta origin is not a valid origin");
  note_key_ = std::move(note_key).value();
  info_.vkey = note::FormatVerifierKey(note_key_);

  FUPIN_ASSIGN_OR_RETURN(std::optional<StoreDb::Entry> last, db_->Last(Cf::kRecords, ""));
  uint64_t size = 0;
  if (last.has_value()) {
    std::optional<uint64_t> seq = sf::ParseUint64Key(last->first);
    if (!seq) return Status(ErrorCode::kDataLoss, "record key malformed");
    size = *seq + 1;
    FUPIN_ASSIGN_OR_RETURN(StoredRecord record, DecodeStoredRecord(last->second));
    FUPIN_ASSIGN_OR_RETURN(int64_t recorded, RecordedAtMillis(record.leaf_data, record.seq));
    last_recorded_ms_ = recorded;
  }
  // The log's hash is the one seq 0 names (every verifier takes it from
  // there too); a store is never without seq 0.
  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> seq0_bytes,
                         db_->Get(Cf::kRecords, sf::Uint64Key(0)));
  if (!seq0_bytes.has_value()) return Status(ErrorCode::kDataLoss, "record 0 missing");
  FUPIN_ASSIGN_OR_RETURN(StoredRecordView seq0, ViewStoredRecord(*seq0_bytes));
  FUPIN_ASSIGN_OR_RETURN(info_.hash, LogHashOfGenesis(seq0.leaf_data));
  StoredMerkleNodes nodes(*db_);
  Result<merkle::Frontier> frontier = merkle::Frontier::Load(info_.hash, nodes, size);
  if (!frontier.ok()) {
    return Status(ErrorCode::kDataLoss,
                  "Merkle tree does not match the log: " + frontier.status().message());
  }
  frontier_ = std::move(frontier).value();
  tree_size_.store(size);

  FUPIN_ASSIGN_OR_RETURN(std::optional<StoreDb::Entry> last_checkpoint,
                         db_->Last(Cf::kCheckpoints, ""));
  if (last_checkpoint.has_value()) {
    FUPIN_ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseCheckpoint(last_checkpoint->second));
    checkpoint_size_ = checkpoint.tree_size;
    Result<int64_t> at = ParseRfc3339Millis(checkpoint.timestamp);
    if (at.ok()) last_checkpoint_ms_ = *at;
  }

  FUPIN_ASSIGN_OR_RETURN(std::optional<std::string> source,
                         db_->Get(Cf::kMeta, sf::kMetaMirrorSource));
  info_.mirror_source = source.value_or("");
  if (options_.mirror && !source) {
    return Status(ErrorCode::kInvalidArgument,
                  data_dir + " holds a ledger, not a mirror (its writes are its own)");
  }
  if (source && !options_.mirror && !options_.read_only) {
    return Status(ErrorCode::kInvalidArgument,
                  data_dir + " is a mirror of " + *source +
                      ": it holds no system key and takes no writes; follow the source with "
                      "`fupin-ledger mirror`");
  }
  if (!options_.read_only && !options_.mirror) {
    std::string pem_path = (fs::path(data_dir) / sf::kSystemKeyFile).string();
    Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::ReadPemFile(pem_path);
    if (!key.ok()) return key.status().WithContext("system key " + pem_path);
    if (key->public_raw() != system_public_.raw()) {
      return Status(ErrorCode::kDataLoss, "system key file does not match the ledger's system key");
    }
    system_key_ = std::make_unique<crypto::Ed25519PrivateKey>(std::move(key).value());
    if (!origin) FUPIN_RETURN_IF_ERROR(BackfillNotes());
    writer_ = std::thread([this] { WriterLoop(); });
  }
  return Status::Ok();
}

Status Ledger::Impl::BackfillNotes() {
  std::vector<DbPut> puts;
  puts.push_back({Cf::kMeta, std::string(sf::kMetaOrigin), info_.origin});
  Status scanned = Status::Ok();
  FUPIN_RETURN_IF_ERROR(
      db_->Scan(Cf::kCheckpoints, "", "", [&](std::string_view key, std::string_view value) {
        Result<std::optional<std::string>> stored = db_->Get(Cf::kNotes, key);
        if (!stored.ok()) {
          scanned = stored.status();
          return false;
        }
        if (stored->has_value()) return true;
        Result<Checkpoint> checkpoint = ParseCheckpoint(value);
        if (!checkpoint.ok()) {
          scanned = checkpoint.status();
          return false;
        }
        puts.push_back({Cf::kNotes, std::string(key),
                        CheckpointNote(*checkpoint, info_.origin, *system_key_)});
        return true;
      }));
  FUPIN_RETURN_IF_ERROR(scanned);
  return db_->Write(puts, /*sync=*/true);
}

Result<Envelope> Ledger::Impl::SignAsSystem(boost::json::object event) const {
  if (options_.read_only || system_key_ == nullptr) {
    return Status(ErrorCode::kUnavailable, "ledger opened read-only");
  }
  event["key"] = info_.system_key_id;
  FUPIN_ASSIGN_OR_RETURN(boost::json::object signed_event,
                         SignEvent(std::move(event), *system_key_));
  return ParseEnvelope(signed_event);
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

Result<GenesisInfo> Ledger::Init(const std::string& data_dir, std::string_view admin_public_key_b64,
                                 std::string_view admin_key_id, const Clock& clock,
                                 std::string_view origin, crypto::HashAlg hash) {
  // The admin key's algorithm follows from its size: 32 raw bytes are an
  // Ed25519 key, a 65-byte uncompressed point an SM2 one.
  Result<std::string> admin_raw = Base64Decode(admin_public_key_b64);
  const KeyAlg admin_alg = admin_raw.ok() && admin_raw->size() == crypto::kSm2PublicKeySize
                               ? KeyAlg::kSm2
                               : KeyAlg::kEd25519;
  Result<crypto::EventPublicKey> admin_key =
      crypto::EventPublicKey::FromBase64(admin_alg, admin_public_key_b64);
  if (!admin_key.ok()) {
    return Status(ErrorCode::kInvalidArgument,
                  "admin public key must be base64 of a 32-byte Ed25519 key or a 65-byte SM2 "
                  "point: " +
                      admin_key.status().message());
  }
  if (!IsValidKeyId(admin_key_id)) {
    return Status(ErrorCode::kInvalidArgument,
                  "admin key id must be 1-64 characters of [A-Za-z0-9._-]");
  }
  if (!origin.empty() && !tlog::IsValidOrigin(origin)) {
    return Status(ErrorCode::kInvalidArgument,
                  "origin \"" + std::string(origin) +
                      "\" must be a schema-less URL without spaces or '+' (at most 255 bytes)");
  }
  fs::path dir(data_dir);
  fs::path pem = dir / sf::kSystemKeyFile;
  fs::path db_path = dir / sf::kDbDir;
  std::error_code ec;
  if (fs::exists(db_path, ec) || fs::exists(pem, ec)) {
    return Status(ErrorCode::kAlreadyExists, "a ledger already exists in " + data_dir);
  }
  fs::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + data_dir + ": " + ec.message());

  FUPIN_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey system_key,
                         crypto::Ed25519PrivateKey::Generate());
  std::string system_id = SystemKeyIdFor(system_key.public_raw());
  if (system_id == admin_key_id) {
    return Status(ErrorCode::kInvalidArgument, "admin key id collides with the system key id");
  }
  int64_t now = clock();
  const crypto::EventPublicKey system_public(system_key.public_key());
  FUPIN_ASSIGN_OR_RETURN(Envelope genesis0, GenesisKeyEvent(system_id, system_public, "system",
                                                            system_id, system_key, now, hash));
  FUPIN_ASSIGN_OR_RETURN(Envelope genesis1, GenesisKeyEvent(std::string(admin_key_id), *admin_key,
                                                            "admin", system_id, system_key, now));

  FUPIN_RETURN_IF_ERROR(system_key.WritePemFile(pem.string()));
  Result<std::unique_ptr<StoreDb>> db = StoreDb::Open(db_path.string(), DbMode::kCreate);
  if (!db.ok()) {
    fs::remove(pem, ec);
    return db.status();
  }
  Sequencer sequencer(**db);
  GroupOverlay overlay(hash);
  Result<AppendedEvent> seq0 = sequencer.AppendTrusted(
      genesis0, GenesisValidated(system_id, system_public, kRoleSystem), now, &overlay);
  Result<AppendedEvent> seq1 =
      seq0.ok() ? sequencer.AppendTrusted(
                      genesis1, GenesisValidated(std::string(admin_key_id), *admin_key, kRoleAdmin),
                      now, &overlay)
                : seq0;
  if (!seq1.ok()) {
    db->reset();
    fs::remove(pem, ec);
    fs::remove_all(db_path, ec);
    return seq1.status();
  }
  GenesisInfo info;
  info.log_id = HexEncode(seq0->leaf_hash);
  info.system_key_id = system_id;
  info.system_public_key = Base64Encode(system_key.public_raw());
  info.admin_key_id = std::string(admin_key_id);
  info.hash = hash;
  info.origin = origin.empty() ? tlog::DefaultOrigin(info.log_id) : std::string(origin);
  FUPIN_ASSIGN_OR_RETURN(
      note::VerifierKey note_key,
      note::MakeVerifierKey(info.origin, note::kTypeEd25519, system_key.public_raw()));
  info.vkey = note::FormatVerifierKey(note_key);

  Checkpoint checkpoint;
  checkpoint.log_id = info.log_id;
  checkpoint.tree_size = overlay.frontier.size();
  checkpoint.root_hash = overlay.frontier.Root();
  checkpoint.timestamp = FormatUtcSeconds(now / 1000);
  checkpoint.key_id = system_id;
  checkpoint.hash = hash;
  AddCheckpointPuts(SignCheckpoint(checkpoint, system_key), info.origin, system_key, overlay.puts);
  AddGenesisMetaPuts(info, overlay.puts);
  Status written = (*db)->Write(overlay.puts, /*sync=*/true);
  if (!written.ok()) {
    db->reset();
    fs::remove(pem, ec);
    fs::remove_all(db_path, ec);
    return written;
  }
  return info;
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& data_dir, LedgerOptions options) {
  std::string db_path = (fs::path(data_dir) / sf::kDbDir).string();
  bool read_only = options.read_only;
  FUPIN_ASSIGN_OR_RETURN(
      std::unique_ptr<StoreDb> db,
      StoreDb::Open(db_path, read_only ? DbMode::kReadOnly : DbMode::kReadWrite,
                    StoreOpenOptions{.memory_bytes = options.store_memory_bytes}));
  auto impl = std::make_unique<Impl>(std::move(db), std::move(options));
  FUPIN_RETURN_IF_ERROR(impl->Load(data_dir));
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

AppendResult Ledger::Append(std::vector<Envelope> batch) { return impl_->Append(std::move(batch)); }

uint64_t Ledger::tree_size() const { return impl_->tree_size(); }
CommitStats Ledger::commit_stats() const {
  CommitStats stats;
  stats.groups = impl_->stats_groups_.load(std::memory_order_relaxed);
  stats.events = impl_->stats_events_.load(std::memory_order_relaxed);
  stats.sync_micros = impl_->stats_sync_micros_.load(std::memory_order_relaxed);
  stats.max_group_events = impl_->stats_max_group_.load(std::memory_order_relaxed);
  return stats;
}
StoreDb& Ledger::store() const { return impl_->db(); }
const GenesisInfo& Ledger::info() const { return impl_->info(); }
const std::string& Ledger::data_dir() const { return impl_->data_dir(); }
Result<Envelope> Ledger::SignAsSystem(boost::json::object unsigned_event) const {
  return impl_->SignAsSystem(std::move(unsigned_event));
}
const crypto::Ed25519PublicKey& Ledger::system_public_key() const { return impl_->system_public(); }

}  // namespace fupin
