#include "ledger/witness_policy.h"

#include <algorithm>
#include <boost/json/value.hpp>

#include "ledger/canonical_json.h"
#include "ledger/file_io.h"

namespace fupin {
namespace {

Status PolicyError(std::string message) {
  return Status(ErrorCode::kInvalidArgument, "witness policy: " + std::move(message));
}

Result<std::string> StringMember(const boost::json::object& object, std::string_view name,
                                 std::string_view where, bool required) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr) {
    if (required) return PolicyError(std::string(where) + " has no \"" + std::string(name) + "\"");
    return std::string();
  }
  if (!value->is_string()) {
    return PolicyError(std::string(where) + "." + std::string(name) + " must be a string");
  }
  return std::string(value->get_string());
}

}  // namespace

Result<WitnessPolicy> ParseWitnessPolicy(std::string_view json) {
  Result<boost::json::object> root = json::ParseStrictObject(json);
  if (!root.ok()) return PolicyError(root.status().message());
  for (const auto& member : *root) {
    if (member.key() != "witnesses" && member.key() != "witness_quorum") {
      return PolicyError("unknown member \"" + std::string(member.key()) + "\"");
    }
  }
  WitnessPolicy policy;
  if (const boost::json::value* list = root->if_contains("witnesses")) {
    if (!list->is_array()) return PolicyError("\"witnesses\" must be an array");
    for (std::size_t i = 0; i < list->get_array().size(); ++i) {
      const std::string where = "witnesses[" + std::to_string(i) + "]";
      const boost::json::object* entry = list->get_array()[i].if_object();
      if (entry == nullptr) return PolicyError(where + " must be an object");
      for (const auto& member : *entry) {
        if (member.key() != "name" && member.key() != "vkey" && member.key() != "url") {
          return PolicyError(where + " has an unknown member \"" + std::string(member.key()) +
                             "\"");
        }
      }
      FUPIN_ASSIGN_OR_RETURN(std::string vkey, StringMember(*entry, "vkey", where, true));
      FUPIN_ASSIGN_OR_RETURN(std::string name, StringMember(*entry, "name", where, false));
      FUPIN_ASSIGN_OR_RETURN(std::string url, StringMember(*entry, "url", where, false));
      Result<note::VerifierKey> key = note::ParseVerifierKey(vkey);
      if (!key.ok()) return PolicyError(where + ".vkey: " + key.status().message());
      if (key->type != note::kTypeCosignatureV1) {
        return PolicyError(where +
                           ".vkey is not a cosigner key (type 0x04, base64 starting "
                           "with 'B')");
      }
      if (!name.empty() && name != key->name) {
        return PolicyError(where + ".name \"" + name + "\" differs from its vkey's name \"" +
                           key->name + "\"");
      }
      for (const PolicyWitness& other : policy.witnesses) {
        if (other.key.name == key->name) {
          return PolicyError(where + " repeats the witness \"" + key->name + "\"");
        }
      }
      policy.witnesses.push_back({std::move(key).value(), std::move(url)});
    }
  }
  if (const boost::json::value* quorum = root->if_contains("witness_quorum")) {
    if (!quorum->is_int64() || quorum->get_int64() < 0) {
      return PolicyError("\"witness_quorum\" must be a non-negative integer");
    }
    policy.quorum = static_cast<std::size_t>(quorum->get_int64());
  }
  if (policy.quorum > policy.witnesses.size()) {
    return PolicyError("a quorum of " + std::to_string(policy.quorum) +
                       " needs as many "
                       "witnesses, " +
                       std::to_string(policy.witnesses.size()) + " are listed");
  }
  if (!policy.witnesses.empty() && policy.quorum == 0) {
    return PolicyError("witnesses are listed but \"witness_quorum\" is not at least 1");
  }
  return policy;
}

Result<WitnessPolicy> ReadWitnessPolicyFile(const std::string& path) {
  FUPIN_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(path));
  Result<WitnessPolicy> policy = ParseWitnessPolicy(text);
  if (!policy.ok()) return policy.status().WithContext(path);
  return policy;
}

WitnessJudgement JudgeCosignatures(const WitnessPolicy& policy, std::string_view checkpoint_text,
                                   const note::Note& note) {
  WitnessJudgement judgement;
  for (const PolicyWitness& witness : policy.witnesses) {
    std::vector<const note::NoteSignature*> lines = note::SignaturesBy(note, witness.key);
    if (lines.empty()) {
      judgement.missing.push_back(witness.key.name);
      continue;
    }
    // Every line of a known key must verify; the newest timestamp counts.
    std::optional<WitnessCosignature> best;
    bool failed = false;
    for (const note::NoteSignature* line : lines) {
      std::optional<tlog::Cosignature> verified =
          tlog::VerifyCosignature(witness.key, checkpoint_text, *line);
      if (!verified) {
        failed = true;
        break;
      }
      if (!best || verified->timestamp > best->timestamp) {
        best = WitnessCosignature{witness.key.name, witness.key.key_id, verified->timestamp,
                                  line->signature};
      }
    }
    if (failed) {
      judgement.invalid.push_back(witness.key.name);
    } else {
      judgement.valid.push_back(std::move(*best));
    }
  }
  judgement.quorum_met = judgement.invalid.empty() && judgement.valid.size() >= policy.quorum;
  return judgement;
}

}  // namespace fupin
