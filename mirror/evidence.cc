#include "mirror/evidence.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/signed_note.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin::mirror {
namespace {

namespace bj = boost::json;

bj::object CheckpointPart(const ReplicatedCheckpoint& c) {
  bj::object out;
  out["checkpoint"] = bj::parse(CheckpointJson(c.checkpoint));
  out["note"] = c.note.empty() ? bj::value(nullptr) : bj::value(bj::string(c.note));
  return out;
}

bj::object SideJson(const ForkSide& side) {
  bj::object record = bj::parse(RecordJson(side.record)).as_object();
  return bj::object{{"record", std::move(record)}, {"path", HexPathJson(side.path)}};
}

// Reads members of one object, remembering the first that is wrong.
struct Reader {
  const bj::object& object;
  std::string where;
  Status status = Status::Ok();

  const bj::value* Member(std::string_view name) {
    const bj::value* v = object.if_contains(name);
    if (v == nullptr && status.ok()) Fail(name, "missing");
    return v;
  }
  void Fail(std::string_view name, const std::string& what) {
    if (status.ok()) {
      status = Status(ErrorCode::kInvalidArgument,
                      "evidence: " + where + std::string(name) + " " + what);
    }
  }
  std::string Str(std::string_view name) {
    const bj::value* v = Member(name);
    if (v != nullptr && !v->is_string()) Fail(name, "is not a string");
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
  }
  const bj::object* Obj(std::string_view name) {
    const bj::value* v = Member(name);
    if (v != nullptr && !v->is_object()) Fail(name, "is not an object");
    return v != nullptr ? v->if_object() : nullptr;
  }
  merkle::Hash Hash(std::string_view name) {
    Result<merkle::Hash> hash = HexDecodeFixed<merkle::kHashSize>(Str(name));
    if (!hash.ok()) Fail(name, "is not a 32-byte hex hash");
    return hash.ok() ? *hash : merkle::Hash{};
  }
  std::vector<merkle::Hash> Path(std::string_view name) {
    const bj::value* v = Member(name);
    if (v == nullptr) return {};
    Result<std::vector<merkle::Hash>> path = ParseHexPath(*v);
    if (!path.ok()) {
      Fail(name, "is not an array of 32-byte hex hashes");
      return {};
    }
    return std::move(path).value();
  }
};

Result<ReplicatedCheckpoint> ReadCheckpointPart(const bj::object& part, const std::string& name) {
  Reader r{part, name + "."};
  const bj::object* checkpoint = r.Obj("checkpoint");
  const bj::value* note = r.Member("note");
  FUPIN_RETURN_IF_ERROR(r.status);
  ReplicatedCheckpoint out;
  Result<Checkpoint> parsed = ParseCheckpoint(bj::serialize(*checkpoint));
  if (!parsed.ok()) {
    return Status(ErrorCode::kInvalidArgument,
                  "evidence: " + name + ".checkpoint: " + parsed.status().message());
  }
  out.checkpoint = std::move(parsed).value();
  if (note->is_string()) out.note = note->get_string();
  return out;
}

Result<ForkSide> ReadSide(const bj::object& part, const std::string& name) {
  Reader r{part, name + "."};
  const bj::object* record = r.Obj("record");
  std::vector<merkle::Hash> path = r.Path("path");
  FUPIN_RETURN_IF_ERROR(r.status);
  Result<StoredRecord> parsed = ParseRecordJson(*record);
  if (!parsed.ok()) {
    return Status(ErrorCode::kInvalidArgument,
                  "evidence: " + name + ".record: " + parsed.status().message());
  }
  ForkSide side;
  side.record = std::move(parsed).value();
  side.path = std::move(path);
  return side;
}

std::string Size(const Checkpoint& c) { return std::to_string(c.tree_size); }

// The note, when present, must be this checkpoint's text signed by the key.
bool NoteMatches(const ReplicatedCheckpoint& c, const note::VerifierKey& key) {
  return c.note.empty() || tlog::CheckSignedCheckpointNote(c.note, key, c.checkpoint.tree_size,
                                                           c.checkpoint.root_hash)
                               .empty();
}

}  // namespace

