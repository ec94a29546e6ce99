// Checking an evidence bundle offline (docs/bundle.md, "Verification").
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <map>
#include <set>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/event_types.h"
#include "ledger/merkle.h"
#include "ledger/tlog_checkpoint.h"
#include "ledger/validation_internal.h"
#include "replay/bundle.h"
#include "replay/bundle_summary.h"
#include "replay/replay_source.h"
#include "replay/signatures.h"

namespace fupin::replay {
namespace {

namespace bj = boost::json;

// A report with every row of a province is the largest leaf (~40 KiB);
// a bundle string holds one leaf.
inline constexpr std::size_t kMaxBundleString = 1 << 20;

struct BundleRecord {
  uint64_t seq = 0;
  std::string leaf_data;
  LeafFields leaf;
  merkle::Hash leaf_hash{};
};

class Verifier {
 public:
  Verifier(const TrustAnchor& anchor, const WitnessPolicy* policy, BundleVerification& out)
      : anchor_(anchor), policy_(policy), out_(out) {}

  void Run(std::string_view text);

 private:
  void Fail(std::string failure) { out_.failures.push_back(std::move(failure)); }
  // Members of `object` must be exactly `names`.
  bool ExactMembers(const bj::object& object, std::initializer_list<std::string_view> names,
                    const std::string& part);
  const bj::string* String(const bj::object& object, std::string_view name,
                           const std::string& part);
  std::optional<uint64_t> Seq(const bj::value& value, const std::string& part);

  bool CheckCheckpoint(const bj::object& bundle);
  // v2: the checkpoint's C2SP note, and the witnesses' cosignatures.
  void CheckNote(const bj::value* note);
  void CheckRecords(const bj::array& records);
  void CheckGenesis(const bj::object& bundle);
  void CheckKeys(const bj::array& keys);
  void CheckSignatures();
  void CheckTrail(const bj::array& trail);
  void CheckChain(const bj::value& chain);
  void CheckSummary(const bj::object& bundle);

