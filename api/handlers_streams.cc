// GET /v1/streams/{stream}: one stream's records in order, with its hash
// chain checked while reading (SPEC §2.2, §5), as of any seq and with
// inclusion proofs on request.
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "api/handlers.h"
#include "api/read_point.h"
#include "api/response.h"
#include "api/scope.h"
#include "api/stream_chain.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

// Stream names are "kind:ID" with client-chosen IDs; nothing legitimate is
// longer, and the bound keeps error messages and index scans small.
inline constexpr std::size_t kMaxStreamNameBytes = 512;

bool IsValidStreamName(std::string_view name) {
  if (name.empty() || name.size() > kMaxStreamNameBytes) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

// from: the first stream version (default 1); limit as for pages; as_of:
// only the versions whose seq <= as_of; proofs=1: a checkpoint for the
// whole answer and each record's inclusion proof against it (see
// read_point.h). `next` is the version to continue from, or null at the
// stream's end (as of the read point). An unknown stream is 404; a stream
// of an entity outside the token's scope 403; a broken chain is 500
// data_loss, never a silent answer.
Response GetStream(const Call& call) {
  if (Status params = CheckParams(call.target, {"from", "limit", "as_of", "proofs"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  const std::string& stream = call.target.segments[2];
  if (!IsValidStreamName(stream)) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kInvalidArgument,
                                  "stream name must be 1 to 512 bytes without control characters"));
  }
  Result<uint64_t> from = CountParam(call.target, "from", 1);
  if (!from.ok()) return ProblemResponse(call.request, from.status());
  if (*from == 0) {
    return ProblemResponse(call.request, Status(ErrorCode::kInvalidArgument,
                                                "query parameter \"from\": stream versions "
                                                "start at 1"));
  }
  Result<std::size_t> limit = PageLimit(call.target);
  if (!limit.ok()) return ProblemResponse(call.request, limit.status());
  Result<bool> proofs = ProofsParam(call.target);
  if (!proofs.ok()) return ProblemResponse(call.request, proofs.status());
  const Ledger& ledger = call.state.ledger;
  Result<std::optional<uint64_t>> as_of = AsOfParam(call.target, ledger);
  if (!as_of.ok()) return ProblemResponse(call.request, as_of.status());

  // Read the record before the page too (the anchor), so the page's first
  // link is checked, and one past the page, to know whether more follow.
  uint64_t first_version = *from > 1 ? *from - 1 : 1;
  std::size_t anchor = *from > 1 ? 1 : 0;
  Result<std::vector<StreamEntry>> entries =
      ledger.ReadStream(stream, first_version, *limit + anchor + 1);
  if (!entries.ok()) return ProblemResponse(call.request, entries.status());

  if (entries->empty()) {
    Result<std::vector<StreamEntry>> head = ledger.ReadStream(stream, 1, 1);
    if (!head.ok()) return ProblemResponse(call.request, head.status());
    if (head->empty()) {
      return ProblemResponse(call.request, Status(ErrorCode::kNotFound, "no stream " + stream));
    }
  }
  auto [kind, id] = StreamEntity(stream);
  if (Status scope = CheckEntityInScope(call, kind, id); !scope.ok()) {
    return ProblemResponse(call.request, scope);
  }
  if (Status chain = CheckStreamChain(ledger.info().hash, stream, *entries, first_version);
      !chain.ok()) {
    return ProblemResponse(call.request, chain);
  }
  Result<ReadPoint> point = ResolveReadPoint(call.state, *as_of, *proofs);
  if (!point.ok()) return ProblemResponse(call.request, point.status());

  // Versions are in seq order, so the read point cuts the stream's tail.
  std::size_t visible = 0;
  while (visible < entries->size() && (*entries)[visible].record.seq < point->end) ++visible;
  std::size_t end = std::min(visible, anchor + *limit);
  std::optional<uint64_t> next;
  if (visible > anchor + *limit) next = (*entries)[end].version;
  std::string out = "{\"stream\":" + bj::serialize(bj::string(stream)) + ",\"records\":[";
  for (std::size_t i = anchor; i < end; ++i) {
    Result<std::string> served = ServedRecordJson(ledger, (*entries)[i].record, *point);
    if (!served.ok()) return ProblemResponse(call.request, served.status());
    if (i > anchor) out += ',';
    out += *served;
  }
  out += "],\"next\":";
  out += next ? std::to_string(*next) : "null";
  if (point->checkpoint) {
    out += ",\"checkpoint\":";
    out += CheckpointJson(*point->checkpoint);
    Result<bj::object> forms = CheckpointNoteJson(call.state, *point->checkpoint);
    if (!forms.ok()) return ProblemResponse(call.request, forms.status());
    out += ",\"checkpoint_note\":";
    out += bj::serialize(*forms);
  }
  out += '}';
  return JsonResponse(call.request, http::status::ok, std::move(out));
}

}  // namespace fupin::api
