#include "ledger/ledger.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include <boost/json/parse.hpp>

#include "ledger/codec.h"
#include "ledger/entity_state.h"
#include "ledger/random.h"
#include "ledger/sequencer.h"
#include "ledger/signing.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"
#include "ledger/time.h"

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

// SPEC §5: a batch holds at most 1000 events.
inline constexpr std::size_t kMaxBatchEvents = 1000;

// Complete-subtree hashes of the committed tree.
class DbNodes : public merkle::NodeReader {
 public:
  explicit DbNodes(const StoreDb& db) : db_(db) {}
  Result<merkle::Hash> Node(merkle::NodeId id) const override {
    Result<std::optional<std::string>> value = db_.Get(Cf::kMerkle, sf::MerkleKey(id));
    if (!value.ok()) return value.status();
    if (!value->has_value()) {
      return Status(ErrorCode::kNotFound, "Merkle node (" + std::to_string(id.level) +
                                              ", " + std::to_string(id.index) + ") missing");
    }
    merkle::Hash hash;
    if ((*value)->size() != hash.size()) {
      return Status(ErrorCode::kDataLoss, "Merkle node of wrong size");
    }
    std::memcpy(hash.data(), (*value)->data(), hash.size());
    return hash;
  }

 private:
  const StoreDb& db_;
};

std::string KeyIdFor(const std::string& public_raw) {
  return "system-" + HexEncode(crypto::Sha256(public_raw)).substr(0, 16);
}

// A key.registered event granting `roles` over all regions, signed by
// `signer` (genesis only).
Result<Envelope> GenesisKeyEvent(const std::string& key_id, const std::string& public_raw,
                                 std::string_view role, const std::string& signer_id,
                                 const crypto::Ed25519PrivateKey& signer, int64_t now_ms) {
  Result<std::string> id = NewUuid();
  if (!id.ok()) return id.status();
  boost::json::object body;
  body["key_id"] = key_id;
  body["alg"] = "ed25519";
  body["public_key"] = Base64Encode(public_raw);
  body["roles"] = boost::json::array{boost::json::string(role)};
  body["regions"] = boost::json::array{"000000"};
  boost::json::object event;
  event["id"] = *id;
  event["type"] = "key.registered";
  event["v"] = 1;
  event["occurred_at"] = FormatUtcMillis(now_ms);
  event["key"] = signer_id;
  event["body"] = std::move(body);
  Result<boost::json::object> signed_event = SignEvent(std::move(event), signer);
  if (!signed_event.ok()) return signed_event.status();
  return ParseEnvelope(*signed_event);
}

ValidatedEvent GenesisValidated(const std::string& key_id, const std::string& public_raw,
                                Role role) {
  KeyState key;
  key.public_key = public_raw;
  key.roles = role;
  key.regions = {"000000"};
  ValidatedEvent validated;
  validated.stream = "key:" + key_id;
  validated.references = {validated.stream};
  validated.writes.push_back({EntityKind::kKey, key_id, key});
  return validated;
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

DbPut CheckpointPut(const Checkpoint& checkpoint) {
  return {Cf::kCheckpoints, sf::Uint64Key(checkpoint.tree_size), CheckpointJson(checkpoint)};
}

}  // namespace

class Ledger::Impl {
 public:
  struct Pending {
    std::vector<Envelope> events;
    std::vector<std::optional<SignatureHint>> hints;
    std::promise<AppendResult> done;
  };