  const TrustAnchor& anchor_;
  const WitnessPolicy* policy_;
  BundleVerification& out_;
  std::string anchor_key_;  // base64 of the key the checkpoint was checked with
  std::string entity_;
  Checkpoint checkpoint_;
  std::map<uint64_t, BundleRecord> records_;
  // key id -> registration seq -> base64 public key (checked entries only)
  std::map<std::string, std::map<uint64_t, PublicKeyText>> keys_;
  std::set<uint64_t> referenced_;  // seqs the trail, chain or keys use
  std::vector<uint64_t> trail_;
  std::string chain_stream_;
  std::size_t chain_length_ = 0;
};

bool Verifier::ExactMembers(const bj::object& object, std::initializer_list<std::string_view> names,
                            const std::string& part) {
  for (const auto& member : object) {
    if (std::find(names.begin(), names.end(), member.key()) == names.end()) {
      Fail(part + ": unknown member \"" + std::string(member.key()) + "\"");
      return false;
    }
  }
  for (std::string_view name : names) {
    if (!object.contains(name)) {
      Fail(part + ": member \"" + std::string(name) + "\" missing");
      return false;
    }
  }
  return true;
}

const bj::string* Verifier::String(const bj::object& object, std::string_view name,
                                   const std::string& part) {
  const bj::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    Fail(part + ": \"" + std::string(name) + "\" is not a string");
    return nullptr;
  }
  return &value->get_string();
}

std::optional<uint64_t> Verifier::Seq(const bj::value& value, const std::string& part) {
  if (!value.is_int64() || value.get_int64() < 0) {
    Fail(part + ": not a seq");
    return std::nullopt;
  }
  return static_cast<uint64_t>(value.get_int64());
}

bool Verifier::CheckCheckpoint(const bj::object& bundle) {
  const bj::value& value = bundle.at("checkpoint");
  if (!value.is_object()) {
    Fail("checkpoint: not an object");
    return false;
  }
  Result<Checkpoint> checkpoint = ParseCheckpoint(bj::serialize(value));
  if (!checkpoint.ok()) {
    Fail("checkpoint: " + checkpoint.status().message());
    return false;
  }
  checkpoint_ = *checkpoint;
  const bj::string* bundle_key = String(bundle, "system_public_key", "system key");
  const bj::string* log_id = String(bundle, "log_id", "log id");
  if (bundle_key == nullptr || log_id == nullptr) return false;
  std::string anchor_key = anchor_.system_key_b64.value_or(std::string(*bundle_key));
  if (anchor_.system_key_b64 && *anchor_.system_key_b64 != *bundle_key) {
    Fail("system key: the bundle's system_public_key is not the trust anchor's");
  }
  anchor_key_ = anchor_key;
  Result<crypto::Ed25519PublicKey> key = crypto::Ed25519PublicKey::FromBase64(anchor_key);
  if (!key.ok()) {
    Fail("system key: " + key.status().message());
  } else if (!VerifyCheckpoint(checkpoint_, *key)) {
    Fail("checkpoint signature: does not verify with the system key");
  }
  if (checkpoint_.log_id != *log_id) Fail("log id: the checkpoint names another log");
  if (anchor_.log_id && *anchor_.log_id != *log_id) {
    Fail("log id: the bundle's log is not " + *anchor_.log_id);
  }
  out_.stats.checkpoint_tree_size = checkpoint_.tree_size;
  return true;
}

void Verifier::CheckRecords(const bj::array& records) {
  std::optional<uint64_t> previous;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string part = "record at index " + std::to_string(i);
    const bj::object* object = records[i].if_object();
    if (object == nullptr) {
      Fail(part + ": not an object");
      continue;
    }
    if (!ExactMembers(*object, {"seq", "leaf", "proof"}, part)) continue;
    std::optional<uint64_t> seq = Seq(object->at("seq"), part);
    const bj::string* leaf_data = String(*object, "leaf", part);
    if (!seq || leaf_data == nullptr) continue;
    const std::string name = "record " + std::to_string(*seq);
    if (previous && *seq <= *previous)
      Fail(name + ": records are not in strictly rising seq order");
    previous = seq;
    Result<LeafFields> leaf = ParseLeaf(*leaf_data);
    if (!leaf.ok()) {
      Fail(name + ": " + leaf.status().message());
      continue;
    }
    if (leaf->seq != *seq) Fail(name + ": its leaf data holds seq " + std::to_string(leaf->seq));
    // Hashed with the log's hash as the signed checkpoint names it; seq 0
    // must name the same (CheckGenesis).
    BundleRecord record{*seq, std::string(*leaf_data), std::move(leaf).value(),
                        merkle::LeafHash(checkpoint_.hash, *leaf_data)};
    Result<std::vector<merkle::Hash>> parsed_path = ParseHexPath(object->at("proof"));
    const bool path_ok = parsed_path.ok();
    std::vector<merkle::Hash> path =
        path_ok ? std::move(parsed_path).value() : std::vector<merkle::Hash>();
    const std::string proof_part = "proof of seq " + std::to_string(*seq);
    if (!path_ok) {
      Fail(proof_part + ": not a list of hex hashes");
    } else if (*seq >= checkpoint_.tree_size) {
      Fail(proof_part + ": beyond the checkpoint's tree size " +
           std::to_string(checkpoint_.tree_size));
    } else {
      Status verified = merkle::VerifyInclusion(checkpoint_.hash, *seq, checkpoint_.tree_size,
                                                record.leaf_hash, path, checkpoint_.root_hash);
      if (!verified.ok()) Fail(proof_part + ": " + verified.message());
    }
    if (!records_.emplace(*seq, std::move(record)).second) Fail(name + ": included twice");
  }
  out_.stats.records = records_.size();
}

void Verifier::CheckGenesis(const bj::object& bundle) {
  // The log id is the leaf hash of seq 0, the self-signed registration of
  // the system key: it ties the bundle's system key to the log.
  auto genesis = records_.find(0);
  if (genesis == records_.end()) {
    Fail("log id: the genesis record (seq 0) is not in the bundle");
    return;
  }
  const bj::string* log_id = bundle.at("log_id").if_string();
  if (log_id == nullptr || HexEncode(genesis->second.leaf_hash) != *log_id) {
    Fail("log id: the leaf hash of seq 0 is not the log id");
  }
  Result<merkle::HashAlg> hash = LogHashOfGenesis(genesis->second.leaf_data);
  if (!hash.ok() || *hash != checkpoint_.hash) {
    Fail("log hash: seq 0 does not name the hash the checkpoint names (" +
         std::string(crypto::HashAlgName(checkpoint_.hash)) + ")");
  }
  const bj::string* key_id = String(bundle, "system_key_id", "system key");
  const bj::string* public_key = bundle.at("system_public_key").if_string();
  if (key_id == nullptr || public_key == nullptr) return;
  Result<PublicKeyText> registered = RegisteredPublicKey(genesis->second.leaf, *key_id);
  if (!registered.ok() || registered->b64 != *public_key ||
      genesis->second.leaf.key_id != *key_id) {
    Fail("system key: seq 0 does not register the bundle's system key");
  }
  if (checkpoint_.key_id != *key_id) Fail("checkpoint: signed by another key than the system key");
}

