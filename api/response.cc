#include "api/response.h"

#include <algorithm>
#include <cctype>

#include "api/gzip.h"
#include "api/problem.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"

namespace fupin::api {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The opaque tag of an entity-tag (W/"x" and "x" both give x); nullopt
// for what is not one.
std::optional<std::string_view> OpaqueTag(std::string_view tag) {
  tag = Trim(tag);
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  if (tag.size() < 2 || tag.front() != '"' || tag.back() != '"') return std::nullopt;
  return tag.substr(1, tag.size() - 2);
}

// Calls `visit` with every trimmed element of the comma-separated lists in
// the request's `name` fields (RFC 9110 §5.6.1), in order, until it
// returns true; whether it did.
template <typename Visit>
bool AnyListElement(const Request& request, http::field name, Visit visit) {
  auto [first, last] = request.equal_range(name);
  for (auto field = first; field != last; ++field) {
    std::string_view list = field->value();
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      std::string_view item = Trim(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      if (visit(item)) return true;
    }
  }
  return false;
}

// RFC 9110 §13.1.2: If-None-Match is "*" or a list of entity-tags,
// compared weakly. Entity-tags cannot hold commas or quotes, so the list
// splits on commas.
bool IfNoneMatchNames(const Request& request, std::string_view etag) {
  std::optional<std::string_view> ours = OpaqueTag(etag);
  if (!ours) return false;
  return AnyListElement(request, http::field::if_none_match, [&](std::string_view item) {
    if (item == "*") return true;
    std::optional<std::string_view> tag = OpaqueTag(item);
    return tag && *tag == *ours;
  });
}

// The q value of an Accept-Encoding element's parameters (";q=0.5"): 1
// when absent; only whether it is zero matters here.
bool QualityIsZero(std::string_view params) {
  while (!params.empty()) {
    std::size_t semicolon = params.find(';');
    std::string_view param = Trim(params.substr(0, semicolon));
    params =
        semicolon == std::string_view::npos ? std::string_view() : params.substr(semicolon + 1);
    std::size_t equals = param.find('=');
    if (equals == std::string_view::npos) continue;
    if (!EqualsIgnoringCase(Trim(param.substr(0, equals)), "q")) continue;
    std::string_view q = Trim(param.substr(equals + 1));
    // qvalue = "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]
    return !q.empty() && q.front() == '0' &&
           std::all_of(q.begin() + 1, q.end(), [](char c) { return c == '.' || c == '0'; });
  }
  return false;
}

}  // namespace

Response MakeResponse(const Request& request, http::status status, std::string_view content_type,
                      std::string body) {
  Response response(status, request.version());
  response.set(http::field::content_type, content_type);
  // Every answer is computed per request; ledger contents change on every
  // append, so caches must not reuse them.
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response JsonResponse(const Request& request, http::status status, std::string body) {
  return MakeResponse(request, status, kJsonContentType, std::move(body));
}

Response ProblemResponse(const Request& request, const Status& error,
                         std::optional<std::size_t> index) {
  return MakeResponse(request, static_cast<http::status>(HttpStatusFor(error.code())),
                      kProblemContentType, ProblemJson(error, index));
}

Response ClosingProblemResponse(const Status& error) {
  Response response(static_cast<http::status>(HttpStatusFor(error.code())), 11);
  response.set(http::field::content_type, kProblemContentType);
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(false);
  response.body() = ProblemJson(error);
  response.prepare_payload();
  return response;
}

}  // namespace fupin::api

namespace fupin::api {

void MarkImmutable(const Request& request, Response& response) {
  MarkCacheable(request, response, kImmutableCacheControl);
}

void MarkCacheable(const Request& request, Response& response, std::string_view cache_control) {
  if (response.result() != http::status::ok) return;
  crypto::Digest digest = crypto::Sha256(response.body());
  std::string etag = "\"" + HexEncode(std::span<const uint8_t>(digest)) + "\"";
  response.set(http::field::etag, etag);
  response.set(http::field::cache_control, cache_control);
  if (!IfNoneMatchNames(request, etag)) return;
  // RFC 9110 §15.4.5: no content; the validators and caching fields stay,
  // Content-Length would describe a body that is not sent.
  response.result(http::status::not_modified);
  response.body().clear();
  response.erase(http::field::content_type);
  response.content_length(boost::none);
  response.chunked(false);
}

bool AcceptsGzip(const Request& request) {
  std::optional<bool> gzip;
  std::optional<bool> any;
  AnyListElement(request, http::field::accept_encoding, [&](std::string_view item) {
    std::size_t semicolon = item.find(';');
    std::string_view coding = Trim(item.substr(0, semicolon));
    bool accepted =
        semicolon == std::string_view::npos || !QualityIsZero(item.substr(semicolon + 1));
    if (EqualsIgnoringCase(coding, "gzip") || EqualsIgnoringCase(coding, "x-gzip")) {
      gzip = gzip.value_or(false) || accepted;
    } else if (coding == "*") {
      any = accepted;
    }
    return false;  // every element counts
  });
  if (gzip) return *gzip;
  return any.value_or(false);
}

void CompressIfAccepted(const Request& request, Response& response) {
  if (response.body().size() < kMinGzipBytes) return;
  if (response.find(http::field::content_encoding) != response.end()) return;
  response.set(http::field::vary, "Accept-Encoding");
  if (!AcceptsGzip(request)) return;
  Result<std::string> compressed = Gzip(response.body());
  if (!compressed.ok()) return;  // the identity body is as good an answer
  response.body() = std::move(compressed).value();
  response.set(http::field::content_encoding, "gzip");
  auto etag = response.find(http::field::etag);
  if (etag != response.end() && etag->value().substr(0, 2) != "W/") {
    response.set(http::field::etag, "W/" + std::string(etag->value()));
  }
  response.prepare_payload();
}

}  // namespace fupin::api
