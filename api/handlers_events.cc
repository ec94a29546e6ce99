// POST /v1/events, GET /v1/events, GET /v1/events/{seq} (SPEC §5).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <optional>
#include <variant>
#include <vector>

#include "api/handlers.h"
#include "api/mirror_view.h"
#include "api/response.h"
#include "api/scope.h"
#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/event.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

// A type-filtered scan reads at most this many records per request, so a
// rare type cannot make one request walk the whole log; `next` says where
// to continue.
inline constexpr uint64_t kMaxScannedPerRequest = 10'000;
// Records read from the ledger per step of a filtered scan.
inline constexpr std::size_t kScanChunk = 256;

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// "application/json", with any parameters ("; charset=utf-8").
bool IsJsonContentType(std::string_view value) {
  std::string_view media = TrimSpaces(value.substr(0, value.find(';')));
  return EqualsIgnoringCase(media, "application/json");
}

// The events of the body: one event object, or {"events":[…]}.
struct Submission {
  bool batch = false;
  std::vector<Envelope> envelopes;
};

struct Refusal {
  Status status;
  std::optional<std::size_t> index;
};

std::variant<Submission, Refusal> ReadSubmission(std::string_view body) {
  Result<bj::value> parsed = json::ParseStrict(body);
  if (!parsed.ok()) return Refusal{parsed.status(), std::nullopt};
  if (!parsed->is_object()) {
    return Refusal{
        Status(ErrorCode::kNotAnObject, "the body must be one event object or {\"events\":[…]}"),
        std::nullopt};
  }
  const bj::object& root = parsed->get_object();
  Submission submission;
  const bj::value* events = root.if_contains("events");
  if (events == nullptr) {
    Result<Envelope> envelope = ParseEnvelope(root);
    if (!envelope.ok()) return Refusal{envelope.status(), std::nullopt};
    submission.envelopes.push_back(std::move(envelope).value());
    return submission;
  }
  submission.batch = true;
  if (root.size() != 1) {
    return Refusal{
        Status(ErrorCode::kMalformedEvent, "a batch object holds only the member \"events\""),
        std::nullopt};
  }
  if (!events->is_array()) {
    return Refusal{Status(ErrorCode::kMalformedEvent, "\"events\" must be an array"), std::nullopt};
  }
  const bj::array& items = events->get_array();
  if (items.empty()) {
    return Refusal{Status(ErrorCode::kInvalidArgument, "\"events\" is empty"), std::nullopt};
  }
  if (items.size() > kMaxBatchEvents) {
    return Refusal{Status(ErrorCode::kBatchTooLarge,
                          "a batch holds at most " + std::to_string(kMaxBatchEvents) +
                              " events, got " + std::to_string(items.size())),
                   std::nullopt};
  }
  submission.envelopes.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object()) {
      return Refusal{
          Status(ErrorCode::kNotAnObject, "events[" + std::to_string(i) + "] is not an object"), i};
    }
    Result<Envelope> envelope = ParseEnvelope(items[i].get_object());
    if (!envelope.ok()) {
      return Refusal{envelope.status().WithContext("events[" + std::to_string(i) + "]"), i};
    }
    submission.envelopes.push_back(std::move(envelope).value());
  }
  return submission;
}

std::string AppendedJson(const AppendResult& result, std::size_t* duplicates) {
  bj::array results;
  results.reserve(result.events.size());
  *duplicates = 0;
  for (const AppendedEvent& event : result.events) {
    if (event.duplicate) ++*duplicates;
    results.push_back(bj::object{{"id", event.id},
                                 {"seq", static_cast<int64_t>(event.seq)},
                                 {"leaf_hash", HexEncode(event.leaf_hash)},
                                 {"status", event.duplicate ? "duplicate" : "appended"}});
  }
  return bj::serialize(bj::object{{"results", std::move(results)},
                                  {"tree_size", static_cast<int64_t>(result.tree_size)}});
}

// {"records":[…],"next":…}: records spliced in as RecordJson.
std::string RecordPage(const std::vector<const StoredRecord*>& records,
                       std::optional<uint64_t> next) {
  std::string out = "{\"records\":[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) out += ',';
    out += RecordJson(*records[i]);
  }
  out += "],\"next\":";
  out += next ? std::to_string(*next) : "null";
  out += '}';
  return out;
}

// The event type of a stored record.
Result<std::string> RecordType(const StoredRecord& record) {
  Result<bj::object> event = StoredEvent(record);
  const bj::value* type = event.ok() ? event->if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string()) {
    return Status(ErrorCode::kDataLoss,
                  "record " + std::to_string(record.seq) + " has no readable event type");
  }
  return std::string(type->get_string());
}

}  // namespace

Result<bj::object> StoredEvent(const StoredRecord& record) {
  boost::system::error_code ec;
  bj::value leaf = bj::parse(record.leaf_data, ec);
  if (!ec && leaf.is_object()) {
    if (bj::value* event = leaf.get_object().if_contains("event"); event && event->is_object()) {
      return std::move(event->get_object());
    }
  }
  return Status(ErrorCode::kDataLoss,
                "record " + std::to_string(record.seq) + " holds no readable event");
}

Result<std::size_t> PageLimit(const Target& target) {
  FUPIN_ASSIGN_OR_RETURN(uint64_t limit, CountParam(target, "limit", kDefaultPageRecords));
  if (limit == 0 || limit > kMaxPageRecords) {
    return Status(ErrorCode::kInvalidArgument,
                  "query parameter \"limit\": must be 1 to " + std::to_string(kMaxPageRecords));
  }
  return static_cast<std::size_t>(limit);
}