void Verifier::CheckKeys(const bj::array& keys) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string part = "key at index " + std::to_string(i);
    const bj::object* object = keys[i].if_object();
    if (object == nullptr) {
      Fail(part + ": not an object");
      continue;
    }
    if (!ExactMembers(*object, {"key_id", "public_key", "registered_seq"}, part)) continue;
    const bj::string* key_id = String(*object, "key_id", part);
    const bj::string* public_key = String(*object, "public_key", part);
    std::optional<uint64_t> seq = Seq(object->at("registered_seq"), part);
    if (key_id == nullptr || public_key == nullptr || !seq) continue;
    const std::string name = "key " + std::string(*key_id);
    auto record = records_.find(*seq);
    if (record == records_.end()) {
      Fail(name + ": its registration (seq " + std::to_string(*seq) + ") is not in the bundle");
      continue;
    }
    // The bundle lists the key's bytes; its algorithm is the registration's.
    Result<PublicKeyText> registered = RegisteredPublicKey(record->second.leaf, *key_id);
    if (!registered.ok() || registered->b64 != *public_key) {
      Fail(name + ": seq " + std::to_string(*seq) + " does not register this public key");
      continue;
    }
    referenced_.insert(*seq);
    keys_[std::string(*key_id)][*seq] = std::move(registered).value();
  }
  out_.stats.keys = keys.size();
}

void Verifier::CheckSignatures() {
  for (const auto& [seq, record] : records_) {
    const std::string part = "record " + std::to_string(seq) + " signature";
    auto key = keys_.find(record.leaf.key_id);
    const std::map<uint64_t, PublicKeyText>* regs = key == keys_.end() ? nullptr : &key->second;
    auto in_force =
        regs ? regs->upper_bound(seq) : std::map<uint64_t, PublicKeyText>::const_iterator();
    if (regs == nullptr || in_force == regs->begin()) {
      Fail(part + ": key " + record.leaf.key_id + " is not registered before it in the bundle");
      continue;
    }
    --in_force;
    Result<bool> valid = VerifyEventSignature(record.leaf, in_force->second);
    if (!valid.ok()) {
      Fail(part + ": " + valid.status().message());
    } else if (!*valid) {
      Fail(part + ": does not verify with key " + record.leaf.key_id);
    }
  }
}

void Verifier::CheckTrail(const bj::array& trail) {
  std::optional<uint64_t> last;
  for (const bj::value& value : trail) {
    std::optional<uint64_t> seq = Seq(value, "trail");
    if (!seq) return;
    if (last && *seq <= *last) {
      Fail("trail: seqs are not in strictly rising order");
      return;
    }
    last = seq;
    auto record = records_.find(*seq);
    if (record == records_.end()) {
      Fail("trail: seq " + std::to_string(*seq) + " is not in the bundle");
      continue;
    }
    // Only records in the bundle enter the trail the summary is built from.
    trail_.push_back(*seq);
    referenced_.insert(*seq);
    const LeafFields& leaf = record->second.leaf;
    std::vector<std::string> names{leaf.stream};
    std::optional<EventType> type = ParseEventType(leaf.type);
    const bj::value* body = leaf.event.if_contains("body");
    if (type && body != nullptr && body->is_object()) {
      Result<EventBody> parsed = ParseEventBody(*type, body->as_object());
      if (parsed.ok()) internal::AppendReferences(*parsed, names);
    }
    if (std::find(names.begin(), names.end(), entity_) == names.end()) {
      Fail("trail: seq " + std::to_string(*seq) + " does not name " + entity_);
    }
  }
  if (trail.empty()) Fail("trail: empty");
  out_.stats.trail = trail_.size();
}

