#include "api/read_point.h"

#include "api/witness_collector.h"
#include "ledger/as_of.h"
#include "ledger/codec.h"
#include "ledger/store_db.h"
#include "ledger/store_format.h"

namespace fupin::api {

Result<std::optional<uint64_t>> AsOfParam(const Target& target, const Ledger& ledger) {
  std::optional<std::string_view> text = Param(target, "as_of");
  if (!text) return std::optional<uint64_t>();
  if (text->empty() || text->find_first_not_of("0123456789") != std::string_view::npos) {
    // Not a seq: a time, resolved like replay's --as-of (ledger/as_of.h).
    FUPIN_ASSIGN_OR_RETURN(uint64_t at, ResolveAsOf(ledger, *text, "query parameter \"as_of\""));
    return std::optional<uint64_t>(at);
  }
  FUPIN_ASSIGN_OR_RETURN(uint64_t as_of, CountParam(target, "as_of", 0));
  uint64_t size = ledger.tree_size();
  if (as_of >= size) {
    return Status(ErrorCode::kInvalidArgument,
                  "query parameter \"as_of\": " + std::to_string(as_of) +
                      " is beyond the log (tree size " + std::to_string(size) + ")");
  }
  return std::optional<uint64_t>(as_of);
}

Result<bool> ProofsParam(const Target& target) {
  std::optional<std::string_view> proofs = Param(target, "proofs");
  if (!proofs) return false;
  if (*proofs == "1") return true;
  return Status(
      ErrorCode::kInvalidArgument,
      "query parameter \"proofs\": must be 1 or absent, not \"" + std::string(*proofs) + "\"");
}

Result<ReadPoint> ResolveReadPoint(const ServerState& state, std::optional<uint64_t> as_of,
                                   bool proofs) {
  const Ledger& ledger = state.ledger;
  ReadPoint point;
  point.end = as_of ? *as_of + 1 : ledger.tree_size();
  if (!proofs) return point;
  const bool witnessed = state.witnesses != nullptr && state.witnesses->policy().quorum > 0;
  if (!as_of || witnessed) {
    // Any checkpoint at or after as_of proves its records; with witnesses
    // only a cosigned one is stood behind.
    FUPIN_ASSIGN_OR_RETURN(Checkpoint published, PublishedCheckpoint(state));
    if (as_of && published.tree_size <= *as_of) {
      return Status(ErrorCode::kUnavailable,
                    "no witnessed checkpoint covers seq " + std::to_string(*as_of) + " yet");
    }
    point.checkpoint = std::move(published);
  } else {
    // Checkpoints are keyed by big-endian tree size: the first key at or
    // after as_of + 1 is the earliest signed tree head holding as_of.
    std::optional<std::string> found;
    Status scanned = ledger.store().Scan(Cf::kCheckpoints, "", store_format::Uint64Key(*as_of + 1),
                                         [&](std::string_view, std::string_view value) {
                                           found = std::string(value);
                                           return false;
                                         });
    if (!scanned.ok()) return scanned;
    if (!found) {
      return Status(ErrorCode::kUnavailable,
                    "no signed checkpoint covers seq " + std::to_string(*as_of) +
                        " yet; the ledger signs one within a second of a commit");
    }
    FUPIN_ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseCheckpoint(*found));
    point.checkpoint = std::move(checkpoint);
  }
  point.end = std::min(point.end, point.checkpoint->tree_size);
  return point;
}

Result<std::string> ServedRecordJson(const Ledger& ledger, const StoredRecord& record,
                                     const ReadPoint& point) {
  std::string out = RecordJson(record);
  if (!point.checkpoint) return out;
  FUPIN_ASSIGN_OR_RETURN(std::vector<merkle::Hash> path,
                         ledger.InclusionPath(record.seq, point.checkpoint->tree_size));
  out.pop_back();  // the record object's closing brace
  out += ",\"proof\":{\"tree_size\":";
  out += std::to_string(point.checkpoint->tree_size);
  out += ",\"path\":[";
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    out += HexEncode((path)[i]);
    out += '"';
  }
  out += "]}}";
  return out;
}

}  // namespace fupin::api