// Answers: 201 when at least one event was appended (the mixed case of
// appended and duplicate events is 201 too, each result saying which), 200
// when every event was an exact duplicate, else the problem of the first
// failing event (with its `index` for a batch). The response is built only
// after Ledger::Append returned, i.e. after the records are durable.
Response PostEvents(const Call& call) {
  if (call.state.mirror != nullptr) return MirrorRefusesWrites(call.request, *call.state.mirror);
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  auto content_type = call.request.find(http::field::content_type);
  if (content_type == call.request.end() || !IsJsonContentType(content_type->value())) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kUnsupportedMediaType,
                                  "POST /v1/events takes Content-Type: application/json"));
  }
  std::variant<Submission, Refusal> read = ReadSubmission(call.request.body());
  if (auto* refusal = std::get_if<Refusal>(&read)) {
    call.state.metrics.EventRejected(refusal->status.code());
    return ProblemResponse(call.request, refusal->status, refusal->index);
  }
  Submission submission = std::get<Submission>(std::move(read));
  std::size_t events = submission.envelopes.size();

  call.state.metrics.AppendStarted();
  auto started = std::chrono::steady_clock::now();
  AppendResult result = call.state.ledger.Append(std::move(submission.envelopes));
  call.state.metrics.AppendFinished(
      events, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

  if (!result.ok()) {
    call.state.metrics.EventRejected(result.status.code());
    std::optional<std::size_t> index;
    if (submission.batch) index = result.failed_index;
    return ProblemResponse(call.request, result.status, index);
  }
  std::size_t duplicates = 0;
  // Wake the projections' and the rules' catch-up (they never block the
  // acknowledgement).
  if (call.state.projections != nullptr) call.state.projections->runner().Notify();
  if (call.state.rules != nullptr) call.state.rules->Notify();
  std::string body = AppendedJson(result, &duplicates);
  call.state.metrics.EventsAppended(result.events.size() - duplicates, duplicates);
  bool all_duplicates = duplicates == result.events.size();
  return JsonResponse(call.request, all_duplicates ? http::status::ok : http::status::created,
                      std::move(body));
}

// from (inclusive, default 0), limit, type. Records carry no single region,
// so a token whose scope is not province-wide may not read the raw log
// (403; it reads trails and streams of its entities). With a type, at most
// kMaxScannedPerRequest records are examined; `next` is the first seq not
// examined (or after the last match) while the log goes on, else null.
Response ListEvents(const Call& call) {
  if (Status params = CheckParams(call.target, {"from", "limit", "type"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<uint64_t> from = CountParam(call.target, "from", 0);
  if (!from.ok()) return ProblemResponse(call.request, from.status());
  Result<std::size_t> limit = PageLimit(call.target);
  if (!limit.ok()) return ProblemResponse(call.request, limit.status());
  std::optional<std::string_view> type = Param(call.target, "type");
  if (type && !IsKnownEventType(*type)) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kInvalidArgument,
                                  "query parameter \"type\": not an event type of the catalog"));
  }
  if (Status scope = CheckProvinceScope(call, "the raw log"); !scope.ok()) {
    return ProblemResponse(call.request, scope);
  }
  Ledger& ledger = call.state.ledger;

  if (!type) {
    Result<std::vector<StoredRecord>> records = ledger.ReadRecords(*from, *limit);
    if (!records.ok()) return ProblemResponse(call.request, records.status());
    std::vector<const StoredRecord*> page;
    for (const StoredRecord& record : *records) page.push_back(&record);
    uint64_t after = *from + records->size();
    std::optional<uint64_t> next;
    if (after < ledger.tree_size()) next = after;
    return JsonResponse(call.request, http::status::ok, RecordPage(page, next));
  }

  uint64_t size = ledger.tree_size();  // one snapshot bounds the whole scan
  std::vector<StoredRecord> matched;
  uint64_t seq = *from;
  uint64_t scanned = 0;
  while (matched.size() < *limit && seq < size && scanned < kMaxScannedPerRequest) {
    uint64_t budget = std::min<uint64_t>({kScanChunk, size - seq, kMaxScannedPerRequest - scanned});
    Result<std::vector<StoredRecord>> chunk = ledger.ReadRecords(seq, budget);
    if (!chunk.ok()) return ProblemResponse(call.request, chunk.status());
    if (chunk->empty()) break;
    for (StoredRecord& record : *chunk) {
      seq = record.seq + 1;
      ++scanned;
      Result<std::string> record_type = RecordType(record);
      if (!record_type.ok()) return ProblemResponse(call.request, record_type.status());
      if (*record_type == *type) {
        matched.push_back(std::move(record));
        if (matched.size() == *limit) break;
      }
    }
  }
  std::vector<const StoredRecord*> page;
  for (const StoredRecord& record : matched) page.push_back(&record);
  std::optional<uint64_t> next;
  if (seq < ledger.tree_size()) next = seq;
  return JsonResponse(call.request, http::status::ok, RecordPage(page, next));
}

Response GetEvent(const Call& call) {
  if (Status params = CheckParams(call.target, {}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<uint64_t> seq = ParseCount(call.target.segments[2], "seq");
  if (!seq.ok()) return ProblemResponse(call.request, seq.status());
  if (Status scope = CheckProvinceScope(call, "the raw log"); !scope.ok()) {
    return ProblemResponse(call.request, scope);
  }
  Result<StoredRecord> record = call.state.ledger.ReadRecord(*seq);
  if (!record.ok()) return ProblemResponse(call.request, record.status());
  return JsonResponse(call.request, http::status::ok, RecordJson(*record));
}

}  // namespace fupin::api