  Impl(std::unique_ptr<StoreDb> db, LedgerOptions options)
      : db_(std::move(db)), options_(std::move(options)), sequencer_(*db_) {}

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (writer_.joinable()) writer_.join();
  }

  Status Load(const std::string& data_dir) {
    data_dir_ = data_dir;
    auto meta = [&](std::string_view name) -> Result<std::string> {
      Result<std::optional<std::string>> value = db_->Get(Cf::kMeta, name);
      if (!value.ok()) return value.status();
      if (!value->has_value()) {
        return Status(ErrorCode::kDataLoss, "meta entry " + std::string(name) + " missing");
      }
      return std::move(value).value().value();
    };
    Result<std::string> layout = meta(sf::kMetaLayout);
    if (!layout.ok()) return layout.status();
    if (*layout != sf::kLayoutVersion) {
      return Status(ErrorCode::kDataLoss, "unsupported store layout " + *layout);
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
    Result<crypto::Ed25519PublicKey> public_key =
        crypto::Ed25519PublicKey::FromBase64(*public_b64);
    if (!public_key.ok()) return Status(ErrorCode::kDataLoss, "system public key invalid");
    system_public_ = std::move(public_key).value();

    Result<std::optional<std::pair<std::string, std::string>>> last =
        db_->Last(Cf::kRecords, "");
    if (!last.ok()) return last.status();
    uint64_t size = 0;
    if (last->has_value()) {
      std::optional<uint64_t> seq = sf::ParseUint64Key((*last)->first);
      if (!seq) return Status(ErrorCode::kDataLoss, "record key malformed");
      size = *seq + 1;
      Result<StoredRecord> record = DecodeStoredRecord((*last)->second);
      if (!record.ok()) return record.status();
      Result<int64_t> recorded = RecordedAtMillis(*record);
      if (!recorded.ok()) return recorded.status();
      last_recorded_ms_ = *recorded;
    }
    DbNodes nodes(*db_);
    Result<merkle::Frontier> frontier = merkle::Frontier::Load(nodes, size);
    if (!frontier.ok()) {
      return Status(ErrorCode::kDataLoss, "Merkle tree does not match the log: " +
                                              frontier.status().message());
    }
    frontier_ = std::move(frontier).value();
    tree_size_.store(size);

    Result<std::optional<std::pair<std::string, std::string>>> last_checkpoint =
        db_->Last(Cf::kCheckpoints, "");
    if (!last_checkpoint.ok()) return last_checkpoint.status();
    if (last_checkpoint->has_value()) {
      Result<Checkpoint> checkpoint = ParseCheckpoint((*last_checkpoint)->second);
      if (!checkpoint.ok()) return checkpoint.status();
      checkpoint_size_ = checkpoint->tree_size;
      Result<int64_t> at = ParseRfc3339Millis(checkpoint->timestamp);
      if (at.ok()) last_checkpoint_ms_ = *at;
    }

    if (!options_.read_only) {
      std::string pem_path = (fs::path(data_dir) / sf::kSystemKeyFile).string();
      Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::ReadPemFile(pem_path);
      if (!key.ok()) return key.status().WithContext("system key " + pem_path);
      if (key->public_raw() != system_public_.raw()) {
        return Status(ErrorCode::kDataLoss,
                      "system key file does not match the ledger's system key");
      }
      system_key_ = std::make_unique<crypto::Ed25519PrivateKey>(std::move(key).value());
      writer_ = std::thread([this] { WriterLoop(); });
    }
    return Status::Ok();
  }

  Result<Envelope> SignAsSystem(boost::json::object event) const {
    if (options_.read_only || system_key_ == nullptr) {
      return Status(ErrorCode::kUnavailable, "ledger opened read-only");
    }
    event["key"] = info_.system_key_id;
    Result<boost::json::object> signed_event = SignEvent(std::move(event), *system_key_);
    if (!signed_event.ok()) return signed_event.status();
    return ParseEnvelope(*signed_event);
  }

  AppendResult Append(std::vector<Envelope> batch) {
    AppendResult result;
    if (options_.read_only || system_key_ == nullptr) {
      result.status = Status(ErrorCode::kUnavailable, "ledger opened read-only");
      return result;
    }
    if (batch.empty()) {
      result.status = Status(ErrorCode::kInvalidArgument, "empty batch");
      return result;
    }
    if (batch.size() > kMaxBatchEvents) {
      result.status = Status(ErrorCode::kBatchTooLarge,
                             "a batch holds at most 1000 events, got " +
                                 std::to_string(batch.size()));
      return result;
    }
    auto pending = std::make_unique<Pending>();
    pending->hints = CheckSignatures(batch);
    pending->events = std::move(batch);
    std::future<AppendResult> done = pending->done.get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        result.status = Status(ErrorCode::kUnavailable, "ledger is shutting down");
        return result;
      }
      queue_.push_back(std::move(pending));
    }
    cv_.notify_all();
    return done.get();
  }

  // --- reads ---
  StoreDb& db() const { return *db_; }
  uint64_t tree_size() const { return tree_size_.load(std::memory_order_acquire); }
  const GenesisInfo& info() const { return info_; }
  const std::string& data_dir() const { return data_dir_; }
  const crypto::Ed25519PublicKey& system_public() const { return system_public_; }

 private:
  static Result<int64_t> RecordedAtMillis(const StoredRecord& record) {
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(record.leaf_data, ec);
    const boost::json::value* at =
        ec ? nullptr : parsed.as_object().if_contains("recorded_at");
    if (at == nullptr || !at->is_string()) {
      return Status(ErrorCode::kDataLoss,
                    "record " + std::to_string(record.seq) + " has no recorded_at");
    }
    return ParseRfc3339Millis(at->get_string());
  }

  // Verifies signatures on the caller's thread against the committed key
  // registry; the writer re-checks only what changed since.
  std::vector<std::optional<SignatureHint>> CheckSignatures(
      const std::vector<Envelope>& batch) const {
    std::vector<std::optional<SignatureHint>> hints(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Result<std::optional<std::string>> stored = db_->Get(
          Cf::kState, sf::StateKey(static_cast<uint8_t>(EntityKind::kKey), batch[i].key_id));
      if (!stored.ok() || !stored->has_value()) continue;
      Result<EntityState> state = DecodeEntityState(**stored);
      if (!state.ok()) continue;
      const KeyState* key = std::get_if<KeyState>(&*state);
      if (key == nullptr) continue;
      Result<crypto::Ed25519PublicKey> public_key =
          crypto::Ed25519PublicKey::FromRaw(key->public_key);
      if (!public_key.ok()) continue;
      hints[i] = SignatureHint{
          key->public_key,
          public_key->Verify(batch[i].signing_input, batch[i].signature)};
    }
    return hints;
  }

  void WriterLoop() {
    for (;;) {
      std::vector<std::unique_ptr<Pending>> group;
      bool stop = false;
      {
        std::unique_lock<std::mutex> lock(mu_);
        auto ready = [&] { return stopping_ || !queue_.empty(); };
        if (checkpoint_size_ < tree_size()) {
          cv_.wait_for(lock, std::chrono::milliseconds(CheckpointWaitMs()), ready);
        } else {
          cv_.wait(lock, ready);
        }
        std::size_t events = 0;
        while (!queue_.empty() && events < options_.max_group_events) {
          events += queue_.front()->events.size();
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        stop = stopping_ && queue_.empty();
      }
      if (!group.empty()) CommitGroup(group);
      int64_t now = options_.clock();
      if (checkpoint_size_ < tree_size() &&
          (stop || now - last_checkpoint_ms_ >= options_.checkpoint_interval_ms)) {
        std::vector<DbPut> puts;
        Checkpoint checkpoint = MakeCheckpoint(frontier_, now);
        puts.push_back(CheckpointPut(checkpoint));
        if (db_->Write(puts, true).ok()) NoteCheckpoint(checkpoint, now);
      }
      if (stop) return;
    }
  }

  int64_t CheckpointWaitMs() const {
    int64_t due = last_checkpoint_ms_ + options_.checkpoint_interval_ms - options_.clock();
    return std::max<int64_t>(due, 1);
  }

  Checkpoint MakeCheckpoint(const merkle::Frontier& frontier, int64_t now) const {
    Checkpoint checkpoint;
    checkpoint.log_id = info_.log_id;
    checkpoint.tree_size = frontier.size();
    checkpoint.root_hash = frontier.Root();
    checkpoint.timestamp = FormatUtcSeconds(std::max(now, last_checkpoint_ms_) / 1000);
    checkpoint.key_id = info_.system_key_id;
    return SignCheckpoint(std::move(checkpoint), *system_key_);
  }

  void NoteCheckpoint(const Checkpoint& checkpoint, int64_t now) {
    checkpoint_size_ = checkpoint.tree_size;
    last_checkpoint_ms_ = std::max(now, last_checkpoint_ms_);
  }

  void CommitGroup(std::vector<std::unique_ptr<Pending>>& group) {
    int64_t now = options_.clock();
    int64_t recorded_ms = std::max(now, last_recorded_ms_);
    GroupOverlay overlay;
    overlay.frontier = frontier_;
    overlay.next_seq = tree_size();
    std::vector<AppendResult> results(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) {
      Result<std::vector<AppendedEvent>> appended = sequencer_.SequenceBatch(
          group[i]->events, group[i]->hints, recorded_ms, &overlay,
          &results[i].failed_index);
      if (appended.ok()) {
        results[i].events = std::move(appended).value();
      } else {
        results[i].status = appended.status();
      }
    }
    Status written = Status::Ok();
    if (!overlay.puts.empty()) {
      std::optional<Checkpoint> checkpoint;
      if (now - last_checkpoint_ms_ >= options_.checkpoint_interval_ms) {
        checkpoint = MakeCheckpoint(overlay.frontier, now);
        overlay.puts.push_back(CheckpointPut(*checkpoint));
      }
      auto started = std::chrono::steady_clock::now();
      written = db_->Write(overlay.puts, /*sync=*/true);
      uint64_t micros = static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                started)
              .count());
      if (written.ok()) {
        uint64_t events = overlay.next_seq - tree_size();
        stats_groups_.fetch_add(1, std::memory_order_relaxed);
        stats_events_.fetch_add(events, std::memory_order_relaxed);
        stats_sync_micros_.fetch_add(micros, std::memory_order_relaxed);
        if (events > stats_max_group_.load(std::memory_order_relaxed)) {
          stats_max_group_.store(events, std::memory_order_relaxed);
        }
        frontier_ = overlay.frontier;
        last_recorded_ms_ = recorded_ms;
        tree_size_.store(overlay.next_seq, std::memory_order_release);
        if (checkpoint) NoteCheckpoint(*checkpoint, now);
      }
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (results[i].ok() && !written.ok()) results[i].status = written;
      results[i].tree_size = tree_size();
      group[i]->done.set_value(std::move(results[i]));
    }
  }

  std::unique_ptr<StoreDb> db_;
  LedgerOptions options_;
  Sequencer sequencer_;
  GenesisInfo info_;
  std::string data_dir_;
  crypto::Ed25519PublicKey system_public_;
  std::unique_ptr<crypto::Ed25519PrivateKey> system_key_;

  std::atomic<uint64_t> tree_size_{0};
  std::atomic<uint64_t> stats_groups_{0};
  std::atomic<uint64_t> stats_events_{0};
  std::atomic<uint64_t> stats_sync_micros_{0};
  std::atomic<uint64_t> stats_max_group_{0};
  // Writer-thread state.
  merkle::Frontier frontier_;
  int64_t last_recorded_ms_ = 0;
  uint64_t checkpoint_size_ = 0;
  int64_t last_checkpoint_ms_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool stopping_ = false;
  std::thread writer_;

  friend class Ledger;
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

