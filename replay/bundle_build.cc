// Writing an evidence bundle (docs/bundle.md).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <set>

#include "ledger/codec.h"
#include "replay/bundle.h"
#include "replay/bundle_summary.h"
#include "replay/replay_source.h"
#include "replay/signatures.h"

namespace fupin::replay {
namespace {

// How many stored notes back a bundle with a witness policy looks for one
// at quorum (witnesses cosign about one checkpoint per interval).
inline constexpr uint64_t kWitnessedLookBack = 1000;

namespace bj = boost::json;

// A stream has at most this many versions read per call.
inline constexpr std::size_t kStreamPage = 10'000;

struct Included {
  StoredRecord record;
  LeafFields leaf;
};

}  // namespace

Result<std::string> BuildBundle(const Ledger& ledger, const std::string& entity, BundleStats* stats,
                                const std::function<void(uint64_t, uint64_t)>& progress,
                                const WitnessPolicy* witness_policy) {
  FUPIN_ASSIGN_OR_RETURN(Checkpoint checkpoint, ledger.LatestCheckpoint());
  if (witness_policy != nullptr && witness_policy->quorum > 0) {
    FUPIN_ASSIGN_OR_RETURN(std::optional<uint64_t> witnessed,
                           ledger.NewestWitnessedSize(*witness_policy, kWitnessedLookBack));
    if (!witnessed) {
      return Status(ErrorCode::kNotFound,
                    "no checkpoint carries " + std::to_string(witness_policy->quorum) +
                        " cosignatures of the policy's witnesses (docs/trust.md)");
    }
    FUPIN_ASSIGN_OR_RETURN(checkpoint, ledger.CheckpointAt(*witnessed));
  }
  const uint64_t size = checkpoint.tree_size;
  if (size == 0) return Status(ErrorCode::kNotFound, "the checkpoint covers no record");
  FUPIN_ASSIGN_OR_RETURN(std::vector<uint64_t> trail, EntitySeqs(ledger, entity, 0, size - 1));
  if (trail.empty()) {
    return Status(ErrorCode::kNotFound, "no record up to the latest checkpoint (tree size " +
                                            std::to_string(size) + ") names " + entity);
  }

  std::map<uint64_t, Included> records;
  auto include = [&](uint64_t seq) -> Status {
    if (records.contains(seq)) return Status::Ok();
    FUPIN_ASSIGN_OR_RETURN(StoredRecord record, ledger.ReadRecord(seq));
    FUPIN_ASSIGN_OR_RETURN(LeafFields leaf, ParseLeaf(record.leaf_data));
    records.emplace(seq, Included{std::move(record), std::move(leaf)});
    return Status::Ok();
  };
  for (uint64_t seq : trail) FUPIN_RETURN_IF_ERROR(include(seq));

  // The entity's own stream from version 1, up to the checkpoint.
  const std::string stream = OwnStream(entity);
  std::vector<uint64_t> chain;
  for (uint64_t version = 1; !stream.empty();) {
    FUPIN_ASSIGN_OR_RETURN(std::vector<StreamEntry> page,
                           ledger.ReadStream(stream, version, kStreamPage));
    for (const StreamEntry& entry : page) {
      if (entry.record.seq >= size) break;
      chain.push_back(entry.record.seq);
      FUPIN_RETURN_IF_ERROR(include(entry.record.seq));
    }
    if (page.size() < kStreamPage || page.back().record.seq >= size) break;
    version = page.back().version + 1;
  }

  // The keys that signed every included record, with their registrations,
  // transitively (a registration is itself signed), down to genesis.
  KeyRegistry registry(ledger);
  std::map<std::pair<std::string, uint64_t>, std::string> keys;  // (id, reg seq) -> b64
  std::set<uint64_t> checked;
  for (bool grew = true; grew;) {
    grew = false;
    std::vector<std::pair<std::string, uint64_t>> signers;
    for (const auto& [seq, included] : records) {
      if (checked.insert(seq).second) signers.emplace_back(included.leaf.key_id, seq);
    }
    for (const auto& [key_id, seq] : signers) {
      FUPIN_ASSIGN_OR_RETURN(RegisteredKey key, registry.KeyAt(key_id, seq));
      keys.emplace(std::make_pair(key_id, key.registered_seq), key.public_key.b64);
      if (!records.contains(key.registered_seq)) {
        FUPIN_RETURN_IF_ERROR(include(key.registered_seq));
        grew = true;
      }
    }
  }

  bj::array record_array;
  uint64_t done = 0;
  for (const auto& [seq, included] : records) {
    FUPIN_ASSIGN_OR_RETURN(std::vector<merkle::Hash> path, ledger.InclusionPath(seq, size));
    bj::array proof;
    for (const merkle::Hash& hash : path) proof.emplace_back(HexEncode(hash));
    record_array.push_back(
        {{"seq", seq}, {"leaf", included.record.leaf_data}, {"proof", std::move(proof)}});
    if (progress) progress(++done, records.size());
  }
  bj::array key_array;
  std::set<std::string> key_ids;
  for (const auto& [id_seq, public_key] : keys) {
    key_array.push_back(
        {{"key_id", id_seq.first}, {"public_key", public_key}, {"registered_seq", id_seq.second}});
    key_ids.insert(id_seq.first);
  }
  bj::array trail_array(trail.begin(), trail.end());
  bj::value chain_value = nullptr;
  if (!stream.empty()) {
    chain_value = bj::object{{"stream", stream}, {"seqs", bj::array(chain.begin(), chain.end())}};
  }

  SummaryInput summary{entity,     {}, stream, chain.size(), {key_ids.begin(), key_ids.end()},
                       &checkpoint};
  for (uint64_t seq : trail) summary.trail.push_back(&records.at(seq).leaf);

  bj::object bundle;
  bundle["format"] = kBundleFormat;
  bundle["entity"] = entity;
  bundle["log_id"] = ledger.info().log_id;
  bundle["system_key_id"] = ledger.info().system_key_id;
  bundle["system_public_key"] = ledger.info().system_public_key;
  bundle["checkpoint"] = bj::parse(CheckpointJson(checkpoint));
  Result<note::Note> checkpoint_note = ledger.NoteAt(checkpoint.tree_size);
  if (checkpoint_note.ok()) {
    bundle["checkpoint_note"] = note::FormatNote(*checkpoint_note);
  } else if (checkpoint_note.status().code() == ErrorCode::kNotFound) {
    bundle["checkpoint_note"] = nullptr;  // a ledger older than notes
  } else {
    return checkpoint_note.status();
  }
  bundle["records"] = std::move(record_array);
  bundle["trail"] = std::move(trail_array);
  bundle["chain"] = std::move(chain_value);
  bundle["keys"] = std::move(key_array);
  bundle["summary"] = BundleSummary(summary);
  if (stats != nullptr) {
    *stats = BundleStats{entity, size, records.size(), trail.size(), chain.size(), keys.size()};
  }
  return bj::serialize(bundle) + "\n";
}

}  // namespace fupin::replay