std::string EvidenceJson(const Evidence& e) {
  bj::object out;
  out["evidence"] = kEvidenceFormat;
  out["source"] = e.source;
  out["detected_at"] = e.detected_at;
  out["log"] = bj::object{{"log_id", e.log.log_id},
                          {"origin", e.log.origin},
                          {"system_key_id", e.log.system_key_id},
                          {"system_public_key", e.log.system_public_key},
                          {"vkey", e.log.vkey}};
  out["summary"] = e.summary;
  out["verified"] = CheckpointPart(e.verified);
  out["served"] = CheckpointPart(e.served);
  bj::object proof{{"kind", e.proof_kind}};
  if (e.proof_kind == "consistency") {
    proof["root_at_served_size"] = HexEncode(e.own_root);
    proof["path"] = HexPathJson(e.own_path);
  }
  if (e.proof_kind == "fork-record" && e.verified_side && e.served_side) {
    proof["verified_record"] = SideJson(*e.verified_side);
    proof["served_record"] = SideJson(*e.served_side);
  }
  out["proof"] = std::move(proof);
  if (e.served_path) {
    out["served_consistency"] = bj::object{{"path", HexPathJson(*e.served_path)}};
  } else {
    out["served_consistency"] = bj::object{{"error", e.served_path_error}};
  }
  return bj::serialize(out);
}

Result<Evidence> ParseEvidence(std::string_view json) {
  Result<bj::object> parsed = json::ParseStrictObject(json);
  if (!parsed.ok()) {
    return Status(ErrorCode::kInvalidArgument, "evidence: not JSON: " + parsed.status().message());
  }
  Reader r{*parsed, ""};
  if (r.Str("evidence") != kEvidenceFormat && r.status.ok()) {
    r.Fail("evidence", "is not \"" + std::string(kEvidenceFormat) + "\"");
  }
  Evidence e;
  e.source = r.Str("source");
  e.detected_at = r.Str("detected_at");
  e.summary = r.Str("summary");
  const bj::object* log = r.Obj("log");
  const bj::object* verified = r.Obj("verified");
  const bj::object* served = r.Obj("served");
  const bj::object* proof = r.Obj("proof");
  const bj::object* served_consistency = r.Obj("served_consistency");
  FUPIN_RETURN_IF_ERROR(r.status);
  Reader l{*log, "log."};
  e.log.log_id = l.Str("log_id");
  e.log.origin = l.Str("origin");
  e.log.system_key_id = l.Str("system_key_id");
  e.log.system_public_key = l.Str("system_public_key");
  e.log.vkey = l.Str("vkey");
  FUPIN_RETURN_IF_ERROR(l.status);
  FUPIN_ASSIGN_OR_RETURN(e.verified, ReadCheckpointPart(*verified, "verified"));
  FUPIN_ASSIGN_OR_RETURN(e.served, ReadCheckpointPart(*served, "served"));
  Reader p{*proof, "proof."};
  e.proof_kind = p.Str("kind");
  if (e.proof_kind == "consistency") {
    e.own_root = p.Hash("root_at_served_size");
    e.own_path = p.Path("path");
  } else if (e.proof_kind == "fork-record") {
    const bj::object* a = p.Obj("verified_record");
    const bj::object* b = p.Obj("served_record");
    FUPIN_RETURN_IF_ERROR(p.status);
    FUPIN_ASSIGN_OR_RETURN(e.verified_side, ReadSide(*a, "proof.verified_record"));
    FUPIN_ASSIGN_OR_RETURN(e.served_side, ReadSide(*b, "proof.served_record"));
  } else if (e.proof_kind != "same-size" && e.proof_kind != "none" && p.status.ok()) {
    p.Fail("kind", "is not same-size, consistency, fork-record or none");
  }
  FUPIN_RETURN_IF_ERROR(p.status);
  if (served_consistency->contains("path")) {
    Reader s{*served_consistency, "served_consistency."};
    e.served_path = s.Path("path");
    FUPIN_RETURN_IF_ERROR(s.status);
  } else if (const bj::value* error = served_consistency->if_contains("error");
             error != nullptr && error->is_string()) {
    e.served_path_error = error->get_string();
  }
  return e;
}