void Verifier::CheckChain(const bj::value& chain) {
  const std::string expected = OwnStream(entity_);
  if (chain.is_null()) {
    if (!expected.empty()) Fail("chain: missing for " + entity_);
    return;
  }
  const bj::object* object = chain.if_object();
  if (object == nullptr) {
    Fail("chain: not an object or null");
    return;
  }
  if (!ExactMembers(*object, {"stream", "seqs"}, "chain")) return;
  const bj::string* stream = String(*object, "stream", "chain");
  const bj::array* seqs = object->at("seqs").if_array();
  if (stream == nullptr || seqs == nullptr) {
    if (seqs == nullptr) Fail("chain: seqs is not an array");
    return;
  }
  if (*stream != expected)
    Fail("chain: stream " + std::string(*stream) + " is not " + entity_ + "'s");
  chain_stream_ = std::string(*stream);
  std::set<uint64_t> in_chain;
  const BundleRecord* previous = nullptr;
  for (std::size_t i = 0; i < seqs->size(); ++i) {
    const std::string part = "chain version " + std::to_string(i + 1);
    std::optional<uint64_t> seq = Seq((*seqs)[i], part);
    if (!seq) return;
    auto record = records_.find(*seq);
    if (record == records_.end()) {
      Fail(part + ": seq " + std::to_string(*seq) + " is not in the bundle");
      return;
    }
    referenced_.insert(*seq);
    in_chain.insert(*seq);
    const LeafFields& leaf = record->second.leaf;
    const std::string prev = previous ? HexEncode(previous->leaf_hash) : std::string();
    if (leaf.stream != *stream || leaf.stream_version != i + 1 || leaf.prev_stream_hash != prev) {
      Fail(part + ": seq " + std::to_string(*seq) +
           " is not the next link (stream, version or prev_stream_hash)");
      return;
    }
    previous = &record->second;
  }
  chain_length_ = seqs->size();
  out_.stats.chain = chain_length_;
  for (uint64_t seq : trail_) {
    if (records_.at(seq).leaf.stream == *stream && !in_chain.contains(seq)) {
      Fail("chain: trail seq " + std::to_string(seq) + " lies on the stream but not in the chain");
    }
  }
}

void Verifier::CheckSummary(const bj::object& bundle) {
  const bj::string* summary = String(bundle, "summary", "summary");
  if (summary == nullptr) return;
  SummaryInput input{entity_, {}, chain_stream_, chain_length_, {}, &checkpoint_};
  for (uint64_t seq : trail_) input.trail.push_back(&records_.at(seq).leaf);
  for (const auto& [key_id, regs] : keys_) input.key_ids.push_back(key_id);
  if (BundleSummary(input) != *summary) Fail("summary: differs from the one the records give");
}

void Verifier::Run(std::string_view text) {
  json::ParseLimits limits;
  limits.max_string_bytes = kMaxBundleString;
  Result<bj::value> parsed = json::ParseStrict(text, limits);
  const bj::object* bundle = parsed.ok() ? parsed->if_object() : nullptr;
  const bj::value* format = bundle ? bundle->if_contains("format") : nullptr;
  const bool v2 = format != nullptr && format->is_string() && format->get_string() == kBundleFormat;
  if (bundle == nullptr || format == nullptr || !format->is_string() ||
      (!v2 && format->get_string() != kBundleFormatV1)) {
    out_.readable = false;
    Fail(parsed.ok() ? "format: not a " + std::string(kBundleFormat) + " bundle"
                     : "format: not JSON (" + parsed.status().message() + ")");
    return;
  }
  if (v2 ? !ExactMembers(
               *bundle,
               {"format", "entity", "log_id", "system_key_id", "system_public_key", "checkpoint",
                "checkpoint_note", "records", "trail", "chain", "keys", "summary"},
               "format")
         : !ExactMembers(*bundle,
                         {"format", "entity", "log_id", "system_key_id", "system_public_key",
                          "checkpoint", "records", "trail", "chain", "keys", "summary"},
                         "format")) {
    return;
  }
  const bj::string* entity = String(*bundle, "entity", "trail");
  if (entity == nullptr) return;
  Result<std::string> parsed_entity = ParseEntity(*entity);
  if (!parsed_entity.ok() || *parsed_entity != *entity) {
    Fail("trail: entity \"" + std::string(*entity) + "\" is not KIND:ID");
    return;
  }
  entity_ = *parsed_entity;
  out_.stats.entity = entity_;
  if (!CheckCheckpoint(*bundle)) return;
  CheckNote(bundle->if_contains("checkpoint_note"));
  const bj::array* records = bundle->at("records").if_array();
  const bj::array* keys = bundle->at("keys").if_array();
  const bj::array* trail = bundle->at("trail").if_array();
  if (records == nullptr || keys == nullptr || trail == nullptr) {
    Fail(records == nullptr ? "record: \"records\" is not an array"
         : keys == nullptr  ? "key: \"keys\" is not an array"
                            : "trail: not an array");
    return;
  }
  CheckRecords(*records);
  CheckGenesis(*bundle);
  CheckKeys(*keys);
  CheckSignatures();
  CheckTrail(*trail);
  CheckChain(bundle->at("chain"));
  for (const auto& [seq, record] : records_) {
    if (!referenced_.contains(seq)) {
      Fail("record " + std::to_string(seq) + ": not used by the trail, the chain or a key");
    }
  }
  CheckSummary(*bundle);
}

