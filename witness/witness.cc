#include "witness/witness.h"

#include <charconv>
#include <chrono>
#include <cstring>
#include <limits>

#include "ledger/codec.h"
#include "ledger/merkle.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin::witness {
namespace {

// A request the witness cannot even read: 400.
AddCheckpointOutcome Refuse(ErrorCode code, std::string message) {
  return {Status(code, std::move(message)), std::nullopt, {}};
}

struct AddRequest {
  uint64_t old_size = 0;
  std::vector<merkle::Hash> proof;
  std::string_view note;
};

// tlog-witness §"add-checkpoint": "old <size>" (ASCII decimal, no leading
// zeros), at most 63 base64 hashes, an empty line, then the checkpoint.
// The control block holds no empty line, so the first "\n\n" ends it.
Result<AddRequest> ParseRequest(std::string_view body) {
  auto malformed = [](std::string what) {
    return Status(ErrorCode::kMalformedEvent, "add-checkpoint: " + std::move(what));
  };
  const std::size_t blank = body.find("\n\n");
  if (blank == std::string_view::npos) return malformed("no empty line before the checkpoint");
  AddRequest request;
  request.note = body.substr(blank + 2);
  std::string_view control = body.substr(0, blank + 1);
  const std::size_t first_end = control.find('\n');
  const std::string_view old_line = control.substr(0, first_end);
  control.remove_prefix(first_end + 1);
  if (!old_line.starts_with("old ")) return malformed("the first line must be \"old <size>\"");
  const std::string_view digits = old_line.substr(4);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), request.old_size);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      (digits.size() > 1 && digits[0] == '0') ||
      request.old_size > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return malformed("old size \"" + std::string(digits) + "\" is not a decimal");
  }
  while (!control.empty()) {
    const std::size_t line_end = control.find('\n');
    if (request.proof.size() == kMaxProofLines) {
      return malformed("more than 63 consistency proof lines");
    }
    Result<std::string> hash = Base64Decode(control.substr(0, line_end));
    merkle::Hash node;
    if (!hash.ok() || hash->size() != node.size()) {
      return malformed("proof line " + std::to_string(request.proof.size() + 1) +
                       " is not the base64 of a 32-byte hash");
    }
    std::memcpy(node.data(), hash->data(), node.size());
    request.proof.push_back(node);
    control.remove_prefix(line_end + 1);
  }
  return request;
}

uint64_t WallClockSeconds() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

Result<note::VerifierKey> CosignerKey(std::string_view name, const crypto::Ed25519PrivateKey& key) {
  return note::MakeVerifierKey(name, note::kTypeCosignatureV1, key.public_raw());
}

Result<std::unique_ptr<Witness>> Witness::Create(crypto::Ed25519PrivateKey key,
                                                 WitnessOptions options) {
  FUPIN_ASSIGN_OR_RETURN(note::VerifierKey verifier_key, CosignerKey(options.name, key));
  for (const note::VerifierKey& log : options.logs) {
    if (log.type != note::kTypeEd25519) {
      return Status(ErrorCode::kInvalidArgument,
                    "log key " + log.name + " is not a log's signing key (type 0x01)");
    }
  }
  if (!options.clock) options.clock = WallClockSeconds;
  FUPIN_ASSIGN_OR_RETURN(WitnessState state, WitnessState::Load(options.state_path));
  return std::unique_ptr<Witness>(
      new Witness(std::move(key), std::move(options), std::move(state), std::move(verifier_key)));
}

Witness::Witness(crypto::Ed25519PrivateKey key, WitnessOptions options, WitnessState state,
                 note::VerifierKey verifier_key)
    : key_(std::move(key)),
      options_(std::move(options)),
      verifier_key_(std::move(verifier_key)),
      state_(std::move(state)) {
  for (const note::VerifierKey& log : options_.logs) logs_.emplace(log.name, log);
}

uint64_t Witness::LatestSize(std::string_view origin) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<CosignedHead> latest = state_.Latest(origin);
  return latest ? latest->size : 0;
}

