// The canonical form of canonical_json.h (RFC 8785, JCS, restricted to
// integers) and the integer rules for values built in code.
#include "ledger/canonical_json.h"

#include <algorithm>
#include <array>
#include <boost/json/string.hpp>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/codec.h"

namespace fupin::json {
namespace {

using boost::json::key_value_pair;

// Typical event size: one reservation covers the whole canonical form of an
// event on the ingest and verification hot paths.
inline constexpr std::size_t kCanonicalReserve = 512;

// Members of all open objects on the sort stack: an event has about 20
// (envelope plus body), so the stack is allocated once per call.
inline constexpr std::size_t kMemberReserve = 32;

// Escape for each byte: 0 = copy raw, 'u' = \u00xx, else the short escape.
constexpr std::array<char, 256> MakeEscapeTable() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  // Pairs of (byte, letter of its short escape).
  for (const char* p = "\bb\tt\nn\ff\rr\"\"\\\\"; *p != 0; p += 2) {
    table[static_cast<unsigned char>(p[0])] = p[1];
  }
  return table;
}
inline constexpr std::array<char, 256> kEscape = MakeEscapeTable();

void AppendString(std::string_view s, std::string& out) {
  out += '"';
  std::size_t run = 0;  // start of the pending raw run
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char e = kEscape[static_cast<unsigned char>(s[i])];
    if (e == 0) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    if (e == 'u') {
      const auto c = static_cast<unsigned char>(s[i]);
      const char escaped[6] = {
          '\\', 'u', '0', '0', kHexDigitsLower[c >> 4], kHexDigitsLower[c & 0xF]};
      out.append(escaped, 6);
    } else {
      const char escaped[2] = {'\\', e};
      out.append(escaped, 2);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// Numbers in shortest decimal form. Doubles are outside the contract
// (CheckIntegers rejects them): an integral one is written as JCS would,
// any other in its shortest round-trip form, so output stays deterministic.
void AppendNumber(const boost::json::value& value, std::string& out) {
  char buf[32];
  std::to_chars_result written{};
  if (value.is_int64()) {
    written = std::to_chars(buf, buf + sizeof(buf), value.get_int64());
  } else if (value.is_uint64()) {
    written = std::to_chars(buf, buf + sizeof(buf), value.get_uint64());
  } else {
    const double d = value.get_double();
    written = std::trunc(d) == d && std::fabs(d) <= kMaxSafeInteger
                  ? std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(d))
                  : std::to_chars(buf, buf + sizeof(buf), d);
  }
  out.append(buf, written.ptr);
}

// Order of member names by UTF-16 code units (RFC 8785 §3.2.3). For valid
// UTF-8 this is byte order, except that a supplementary character (lead byte
// F0-F4, a surrogate pair D800-DBFF in UTF-16) sorts before U+E000-U+FFFF
// (lead byte EE or EF). Bytes before the first difference are equal, so
// only a difference at a lead byte can put the two in different classes.
bool Utf16Less(std::string_view a, std::string_view b) {
  const auto [pa, pb] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (pa == a.end() || pb == b.end()) return pb != b.end();
  const auto ca = static_cast<unsigned char>(*pa);
  const auto cb = static_cast<unsigned char>(*pb);
  if (ca >= 0xF0 && (cb == 0xEE || cb == 0xEF)) return true;
  if (cb >= 0xF0 && (ca == 0xEE || ca == 0xEF)) return false;
  return ca < cb;
}

void AppendValue(const boost::json::value& value, std::string& out,
                 std::vector<const key_value_pair*>& members);

// `members` is one scratch stack shared by the whole walk: each object sorts
// pointers to its members at the top and pops them when done, so a
// canonicalization allocates at most a handful of times.
void AppendObject(const boost::json::object& object, std::string& out,
                  std::vector<const key_value_pair*>& members) {
  const std::size_t base = members.size();
  for (const key_value_pair& member : object) members.push_back(&member);
  std::sort(members.begin() + static_cast<std::ptrdiff_t>(base), members.end(),
            [](const key_value_pair* x, const key_value_pair* y) {
              return Utf16Less(x->key(), y->key());
            });
  out += '{';
  // Index, not iterator: nested objects push onto `members`.
  for (std::size_t i = base; i < base + object.size(); ++i) {
    if (i != base) out += ',';
    const key_value_pair* member = members[i];
    AppendString(member->key(), out);
    out += ':';
    AppendValue(member->value(), out, members);
  }
  members.resize(base);
  out += '}';
}

void AppendValue(const boost::json::value& value, std::string& out,
                 std::vector<const key_value_pair*>& members) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out.append("null", 4);
      return;
    case boost::json::kind::bool_:
      value.get_bool() ? out.append("true", 4) : out.append("false", 5);
      return;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      AppendNumber(value, out);
      return;
    case boost::json::kind::string:
      AppendString(value.get_string(), out);
      return;
    case boost::json::kind::array: {
      const boost::json::array& array = value.get_array();
      out += '[';
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (i != 0) out += ',';
        AppendValue(array[i], out, members);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object:
      AppendObject(value.get_object(), out, members);
      return;
  }
}

std::string AtPath(const std::string& path, std::string message) {
  if (path.empty()) return message;
  return path + ": " + message;
}

// `path` ("rows[2].sales_fen") grows and shrinks with the walk, so a valid
// value costs no allocation beyond the first few bytes of path.
Status CheckIntegersAt(const boost::json::value& value, std::string& path) {
  if (const boost::json::array* array = value.if_array()) {
    const std::size_t mark = path.size();
    for (std::size_t i = 0; i < array->size(); ++i) {
      path += '[' + std::to_string(i) + ']';
      FUPIN_RETURN_IF_ERROR(CheckIntegersAt((*array)[i], path));
      path.resize(mark);
    }
  } else if (const boost::json::object* object = value.if_object()) {
    const std::size_t mark = path.size();
    for (const key_value_pair& member : *object) {
      if (mark != 0) path += '.';
      path.append(member.key().data(), member.key().size());
      FUPIN_RETURN_IF_ERROR(CheckIntegersAt(member.value(), path));
      path.resize(mark);
    }
  } else if (value.is_double()) {
    std::string number;
    AppendNumber(value, number);
    return Status(ErrorCode::kNumberNotInteger,
                  AtPath(path, "number " + number + " is a double, not an integer"));
  } else if (value.is_int64() || value.is_uint64()) {
    const bool safe = value.is_int64() ? value.get_int64() <= kMaxSafeInteger &&
                                             value.get_int64() >= -kMaxSafeInteger
                                       : value.get_uint64() <= uint64_t{kMaxSafeInteger};
    if (safe) return Status::Ok();
    std::string number;
    AppendNumber(value, number);
    return Status(ErrorCode::kNumberOutOfRange,
                  AtPath(path, "integer " + number + " lies outside +/-(2^53-1)"));
  }
  return Status::Ok();
}

}  // namespace

Status CheckIntegers(const boost::json::value& value) {
  std::string path;
  return CheckIntegersAt(value, path);
}

void AppendCanonical(const boost::json::value& value, std::string& out) {
  std::vector<const key_value_pair*> members;
  members.reserve(kMemberReserve);
  AppendValue(value, out, members);
}

std::string Canonicalize(const boost::json::value& value) {
  std::string out;
  out.reserve(kCanonicalReserve);
  AppendCanonical(value, out);
  return out;
}

std::string Canonicalize(const boost::json::object& object) {
  std::string out;
  out.reserve(kCanonicalReserve);
  std::vector<const key_value_pair*> members;
  members.reserve(kMemberReserve);
  AppendObject(object, out, members);
  return out;
}

}  // namespace fupin::json
