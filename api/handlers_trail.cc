// GET /v1/trail/{kind}/{id}: the audit trail of an entity, every record
// that names it in log order (SPEC §2.5, §5), optionally proven: one signed
// checkpoint for the whole answer, an inclusion proof per record, and the
// hash chain of the entity's own stream so a client sees none of its
// records is missing.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/handlers.h"
#include "api/read_point.h"
#include "api/response.h"
#include "api/scope.h"
#include "api/stream_chain.h"
#include "ledger/codec.h"
#include "ledger/event_types.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

// The chain of a proven page covers the stream from version 1; a stream
// longer than this (a busy counter) is cut to its last links, the first
// link's stream_version saying where it starts, so one answer stays
// bounded. GET /v1/streams/{stream} pages through the rest.
inline constexpr uint64_t kMaxChainLinks = 10'000;

// The stream fields of a record's leaf data.
struct StreamPosition {
  std::string stream;
  uint64_t version = 0;
  std::string prev_stream_hash;
};

Result<StreamPosition> PositionOf(const StoredRecord& record) {
  boost::system::error_code ec;
  bj::value leaf = bj::parse(record.leaf_data, ec);
  if (!ec && leaf.is_object()) {
    const bj::object& object = leaf.get_object();
    const bj::value* stream = object.if_contains("stream");
    const bj::value* version = object.if_contains("stream_version");
    const bj::value* prev = object.if_contains("prev_stream_hash");
    if (stream != nullptr && stream->is_string() && version != nullptr && version->is_int64() &&
        prev != nullptr && prev->is_string()) {
      return StreamPosition{std::string(stream->get_string()),
                            static_cast<uint64_t>(version->get_int64()),
                            std::string(prev->get_string())};
    }
  }
  return Status(ErrorCode::kDataLoss,
                "record " + std::to_string(record.seq) + " lacks its stream fields");
}

// The links of `stream` from version 1 (or the last kMaxChainLinks) to
// `last_version`, checked by the server like GET /v1/streams does.
Result<bj::array> ChainLinks(const Ledger& ledger, const std::string& stream,
                             uint64_t last_version) {
  uint64_t first = last_version > kMaxChainLinks ? last_version - kMaxChainLinks + 1 : 1;
  FUPIN_ASSIGN_OR_RETURN(
      std::vector<StreamEntry> entries,
      ledger.ReadStream(stream, first, static_cast<std::size_t>(last_version - first + 1)));
  if (Status chain = CheckStreamChain(ledger.info().hash, stream, entries, first); !chain.ok()) {
    return chain;
  }
  if (entries.empty() || entries.back().version != last_version) {
    return Status(ErrorCode::kDataLoss, "stream " + stream + " index ends before version " +
                                            std::to_string(last_version));
  }
  bj::array links;
  links.reserve(entries.size());
  for (const StreamEntry& entry : entries) {
    FUPIN_ASSIGN_OR_RETURN(StreamPosition position, PositionOf(entry.record));
    links.push_back(bj::object{{"seq", static_cast<int64_t>(entry.record.seq)},
                               {"stream_version", static_cast<int64_t>(entry.version)},
                               {"leaf_hash", HexEncode(entry.record.leaf_hash)},
                               {"prev_stream_hash", position.prev_stream_hash}});
  }
  return links;
}

}  // namespace

// as_of (a seq), from (a seq, inclusive, default 0), limit, proofs=1.
// Refusals in order: 400 for parameters and the kind, 404 for an entity no
// record names, 403 when it lies outside the token's scope.
Response GetTrail(const Call& call) {
  if (Status params = CheckParams(call.target, {"as_of", "from", "limit", "proofs"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  const std::string& kind = call.target.segments[2];
  const std::string& id = call.target.segments[3];
  if (!IsTrailKind(kind)) {
    return ProblemResponse(
        call.request,
        Status(ErrorCode::kInvalidArgument,
               "trail kind must be product, supplier, outlet, household, region, key, flag or "
               "campaign"));
  }
  // Every id of the catalog (and region codes) has this form (SPEC §2.5,
  // event_types.h), so anything else names nothing.
  if (!IsValidEntityId(id)) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kInvalidArgument,
                                  "entity id must be 1 to 64 characters of [A-Za-z0-9._-]"));
  }
  Result<uint64_t> from = CountParam(call.target, "from", 0);
  if (!from.ok()) return ProblemResponse(call.request, from.status());
  Result<std::size_t> limit = PageLimit(call.target);
  if (!limit.ok()) return ProblemResponse(call.request, limit.status());
  Result<bool> proofs = ProofsParam(call.target);
  if (!proofs.ok()) return ProblemResponse(call.request, proofs.status());
  const Ledger& ledger = call.state.ledger;
  Result<std::optional<uint64_t>> as_of = AsOfParam(call.target, ledger);
  if (!as_of.ok()) return ProblemResponse(call.request, as_of.status());

  const std::string entity = kind + ":" + id;
  if (Status scope = CheckNamedEntityInScope(call, kind, id); !scope.ok()) {
    return ProblemResponse(call.request, scope);
  }
  Result<ReadPoint> point = ResolveReadPoint(call.state, *as_of, *proofs);
  if (!point.ok()) return ProblemResponse(call.request, point.status());

  // One past the page tells whether more follow before the read point.
  Result<std::vector<uint64_t>> seqs = ledger.ReferencingSeqs(entity, *from, *limit + 1);
  if (!seqs.ok()) return ProblemResponse(call.request, seqs.status());
  std::erase_if(*seqs, [&](uint64_t seq) { return seq >= point->end; });
  std::optional<uint64_t> next;
  if (seqs->size() > *limit) {
    next = (*seqs)[*limit];
    seqs->resize(*limit);
  }

  std::string out = "{\"entity\":" + bj::serialize(bj::string(entity)) + ",\"records\":[";
  uint64_t last_own_version = 0;
  for (std::size_t i = 0; i < seqs->size(); ++i) {
    Result<StoredRecord> record = ledger.ReadRecord((*seqs)[i]);
    if (!record.ok()) return ProblemResponse(call.request, record.status());
    Result<std::string> served = ServedRecordJson(ledger, *record, *point);
    if (!served.ok()) return ProblemResponse(call.request, served.status());
    if (i > 0) out += ',';
    out += *served;
    if (*proofs) {
      Result<StreamPosition> position = PositionOf(*record);
      if (!position.ok()) return ProblemResponse(call.request, position.status());
      if (position->stream == entity) last_own_version = position->version;
    }
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
    bj::array chain;
    if (last_own_version > 0) {
      Result<bj::array> links = ChainLinks(ledger, entity, last_own_version);
      if (!links.ok()) return ProblemResponse(call.request, links.status());
      chain = std::move(links).value();
    }
    out += ",\"chain\":";
    out += bj::serialize(chain);
  }
  out += '}';
  return JsonResponse(call.request, http::status::ok, std::move(out));
}

}  // namespace fupin::api