AddCheckpointOutcome Witness::AddCheckpoint(std::string_view body) {
  Result<AddRequest> request = ParseRequest(body);
  if (!request.ok()) return Refuse(request.status().code(), request.status().message());
  Result<note::Note> note = note::ParseNote(request->note);
  if (!note.ok()) return Refuse(note.status().code(), note.status().message());
  Result<tlog::TreeHead> head = tlog::ParseCheckpointText(note->text);
  if (!head.ok()) return Refuse(head.status().code(), head.status().message());

  // §"add-checkpoint", in the order the spec lists the checks.
  auto log = logs_.find(head->origin);
  if (log == logs_.end()) {
    return Refuse(ErrorCode::kNotFound, "unknown log origin \"" + head->origin + "\"");
  }
  // Signatures of other keys are ignored (signed-note §"Signatures"); every
  // one of the log's key must verify, and at least one must be there.
  std::vector<const note::NoteSignature*> signatures = note::SignaturesBy(*note, log->second);
  if (signatures.empty()) {
    return Refuse(ErrorCode::kBadSignature, "no signature of the log's key");
  }
  for (const note::NoteSignature* signature : signatures) {
    if (!note::VerifyEd25519(log->second, note->text, *signature)) {
      return Refuse(ErrorCode::kBadSignature, "the log's signature does not verify");
    }
  }
  if (request->old_size > head->size) {
    return Refuse(ErrorCode::kMalformedEvent, "old size " + std::to_string(request->old_size) +
                                                  " is larger than the checkpoint (" +
                                                  std::to_string(head->size) + ")");
  }

  std::lock_guard<std::mutex> lock(mu_);
  const std::optional<CosignedHead> latest = state_.Latest(head->origin);
  const uint64_t latest_size = latest ? latest->size : 0;
  if (request->old_size != latest_size) {
    return {Status(ErrorCode::kVersionConflict, "old size " + std::to_string(request->old_size) +
                                                    " is not the latest cosigned size " +
                                                    std::to_string(latest_size)),
            latest_size,
            {}};
  }
  auto inconsistent = [](std::string why) {
    return Refuse(ErrorCode::kInvalidField, std::move(why));
  };
  const merkle::HashAlg hash =
      options_.sm3_logs.contains(head->origin) ? merkle::HashAlg::kSm3 : merkle::HashAlg::kSha256;
  if (head->size == 0 && head->root != merkle::EmptyRoot(hash)) {
    return inconsistent("an empty tree's root must be the hash of nothing");
  }
  if (request->old_size == 0) {
    // "The proof MUST be empty if the old size is zero."
    if (!request->proof.empty()) return inconsistent("old size 0 takes no consistency proof");
  } else {
    Status consistent = merkle::VerifyConsistency(hash, request->old_size, head->size, latest->root,
                                                  head->root, request->proof);
    if (!consistent.ok()) {
      return inconsistent(head->size == request->old_size
                              ? "same size as the latest cosigned checkpoint, another root"
                              : "the consistency proof from " + std::to_string(request->old_size) +
                                    " does not verify: " + consistent.message());
    }
  }
  if (options_.vouch) {
    Status vouched = options_.vouch(*head, request->note);
    if (!vouched.ok()) return Refuse(vouched.code(), vouched.message());
  }
  // Sign a re-encoding of what was checked (no bytes the parser skipped can
  // be cosigned), and store the new state before the cosignature leaves.
  const std::string text = tlog::CheckpointText(*head);
  Status stored = state_.Update(head->origin, {head->size, head->root});
  if (!stored.ok()) return Refuse(ErrorCode::kIoError, stored.message());
  const note::NoteSignature cosignature =
      tlog::Cosign(verifier_key_.name, key_, options_.clock(), text);
  return {Status::Ok(), std::nullopt, note::SignatureLine(cosignature)};
}

}  // namespace fupin::witness