Result<GenesisInfo> Ledger::Init(const std::string& data_dir,
                                 std::string_view admin_public_key_b64,
                                 std::string_view admin_key_id, const Clock& clock) {
  Result<crypto::Ed25519PublicKey> admin_key =
      crypto::Ed25519PublicKey::FromBase64(admin_public_key_b64);
  if (!admin_key.ok()) {
    return Status(ErrorCode::kInvalidArgument,
                  "admin public key: " + admin_key.status().message());
  }
  if (!IsValidKeyId(admin_key_id)) {
    return Status(ErrorCode::kInvalidArgument,
                  "admin key id must be 1-64 characters of [A-Za-z0-9._-]");
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

  Result<crypto::Ed25519PrivateKey> system_key = crypto::Ed25519PrivateKey::Generate();
  if (!system_key.ok()) return system_key.status();
  std::string system_id = KeyIdFor(system_key->public_raw());
  if (system_id == admin_key_id) {
    return Status(ErrorCode::kInvalidArgument, "admin key id collides with the system key id");
  }
  int64_t now = clock();
  Result<Envelope> genesis0 = GenesisKeyEvent(system_id, system_key->public_raw(), "system",
                                              system_id, *system_key, now);
  if (!genesis0.ok()) return genesis0.status();
  Result<Envelope> genesis1 =
      GenesisKeyEvent(std::string(admin_key_id), admin_key->raw(), "admin", system_id,
                      *system_key, now);
  if (!genesis1.ok()) return genesis1.status();

  FUPIN_RETURN_IF_ERROR(system_key->WritePemFile(pem.string()));
  Result<std::unique_ptr<StoreDb>> db = StoreDb::Open(db_path.string(), DbMode::kCreate);
  if (!db.ok()) {
    fs::remove(pem, ec);
    return db.status();
  }
  Sequencer sequencer(**db);
  GroupOverlay overlay;
  Result<AppendedEvent> seq0 = sequencer.AppendTrusted(
      *genesis0, GenesisValidated(system_id, system_key->public_raw(), kRoleSystem), now,
      &overlay);
  Result<AppendedEvent> seq1 =
      seq0.ok() ? sequencer.AppendTrusted(
                      *genesis1,
                      GenesisValidated(std::string(admin_key_id), admin_key->raw(), kRoleAdmin),
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
  info.system_public_key = Base64Encode(system_key->public_raw());
  info.admin_key_id = std::string(admin_key_id);

  Checkpoint checkpoint;
  checkpoint.log_id = info.log_id;
  checkpoint.tree_size = overlay.frontier.size();
  checkpoint.root_hash = overlay.frontier.Root();
  checkpoint.timestamp = FormatUtcSeconds(now / 1000);
  checkpoint.key_id = system_id;
  overlay.puts.push_back(CheckpointPut(SignCheckpoint(checkpoint, *system_key)));
  overlay.puts.push_back({Cf::kMeta, std::string(sf::kMetaLayout), std::string(sf::kLayoutVersion)});
  overlay.puts.push_back({Cf::kMeta, std::string(sf::kMetaLogId), info.log_id});
  overlay.puts.push_back({Cf::kMeta, std::string(sf::kMetaSystemKeyId), system_id});
  overlay.puts.push_back({Cf::kMeta, std::string(sf::kMetaSystemPublicKey), info.system_public_key});
  Status written = (*db)->Write(overlay.puts, /*sync=*/true);
  if (!written.ok()) {
    db->reset();
    fs::remove(pem, ec);
    fs::remove_all(db_path, ec);
    return written;
  }
  return info;
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& data_dir,
                                             LedgerOptions options) {
  std::string db_path = (fs::path(data_dir) / sf::kDbDir).string();
  bool read_only = options.read_only;
  Result<std::unique_ptr<StoreDb>> db =
      StoreDb::Open(db_path, read_only ? DbMode::kReadOnly : DbMode::kReadWrite);
  if (!db.ok()) return db.status();
  auto impl = std::make_unique<Impl>(std::move(db).value(), std::move(options));
  FUPIN_RETURN_IF_ERROR(impl->Load(data_dir));
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

AppendResult Ledger::Append(std::vector<Envelope> batch) {
  return impl_->Append(std::move(batch));
}

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
const crypto::Ed25519PublicKey& Ledger::system_public_key() const {
  return impl_->system_public();
}

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

Result<std::vector<StreamEntry>> Ledger::ReadStream(std::string_view stream,
                                                    uint64_t from_version,
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

Result<std::vector<uint64_t>> Ledger::ReferencingSeqs(std::string_view entity,
                                                      uint64_t from_seq,
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
  Result<std::optional<std::string>> value =
      impl_->db().Get(Cf::kCheckpoints, sf::Uint64Key(size));
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return Status(ErrorCode::kNotFound, "no checkpoint at tree size " + std::to_string(size));
  }
  return ParseCheckpoint(**value);
}

Result<merkle::Hash> Ledger::RootAt(uint64_t size) const {
  if (size > tree_size()) {
    return Status(ErrorCode::kInvalidArgument, "tree size " + std::to_string(size) +
                                                   " beyond the log (" +
                                                   std::to_string(tree_size()) + ")");
  }
  return merkle::Root(DbNodes(impl_->db()), size);
}

Result<std::vector<merkle::Hash>> Ledger::InclusionPath(uint64_t seq, uint64_t size) const {
  if (size > tree_size()) {
    return Status(ErrorCode::kInvalidArgument, "tree size " + std::to_string(size) +
                                                   " beyond the log");
  }
  return merkle::InclusionPath(DbNodes(impl_->db()), seq, size);
}

Result<std::vector<merkle::Hash>> Ledger::ConsistencyPath(uint64_t first,
                                                          uint64_t second) const {
  if (second > tree_size()) {
    return Status(ErrorCode::kInvalidArgument, "tree size " + std::to_string(second) +
                                                   " beyond the log");
  }
  return merkle::ConsistencyPath(DbNodes(impl_->db()), first, second);
}

}  // namespace fupin
