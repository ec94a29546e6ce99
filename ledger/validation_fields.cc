// Typed field readers and the shared format predicates of event_types.h.
#include <boost/json/string.hpp>

#include "ledger/canonical_json.h"
#include "ledger/event_types.h"
#include "ledger/time.h"
#include "ledger/validation_internal.h"

namespace fupin {

bool IsValidEntityId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsRegionCodeFormat(std::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

namespace internal {
namespace {

// Code points of valid UTF-8 (strict parsing has checked validity): every
// byte that is not a continuation byte starts one.
std::size_t CodePointCount(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string_view View(const boost::json::string& s) { return {s.data(), s.size()}; }

}  // namespace

void FieldPath::AppendTo(std::string& out) const {
  if (parent_ != nullptr) parent_->AppendTo(out);
  if (index_ != kNoIndex) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
    return;
  }
  if (parent_ != nullptr) out += '.';
  out += name_;
}

std::string FieldPath::ToString() const {
  std::string out;
  AppendTo(out);
  return out;
}

Status InvalidField(const FieldPath& at, std::string_view what) {
  std::string message = at.ToString();
  message += ": ";
  message += what;
  return Status(ErrorCode::kInvalidField, std::move(message));
}

Status ReadString(const boost::json::value& v, const FieldPath& at, std::string_view& out) {
  const boost::json::string* s = v.if_string();
  if (s == nullptr) return InvalidField(at, "must be a string");
  out = View(*s);
  return Status::Ok();
}

Status ReadId(const boost::json::value& v, const FieldPath& at, std::string& out) {
  std::string_view text;
  FUPIN_RETURN_IF_ERROR(ReadString(v, at, text));
  if (!IsValidEntityId(text)) {
    return InvalidField(at, "must be an id of 1 to 64 characters [A-Za-z0-9._-]");
  }
  out.assign(text);
  return Status::Ok();
}

Status ReadText(const boost::json::value& v, const FieldPath& at, std::size_t max_chars,
                std::string& out) {
  std::string_view text;
  FUPIN_RETURN_IF_ERROR(ReadString(v, at, text));
  if (text.empty()) return InvalidField(at, "must not be empty");
  // Byte length bounds the code points from above: skip counting when short.
  if (text.size() > max_chars && CodePointCount(text) > max_chars) {
    return InvalidField(at, "must be at most " + std::to_string(max_chars) + " characters");
  }
  out.assign(text);
  return Status::Ok();
}

Status ReadRegionCode(const boost::json::value& v, const FieldPath& at, std::string& out) {
  std::string_view text;
  FUPIN_RETURN_IF_ERROR(ReadString(v, at, text));
  if (!IsRegionCodeFormat(text)) return InvalidField(at, "must be a 6-digit region code");
  out.assign(text);
  return Status::Ok();
}

Status ReadDate(const boost::json::value& v, const FieldPath& at, std::string& text,
                int32_t& days) {
  std::string_view s;
  FUPIN_RETURN_IF_ERROR(ReadString(v, at, s));
  Result<int32_t> parsed = ParseDate(s);
  if (!parsed.ok()) return InvalidField(at, "must be a valid YYYY-MM-DD date");
  text.assign(s);
  days = *parsed;
  return Status::Ok();
}

Status ReadTimestamp(const boost::json::value& v, const FieldPath& at, int64_t& millis) {
  std::string_view s;
  FUPIN_RETURN_IF_ERROR(ReadString(v, at, s));
  Result<int64_t> parsed = ParseRfc3339Millis(s);
  if (!parsed.ok()) return InvalidField(at, "must be an RFC 3339 timestamp with offset");
  millis = *parsed;
  return Status::Ok();
}

Status ReadInteger(const boost::json::value& v, const FieldPath& at, int64_t min, int64_t& out) {
  std::optional<int64_t> value;
  if (const int64_t* i = v.if_int64()) {
    value = *i;
  } else if (const uint64_t* u = v.if_uint64()) {
    if (*u <= static_cast<uint64_t>(json::kMaxSafeInteger)) value = static_cast<int64_t>(*u);
  }
  if (!value || *value < min || *value > json::kMaxSafeInteger || *value < -json::kMaxSafeInteger) {
    if (min == 0) return InvalidField(at, "must be a non-negative integer");
    if (min == 1) return InvalidField(at, "must be a positive integer");
    return InvalidField(at, "must be an integer >= " + std::to_string(min));
  }
  out = *value;
  return Status::Ok();
}

Status ReadBool(const boost::json::value& v, const FieldPath& at, bool& out) {
  const bool* b = v.if_bool();
  if (b == nullptr) return InvalidField(at, "must be a boolean");
  out = *b;
  return Status::Ok();
}

const boost::json::value* FieldReader::Find(std::string_view name) {
  // Each name is asked for once per object; kMaxKnown bounds the schema.
  if (known_count_ < kMaxKnown) known_[known_count_++] = name;
  return object_.if_contains(name);
}

Result<const boost::json::value*> FieldReader::Require(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return InvalidField(at_.Member(name), "required");
  return v;
}

Status FieldReader::Id(std::string_view name, std::string& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  return ReadId(*v, at_.Member(name), out);
}

Status FieldReader::OptionalId(std::string_view name, std::optional<std::string>& out) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return Status::Ok();
  out.emplace();
  return ReadId(*v, at_.Member(name), *out);
}

Status FieldReader::Name(std::string_view name, std::string& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  return ReadText(*v, at_.Member(name), kMaxNameChars, out);
}

Status FieldReader::OptionalName(std::string_view name, std::optional<std::string>& out) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return Status::Ok();
  out.emplace();
  return ReadText(*v, at_.Member(name), kMaxNameChars, *out);
}

Status FieldReader::Note(std::string_view name, std::string& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  return ReadText(*v, at_.Member(name), kMaxNoteChars, out);
}

Status FieldReader::RegionCode(std::string_view name, std::string& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  return ReadRegionCode(*v, at_.Member(name), out);
}

Status FieldReader::Date(std::string_view name, std::string& text, int32_t& days) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  return ReadDate(*v, at_.Member(name), text, days);
}

Status FieldReader::OptionalTimestamp(std::string_view name, std::optional<int64_t>& millis) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return Status::Ok();
  millis.emplace();
  return ReadTimestamp(*v, at_.Member(name), *millis);
}

Status FieldReader::Integer(std::string_view name, int64_t min, int64_t& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  return ReadInteger(*v, at_.Member(name), min, out);
}

Status FieldReader::Bool(std::string_view name, bool& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  return ReadBool(*v, at_.Member(name), out);
}

Status FieldReader::Object(std::string_view name, const boost::json::object*& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  out = v->if_object();
  if (out == nullptr) return InvalidField(at_.Member(name), "must be an object");
  return Status::Ok();
}

Status FieldReader::Array(std::string_view name, const boost::json::array*& out) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* v, Require(name));
  out = v->if_array();
  if (out == nullptr) return InvalidField(at_.Member(name), "must be an array");
  return Status::Ok();
}

Status FieldReader::Finish() const {
  // Objects are small (<= 16 members), so a linear scan beats a hash set.
  for (const auto& member : object_) {
    const std::string_view key = member.key();
    bool known = false;
    for (std::size_t i = 0; i < known_count_ && !known; ++i) known = known_[i] == key;
    if (!known) return InvalidField(at_.Member(key), "unknown field");
  }
  return Status::Ok();
}

}  // namespace internal
}  // namespace fupin