Result<EvidenceVerdict> VerifyEvidence(const Evidence& e, const std::string& pinned_public_key) {
  EvidenceVerdict verdict;
  auto finding = [&](std::string line) { verdict.findings.push_back(std::move(line)); };
  Result<crypto::Ed25519PublicKey> key =
      crypto::Ed25519PublicKey::FromBase64(e.log.system_public_key);
  if (!key.ok()) {
    finding("the system key is not an Ed25519 public key");
    return verdict;
  }
  if (!pinned_public_key.empty() && pinned_public_key != e.log.system_public_key) {
    finding("the system key is not the pinned key " + pinned_public_key);
    return verdict;
  }
  const Checkpoint& a = e.verified.checkpoint;
  const Checkpoint& b = e.served.checkpoint;
  bool signed_ok = true;
  for (const auto& [name, c] :
       {std::pair{"verified", &e.verified}, std::pair{"served", &e.served}}) {
    const bool ok = VerifyCheckpoint(c->checkpoint, *key) && c->checkpoint.log_id == e.log.log_id &&
                    c->checkpoint.key_id == e.log.system_key_id;
    finding(std::string("checkpoint ") + name + " (size " + Size(c->checkpoint) + ", root " +
            HexEncode(c->checkpoint.root_hash) +
            "): " + (ok ? "signed by the system key" : "NOT signed by the system key of this log"));
    signed_ok = signed_ok && ok;
  }
  Result<note::VerifierKey> note_key =
      note::MakeVerifierKey(e.log.origin, note::kTypeEd25519, key->raw());
  if (!note_key.ok() || note::FormatVerifierKey(*note_key) != e.log.vkey) {
    finding("the log's vkey is not its origin and system key; its notes are not judged");
  } else {
    // The checkpoints' own signatures carry the proof; a note that fails is
    // reported, not held against it.
    for (const auto& [name, c] :
         {std::pair{"verified", &e.verified}, std::pair{"served", &e.served}}) {
      if (c->note.empty()) continue;
      const bool ok = NoteMatches(*c, *note_key);
      finding(std::string("note of the ") + name + " checkpoint: " +
              (ok ? "its C2SP form, signed by the system key" : "does NOT match or verify"));
    }
  }
  if (!signed_ok) return verdict;
  // The log's hash, as both signed checkpoints name it.
  if (a.hash != b.hash) {
    finding("the two checkpoints name different hashes; no proof is judged");
    return verdict;
  }
  const merkle::HashAlg hash = a.hash;

  if (e.proof_kind == "same-size") {
    verdict.proven = a.tree_size == b.tree_size && a.root_hash != b.root_hash;
    finding(verdict.proven
                ? "proven: two signed checkpoints of size " + Size(a) + " with different roots"
                : "same-size proof does not hold: sizes differ or roots are equal");
  } else if (e.proof_kind == "consistency") {
    // The served checkpoint is the smaller; the own path shows what the
    // verified tree's prefix of that size is.
    Status holds =
        b.tree_size < a.tree_size
            ? merkle::VerifyConsistency(hash, b.tree_size, a.tree_size, e.own_root, a.root_hash,
                                        e.own_path)
            : Status(ErrorCode::kInvalidArgument, "the served checkpoint is not smaller");
    verdict.proven = holds.ok() && e.own_root != b.root_hash;
    finding(holds.ok() ? "the verified tree's prefix of size " + Size(b) + " has root " +
                             HexEncode(e.own_root) + " (consistency proof holds)"
                       : "the mirror's consistency proof does not hold: " + holds.message());
    if (holds.ok()) {
      finding(verdict.proven ? "proven: the served checkpoint signs another root for that prefix"
                             : "the served checkpoint is that prefix: no fork");
    }
  } else if (e.proof_kind == "fork-record" && e.verified_side && e.served_side) {
    const ForkSide& x = *e.verified_side;
    const ForkSide& y = *e.served_side;
    auto included = [hash](const ForkSide& side, const Checkpoint& c) {
      if (merkle::LeafHash(hash, side.record.leaf_data) != side.record.leaf_hash) {
        return Status(ErrorCode::kDataLoss, "its leaf_hash is not its leaf data's");
      }
      if (side.record.seq >= c.tree_size) {
        return Status(ErrorCode::kDataLoss, "its seq is beyond the checkpoint");
      }
      return merkle::VerifyInclusion(hash, side.record.seq, c.tree_size, side.record.leaf_hash,
                                     side.path, c.root_hash);
    };
    Status in_a = included(x, a);
    Status in_b = included(y, b);
    finding(
        "record " + std::to_string(x.record.seq) + " of the verified tree: " +
        (in_a.ok() ? "included in the verified checkpoint" : "NOT included: " + in_a.message()));
    finding("record " + std::to_string(y.record.seq) + " of the served tree: " +
            (in_b.ok() ? "included in the served checkpoint" : "NOT included: " + in_b.message()));
    verdict.proven = in_a.ok() && in_b.ok() && x.record.seq == y.record.seq &&
                     x.record.leaf_hash != y.record.leaf_hash;
    finding(verdict.proven ? "proven: one key signed two trees holding different records at seq " +
                                 std::to_string(x.record.seq)
                           : "the two records do not show a fork (same seq, different leaves, "
                             "both included, is needed)");
  } else {
    finding("no proof of a fork is included");
  }
  if (e.served_path) {
    const Checkpoint& small = a.tree_size <= b.tree_size ? a : b;
    const Checkpoint& big = a.tree_size <= b.tree_size ? b : a;
    Status holds = merkle::VerifyConsistency(hash, small.tree_size, big.tree_size, small.root_hash,
                                             big.root_hash, *e.served_path);
    finding("the source's consistency proof from " + Size(small) + " to " + Size(big) + ": " +
            (holds.ok() ? "holds" : "fails (" + holds.message() + ")"));
  } else if (!e.served_path_error.empty()) {
    finding("the source gave no consistency proof: " + e.served_path_error);
  }
  return verdict;
}

}  // namespace fupin::mirror
