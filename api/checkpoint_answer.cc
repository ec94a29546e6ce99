// The checkpoint the server publishes, and its C2SP forms (docs/trust.md):
// GET /checkpoint, /v1/checkpoint, /v1/checkpoints/{size} and every proven
// answer use them.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/handlers.h"
#include "api/mirror_view.h"
#include "api/response.h"
#include "api/witness_collector.h"
#include "ledger/codec.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

const WitnessPolicy& NoWitnesses() {
  static const WitnessPolicy kNone;
  return kNone;
}

// A ledger's: the witnesses it collects from; a mirror's: the policy it
// follows by.
const WitnessPolicy& PolicyOf(const ServerState& state) {
  if (state.witnesses != nullptr) return state.witnesses->policy();
  if (state.mirror != nullptr && state.mirror->witness_policy() != nullptr) {
    return *state.mirror->witness_policy();
  }
  return NoWitnesses();
}

}  // namespace

Result<Checkpoint> PublishedCheckpoint(const ServerState& state) {
  if (state.witnesses == nullptr || state.witnesses->policy().quorum == 0) {
    return state.ledger.LatestCheckpoint();
  }
  const uint64_t witnessed = state.witnesses->witnessed_size();
  if (witnessed == 0) {
    return Status(ErrorCode::kUnavailable,
                  "no checkpoint has reached the witness quorum of " +
                      std::to_string(state.witnesses->policy().quorum) +
                      " yet (docs/trust.md); the witnesses' state is in /metrics");
  }
  return state.ledger.CheckpointAt(witnessed);
}

Result<bj::object> CheckpointNoteJson(const ServerState& state, const Checkpoint& checkpoint) {
  bj::object out;
  out["origin"] = state.ledger.info().origin;
  bj::array cosignatures;
  Result<note::Note> stored = state.ledger.NoteAt(checkpoint.tree_size);
  if (stored.ok()) {
    out["note"] = note::FormatNote(*stored);
    for (const WitnessCosignature& c :
         JudgeCosignatures(PolicyOf(state), stored->text, *stored).valid) {
      cosignatures.push_back(
          bj::object{{"name", c.name},
                     {"key_id", note::KeyIdHex(c.key_id)},
                     {"timestamp", static_cast<int64_t>(c.timestamp)},
                     {"sig", Base64Encode(std::string_view(c.signature).substr(8))}});
    }
  } else if (stored.status().code() == ErrorCode::kNotFound) {
    out["note"] = nullptr;  // a read-only ledger older than notes
  } else {
    return stored.status();
  }
  out["cosignatures"] = std::move(cosignatures);
  return out;
}

Result<std::string> CheckpointAnswer(const ServerState& state, const Checkpoint& checkpoint) {
  bj::object out = bj::parse(CheckpointJson(checkpoint)).as_object();
  FUPIN_ASSIGN_OR_RETURN(bj::object forms, CheckpointNoteJson(state, checkpoint));
  for (auto& member : forms) out[member.key()] = std::move(member.value());
  const WitnessPolicy& policy = PolicyOf(state);
  bj::array witnesses;
  for (const PolicyWitness& w : policy.witnesses) {
    witnesses.push_back(bj::object{{"name", w.key.name}, {"vkey", note::FormatVerifierKey(w.key)}});
  }
  out["witness_policy"] = bj::object{{"witness_quorum", static_cast<int64_t>(policy.quorum)},
                                     {"witnesses", std::move(witnesses)}};
  return bj::serialize(out);
}

Response GetC2spCheckpoint(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<Checkpoint> checkpoint = PublishedCheckpoint(call.state);
  if (!checkpoint.ok()) return ProblemResponse(call.request, checkpoint.status());
  Result<note::Note> stored = call.state.ledger.NoteAt(checkpoint->tree_size);
  if (!stored.ok()) return ProblemResponse(call.request, stored.status());
  Response response = MakeResponse(call.request, http::status::ok, "text/plain; charset=utf-8",
                                   note::FormatNote(*stored));
  response.set(http::field::cache_control, "no-cache");
  return response;
}

}  // namespace fupin::api
