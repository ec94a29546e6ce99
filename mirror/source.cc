#include "mirror/source.h"

#include <boost/json/serialize.hpp>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"

namespace fupin::mirror {
namespace {

namespace bj = boost::json;

Status Wrong(const std::string& target, const std::string& what) {
  return Status(ErrorCode::kUnavailable, "the source's " + target + ": " + what);
}

Result<std::vector<merkle::Hash>> ParsePath(const bj::object& answer, const std::string& target) {
  const bj::value* path = answer.if_contains("path");
  if (path == nullptr) return Wrong(target, "no path");
  Result<std::vector<merkle::Hash>> hashes = ParseHexPath(*path);
  if (!hashes.ok()) return Wrong(target, hashes.status().message());
  return hashes;
}

Result<bj::object> ParseAnswer(const std::string& body, const std::string& target) {
  Result<bj::object> parsed = json::ParseStrictObject(body);
  if (!parsed.ok()) return Wrong(target, parsed.status().message());
  return parsed;
}

}  // namespace

Result<std::unique_ptr<Source>> Source::Connect(const SourceOptions& options) {
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<api::HttpClient> client,
                         api::HttpClient::Create(options.url, options.token, options.cacert));
  std::string url = options.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return std::unique_ptr<Source>(new Source(std::move(url), std::move(client)));
}

Result<std::string> Source::Get(const std::string& target, bool not_found_ok) {
  Result<api::ClientResponse> response = client_->Get(target);
  if (!response.ok()) {
    return Status(ErrorCode::kIoError,
                  "source " + url_ + " unreachable: " + response.status().message());
  }
  if (response->status == 200) return std::move(response->body);
  if (response->status == 404 && not_found_ok) return Status(ErrorCode::kNotFound, target);
  std::string detail = response->body;
  Result<bj::object> problem = json::ParseStrictObject(response->body);
  if (problem.ok()) {
    if (const bj::value* d = problem->if_contains("detail"); d != nullptr && d->is_string()) {
      detail = d->get_string();
    }
  }
  return Status(ErrorCode::kUnavailable, "source " + url_ + " answered " +
                                             std::to_string(response->status) + " to GET " +
                                             target + ": " + detail);
}

Result<SourceCheckpoint> Source::Latest() {
  const std::string target = "/v1/checkpoint";
  FUPIN_ASSIGN_OR_RETURN(std::string body, Get(target));
  Result<Checkpoint> checkpoint = ParseServedCheckpoint(body);
  if (!checkpoint.ok()) return Wrong(target, checkpoint.status().message());
  FUPIN_ASSIGN_OR_RETURN(bj::object answer, ParseAnswer(body, target));
  SourceCheckpoint out;
  out.replicated.checkpoint = std::move(checkpoint).value();
  if (const bj::value* n = answer.if_contains("note"); n != nullptr && n->is_string()) {
    out.replicated.note = n->get_string();
  }
  if (const bj::value* o = answer.if_contains("origin"); o != nullptr && o->is_string()) {
    out.origin = o->get_string();
  }
  return out;
}

Result<std::optional<Checkpoint>> Source::CheckpointAt(uint64_t size) {
  const std::string target = "/v1/checkpoints/" + std::to_string(size);
  Result<std::string> body = Get(target, /*not_found_ok=*/true);
  if (!body.ok() && body.status().code() == ErrorCode::kNotFound)
    return std::optional<Checkpoint>();
  if (!body.ok()) return body.status();
  Result<Checkpoint> checkpoint = ParseServedCheckpoint(*body);
  if (!checkpoint.ok()) return Wrong(target, checkpoint.status().message());
  return std::optional<Checkpoint>(std::move(checkpoint).value());
}

Result<std::vector<StoredRecord>> Source::Records(uint64_t from, std::size_t limit) {
  const std::string target =
      "/v1/events?from=" + std::to_string(from) + "&limit=" + std::to_string(limit);
  FUPIN_ASSIGN_OR_RETURN(std::string body, Get(target));
  FUPIN_ASSIGN_OR_RETURN(bj::object answer, ParseAnswer(body, target));
  const bj::value* records = answer.if_contains("records");
  if (records == nullptr || !records->is_array()) return Wrong(target, "no records array");
  std::vector<StoredRecord> out;
  out.reserve(records->get_array().size());
  for (const bj::value& item : records->get_array()) {
    if (!item.is_object()) return Wrong(target, "a record is not an object");
    Result<StoredRecord> record = ParseRecordJson(item.get_object());
    if (!record.ok()) return Wrong(target, record.status().message());
    out.push_back(std::move(record).value());
  }
  return out;
}

Result<std::vector<merkle::Hash>> Source::Path(const std::string& target) {
  FUPIN_ASSIGN_OR_RETURN(std::string body, Get(target));
  FUPIN_ASSIGN_OR_RETURN(bj::object answer, ParseAnswer(body, target));
  return ParsePath(answer, target);
}

Result<std::vector<merkle::Hash>> Source::Consistency(uint64_t first, uint64_t second) {
  return Path("/v1/proof/consistency?first=" + std::to_string(first) +
              "&second=" + std::to_string(second));
}

Result<std::vector<merkle::Hash>> Source::Inclusion(uint64_t seq, uint64_t tree_size) {
  return Path("/v1/proof/inclusion?seq=" + std::to_string(seq) +
              "&tree_size=" + std::to_string(tree_size));
}

}  // namespace fupin::mirror