void Verifier::CheckNote(const bj::value* value) {
  if (value == nullptr || value->is_null()) {
    if (policy_ != nullptr && policy_->quorum > 0) {
      Fail("witnesses: the bundle carries no cosigned checkpoint note");
    }
    return;
  }
  if (!value->is_string()) {
    Fail("checkpoint note: not a string");
    return;
  }
  Result<note::Note> parsed = note::ParseNote(value->get_string());
  if (!parsed.ok()) {
    Fail("checkpoint note: " + parsed.status().message());
    return;
  }
  Result<tlog::TreeHead> head = tlog::ParseCheckpointText(parsed->text);
  if (!head.ok()) {
    Fail("checkpoint note: " + head.status().message());
    return;
  }
  if (head->size != checkpoint_.tree_size || head->root != checkpoint_.root_hash) {
    Fail("checkpoint note: states another tree size or root than the checkpoint");
    return;
  }
  // The ledger signs its notes with the system key under its origin.
  Result<std::string> raw = Base64Decode(anchor_key_);
  Result<note::VerifierKey> key =
      raw.ok() ? note::MakeVerifierKey(head->origin, note::kTypeEd25519, *raw)
               : Result<note::VerifierKey>(raw.status());
  std::vector<const note::NoteSignature*> own =
      key.ok() ? note::SignaturesBy(*parsed, *key) : std::vector<const note::NoteSignature*>{};
  if (own.empty() || !std::all_of(own.begin(), own.end(), [&](const note::NoteSignature* s) {
        return note::VerifyEd25519(*key, parsed->text, *s);
      })) {
    Fail("checkpoint note: not signed by the system key");
    return;
  }
  if (policy_ == nullptr) return;
  WitnessJudgement judgement = JudgeCosignatures(*policy_, parsed->text, *parsed);
  out_.cosigners = judgement.valid;
  for (const std::string& name : judgement.invalid) {
    Fail("witnesses: the cosignature of " + name + " does not verify");
  }
  if (judgement.invalid.empty() && !judgement.quorum_met) {
    std::string missing;
    for (const std::string& name : judgement.missing)
      missing += (missing.empty() ? "" : ", ") + name;
    Fail("witnesses: " + std::to_string(judgement.valid.size()) + " of the " +
         std::to_string(policy_->quorum) + " cosignatures needed; missing " + missing);
  }
}

}  // namespace

BundleVerification VerifyBundle(std::string_view bundle_text, const TrustAnchor& anchor,
                                const WitnessPolicy* witness_policy) {
  BundleVerification out;
  out.anchor_given = anchor.system_key_b64.has_value();
  Verifier(anchor, witness_policy, out).Run(bundle_text);
  return out;
}

bj::object BundleVerificationJson(const BundleVerification& v) {
  bj::array failures;
  for (const std::string& f : v.failures) failures.emplace_back(f);
  return {{"ok", v.ok()},
          {"reason", v.reason()},
          {"failures", std::move(failures)},
          {"trust_anchor", v.anchor_given ? "given" : "bundle"},
          {"entity", v.stats.entity},
          {"checkpoint_tree_size", v.stats.checkpoint_tree_size},
          {"records", v.stats.records},
          {"trail", v.stats.trail},
          {"chain", v.stats.chain},
          {"keys", v.stats.keys},
          {"cosigners", [&v] {
             bj::array cosigners;
             for (const WitnessCosignature& c : v.cosigners) {
               cosigners.push_back({{"name", c.name}, {"timestamp", c.timestamp}});
             }
             return cosigners;
           }()}};
}

}  // namespace fupin::replay
