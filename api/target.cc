#include "api/target.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <limits>

namespace fupin::api {
namespace {

// Values beyond int64 cannot be seqs or sizes, and JSON answers carry them
// as int64.
inline constexpr uint64_t kMaxCount = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

Status BadParam(std::string_view what, std::string_view why) {
  return Status(ErrorCode::kInvalidArgument, std::string(what) + ": " + std::string(why));
}

}  // namespace

Result<Target> ParseTarget(std::string_view text) {
  boost::system::result<boost::urls::url_view> url = boost::urls::parse_origin_form(text);
  if (!url) {
    return Status(ErrorCode::kInvalidArgument, "request target is not an origin-form path");
  }
  Target target;
  for (auto segment : url->segments()) target.segments.push_back(std::string(segment));
  for (auto param : url->params()) {
    target.params.emplace_back(std::string(param.key), std::string(param.value));
  }
  return target;
}

Status CheckParams(const Target& target, std::initializer_list<std::string_view> allowed) {
  for (std::size_t i = 0; i < target.params.size(); ++i) {
    const std::string& name = target.params[i].first;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return BadParam("query parameter \"" + name + "\"", "not accepted by this route");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (target.params[j].first == name) {
        return BadParam("query parameter \"" + name + "\"", "given more than once");
      }
    }
  }
  return Status::Ok();
}

std::optional<std::string_view> Param(const Target& target, std::string_view name) {
  for (const auto& [key, value] : target.params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

Result<std::string> RequiredParam(const Target& target, std::string_view name) {
  std::optional<std::string_view> value = Param(target, name);
  if (!value || value->empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "query parameter \"" + std::string(name) + "\" is required");
  }
  return std::string(*value);
}

Result<uint64_t> ParseCount(std::string_view text, std::string_view what) {
  if (text.empty()) return BadParam(what, "must be a non-negative integer, got nothing");
  if (text.size() > 1 && text.front() == '0') return BadParam(what, "has leading zeros");
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > kMaxCount) {
    return BadParam(what, "must be a non-negative integer below 2^63");
  }
  return value;
}

Result<uint64_t> CountParam(const Target& target, std::string_view name, uint64_t fallback) {
  std::optional<std::string_view> value = Param(target, name);
  if (!value) return fallback;
  return ParseCount(*value, "query parameter \"" + std::string(name) + "\"");
}

}  // namespace fupin::api
