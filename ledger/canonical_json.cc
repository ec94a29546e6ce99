#include "ledger/canonical_json.h"

#include <algorithm>
#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/string.hpp>
#include <boost/system/errc.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace fupin::json {
namespace {

using boost::json::error_code;
using boost::json::key_value_pair;
using StringView = boost::json::string_view;

// Longest number or member name quoted back in an error message: enough to
// recognise it without echoing an attacker's megabyte of digits.
inline constexpr std::size_t kMaxQuoted = 64;

// Typical event size: one reservation covers the whole canonical form of an
// event on the ingest and verification hot paths.
inline constexpr std::size_t kCanonicalReserve = 512;

// Members of all open objects on the sort stack: an event has about 20
// (envelope plus body), so the stack is allocated once per call.
inline constexpr std::size_t kMemberReserve = 32;

std::string Quote(std::string_view text, std::size_t max) {
  return '"' + std::string(text.substr(0, max)) +
         (text.size() > max ? "...\"" : "\"");
}

// Lower case: RFC 8785 writes \u00xx escapes with lower-case hex.
inline constexpr char kHexDigits[] = "0123456789abcdef";

// "'x'" for a printable ASCII byte, else "0xff": safe to put in a message.
std::string ByteText(char byte) {
  const auto c = static_cast<unsigned char>(byte);
  if (c >= 0x20 && c < 0x7f) return std::string{'\'', byte, '\''};
  return std::string{'0', 'x', kHexDigits[c >> 4], kHexDigits[c & 0xF]};
}

// Streaming UTF-8 validator (RFC 3629: no overlongs, no surrogates, nothing
// above U+10FFFF). Streaming because Boost hands long or escaped strings over
// in parts, which may split a multi-byte sequence.
class Utf8Validator {
 public:
  // Index of the first invalid byte of `s`, or npos.
  std::size_t Feed(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (need_ > 0) {
        if (p[i] < lo_ || p[i] > hi_) return i;
        --need_;
        lo_ = 0x80;
        hi_ = 0xBF;
        continue;
      }
      // ASCII fast path, eight bytes at a time.
      uint64_t word;
      while (i + 8 <= n && (std::memcpy(&word, p + i, 8),
                            (word & 0x8080808080808080ULL) == 0)) {
        i += 8;
      }
      if (i == n) break;
      if (p[i] >= 0x80 && !Open(p[i])) return i;
    }
    return std::string_view::npos;
  }

  // True when no multi-byte sequence is left open.
  bool Complete() const { return need_ == 0; }
  void Reset() { need_ = 0; }

 private:
  // Sets what must follow lead byte `c`; false if `c` cannot lead.
  bool Open(unsigned char c) {
    lo_ = 0x80;
    hi_ = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      need_ = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need_ = 2;
      if (c == 0xE0) lo_ = 0xA0;  // no overlong 3-byte forms
      if (c == 0xED) hi_ = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      need_ = 3;
      if (c == 0xF0) lo_ = 0x90;  // no overlong 4-byte forms
      if (c == 0xF4) hi_ = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;
    }
    return true;
  }

  int need_ = 0;             // continuation bytes still expected
  unsigned char lo_ = 0x80;  // range of the next continuation byte
  unsigned char hi_ = 0xBF;
};

// Members an object is given room for when it opens, when the caller
// brought its own storage (verification, reading the ledger's own records);
// at most Boost's small-object size (18), so small objects stay without a
// hash index. Never for the default storage, which parses untrusted request
// bodies: there "{}" must stay free, not 400 bytes.
inline constexpr std::size_t kObjectReserve = 12;

// Builds the value in place while parsing, enforcing the rules Boost's own
// parser does not: duplicate names, integer-only numbers, string length and
// (with allow_invalid_utf8 set, so the message can be precise) UTF-8.
// Containers are built directly in their parent's slot: a parent never grows
// while a child is open, so the slot pointers on the stack stay valid.
class StrictHandler {
 public:
  // Limits Boost checks at compile time; ours are runtime (ParseLimits).
  static constexpr std::size_t max_object_size =
      std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_array_size =
      std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_key_size =
      std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_string_size =
      std::numeric_limits<std::size_t>::max();

  StrictHandler(std::string_view input, std::size_t max_string_bytes, bool allow_fractions,
                boost::json::storage_ptr storage)
      : input_(input),
        max_string_bytes_(max_string_bytes),
        allow_fractions_(allow_fractions),
        reserve_objects_(storage != boost::json::storage_ptr()),
        root_(std::move(storage)) {
    stack_.reserve(8);
  }

  const Status& status() const { return status_; }
  boost::json::value& root() { return root_; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return Push(boost::json::object_kind); }
  bool on_object_end(std::size_t, error_code&) { return Pop(); }
  bool on_array_begin(error_code&) { return Push(boost::json::array_kind); }
  bool on_array_end(std::size_t, error_code&) { return Pop(); }

  bool on_key_part(StringView s, std::size_t n, error_code& ec) {
    return KeyPiece(s, n, false, ec);
  }
  bool on_key(StringView s, std::size_t n, error_code& ec) {
    return KeyPiece(s, n, true, ec);
  }
  bool on_string_part(StringView s, std::size_t n, error_code& ec) {
    return StringPiece(s, n, false, ec);
  }
  bool on_string(StringView s, std::size_t n, error_code& ec) {
    return StringPiece(s, n, true, ec);
  }

  bool on_number_part(StringView s, error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t i, StringView s, error_code& ec) {
    // "-0" arrives here as 0 and is stored, as JCS prints it, as 0.
    if (i > kMaxSafeInteger || i < -kMaxSafeInteger) return OutOfRange(s, ec);
    number_.clear();
    return Put(i);
  }
  bool on_uint64(uint64_t, StringView s, error_code& ec) {
    // Boost only uses uint64 above INT64_MAX, far beyond 2^53 - 1.
    return OutOfRange(s, ec);
  }
  bool on_double(double d, StringView s, error_code& ec) {
    // Boost also reports integers too large for uint64 as doubles; only a
    // fraction or an exponent makes a number "not an integer".
    number_.append(s.data(), s.size());
    if (number_.find_first_of(".eE") == std::string::npos) {
      return OutOfRange({}, ec);
    }
    if (allow_fractions_) {
      number_.clear();
      return Put(d);
    }
    NextSlot();  // so the error path names the element (see Fail)
    return Fail(ErrorCode::kNumberNotInteger,
                "number " + Quote(number_, kMaxQuoted) +
                    " has a fraction or an exponent; only integers are allowed",
                ec);
  }

  bool on_bool(bool b, error_code&) { return Put(b); }
  bool on_null(error_code&) { return Put(nullptr); }
  bool on_comment_part(StringView, error_code&) { return true; }
  bool on_comment(StringView, error_code&) { return true; }

 private:
  struct Frame {
    boost::json::value* container;
    // Member being filled when `container` is an object, else null.
    key_value_pair* member;
  };

  template <typename T>
  bool Put(T scalar) {
    *NextSlot() = scalar;
    return true;
  }
  // Opens an object or an array (Kind: object_kind_t, array_kind_t) in the
  // next slot.
  template <typename Kind>
  bool Push(Kind) {
    boost::json::value* slot = NextSlot();
    // In the slot's own storage, as every value of the document.
    if constexpr (std::is_same_v<Kind, boost::json::object_kind_t>) {
      // Room for the members of every envelope, record and most bodies
      // from the start: growing one member at a time reallocated and moved
      // an object six times on its way to eight members.
      boost::json::object& object = slot->emplace_object();
      if (reserve_objects_) object.reserve(kObjectReserve);
    } else {
      slot->emplace_array();
    }
    stack_.push_back({slot, nullptr});
    return true;
  }
  bool Pop() {
    stack_.pop_back();
    return true;
  }

  boost::json::value* NextSlot() {
    if (stack_.empty()) return &root_;
    Frame& top = stack_.back();
    if (top.container->is_array()) {
      boost::json::array& array = top.container->get_array();
      array.emplace_back(nullptr);
      return &array.back();
    }
    // The parser only asks for a member's value right after on_key.
    return &top.member->value();
  }

  // One piece of a member name; `n` is the total length so far.
  bool KeyPiece(StringView s, std::size_t n, bool last, error_code& ec) {
    Frame& top = stack_.back();
    if (!key_open_) {
      key_open_ = true;
      utf8_.Reset();
      key_.clear();
      top.member = nullptr;  // errors in a name belong to its object
    }
    if (!CheckText(s, n, last, "member name", ec)) return false;
    std::string_view name(s.data(), s.size());
    if (!last || n != s.size()) {
      key_.append(s.data(), s.size());
      name = key_;
    }
    if (!last) return true;
    key_open_ = false;
    auto [it, inserted] = top.container->get_object().emplace(name, nullptr);
    if (!inserted) {
      return Fail(ErrorCode::kDuplicateKey,
                  "duplicate member name " + Quote(name, kMaxQuoted), ec);
    }
    top.member = &*it;
    return true;
  }

  // One piece of a string value, appended straight into its slot.
  bool StringPiece(StringView s, std::size_t n, bool last, error_code& ec) {
    if (!string_open_) {
      string_open_ = true;
      utf8_.Reset();
      string_ = &NextSlot()->emplace_string();
    }
    if (!CheckText(s, n, last, "string", ec)) return false;
    string_->append(s);
    string_open_ = !last;
    return true;
  }

  // Length limit and UTF-8 of one piece; the last also closes the sequence.
  bool CheckText(StringView s, std::size_t n, bool last, const char* what,
                 error_code& ec) {
    if (n > max_string_bytes_) {
      return Fail(ErrorCode::kMalformedJson,
                  std::string(what) + " longer than " +
                      std::to_string(max_string_bytes_) + " bytes",
                  ec);
    }
    const std::size_t bad = utf8_.Feed(std::string_view(s.data(), s.size()));
    if (bad == std::string_view::npos && (!last || utf8_.Complete())) {
      return true;
    }
    std::string message = "invalid UTF-8 in " + std::string(what) + ": ";
    if (bad == std::string_view::npos) {
      message += "truncated multi-byte sequence at its end";
    } else {
      message += "byte " + ByteText(s[bad]);
      // Unescaped pieces point into the input, so the offset is exact.
      const std::uintptr_t offset =
          reinterpret_cast<std::uintptr_t>(s.data() + bad) -
          reinterpret_cast<std::uintptr_t>(input_.data());
      if (offset < input_.size()) {
        message += " at offset " + std::to_string(offset);
      }
    }
    return Fail(ErrorCode::kInvalidUtf8, std::move(message), ec);
  }

  bool OutOfRange(StringView last, error_code& ec) {
    number_.append(last.data(), last.size());
    NextSlot();  // so the error path names the element (see Fail)
    return Fail(
        ErrorCode::kNumberOutOfRange,
        "integer " + Quote(number_, kMaxQuoted) + " lies outside +/-(2^53-1)",
        ec);
  }

  // Records the Status with the JSON path of the failing place ("body.a[2]")
  // and stops the parser; the error_code only tells Boost to stop. The
  // failing element already has its slot, so an array's last index is it.
  bool Fail(ErrorCode code, std::string message, error_code& ec) {
    std::string path;
    for (const Frame& frame : stack_) {
      if (frame.container->is_array()) {
        const std::size_t size = frame.container->get_array().size();
        if (size == 0) break;
        path += '[' + std::to_string(size - 1) + ']';
      } else if (frame.member != nullptr) {
        if (!path.empty()) path += '.';
        const std::string_view key = frame.member->key();
        path.append(key.substr(0, kMaxQuoted));
      } else {
        break;
      }
    }
    status_ = Status(code, std::move(message));
    if (!path.empty()) status_ = status_.WithContext(path);
    ec = boost::system::errc::make_error_code(
        boost::system::errc::invalid_argument);
    return false;
  }

  std::string_view input_;
  std::size_t max_string_bytes_;
  bool allow_fractions_;
  bool reserve_objects_;
  boost::json::value root_;
  std::vector<Frame> stack_;
  std::string key_;                        // member name delivered in pieces
  std::string number_;                     // number text delivered in pieces
  boost::json::string* string_ = nullptr;  // string value being filled
  bool key_open_ = false;
  bool string_open_ = false;
  Utf8Validator utf8_;
  Status status_;
};

// Boost 1.81 reports a high surrogate escape that is not followed by "\u"
// as a plain syntax error at the byte after "\uD8xx". Recognise that case so
// unpaired surrogates are always kInvalidUtf8: they have no UTF-8 encoding.
bool FollowsHighSurrogateEscape(std::string_view text, std::size_t offset) {
  std::string_view before = text.substr(0, offset);
  // "\uD800\n": the parser stops after the backslash of the next escape.
  if (before.ends_with('\\')) before.remove_suffix(1);
  if (before.size() < 6) return false;
  const std::size_t start = before.size() - 6;
  const std::string_view escape = before.substr(start);
  if (!escape.starts_with("\\u") || (escape[2] | 0x20) != 'd' ||
      std::string_view("89abAB").find(escape[3]) == std::string_view::npos) {
    return false;
  }
  // An escape only if its backslash is not itself escaped, as in "\\ud800".
  std::size_t run = 0;
  while (run < start && before[start - run - 1] == '\\') ++run;
  return run % 2 == 0;
}

Status MapParserError(const error_code& ec, std::string_view text,
                      std::size_t offset, const ParseLimits& limits) {
  namespace bj = boost::json;
  const std::string at = " at byte " + std::to_string(offset);
  if (ec == bj::error::illegal_leading_surrogate ||
      ec == bj::error::illegal_trailing_surrogate ||
      (ec == bj::error::syntax && FollowsHighSurrogateEscape(text, offset))) {
    return Status(ErrorCode::kInvalidUtf8,
                  "unpaired UTF-16 surrogate escape" + at);
  }
  if (ec == bj::error::too_deep) {
    return Status(ErrorCode::kMalformedJson,
                  "nesting deeper than " + std::to_string(limits.max_depth) +
                      " levels" + at);
  }
  if (ec == bj::error::incomplete) {
    return Status(ErrorCode::kMalformedJson,
                  "truncated JSON: input ends" + at + " inside a value");
  }
  std::string message = ec.message();
  if (offset < text.size()) message += " (" + ByteText(text[offset]) + ")";
  return Status(ErrorCode::kMalformedJson, message + at);
}

// ---- Canonical output ----

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
          '\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0xF]};
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
    written =
        std::trunc(d) == d && std::fabs(d) <= kMaxSafeInteger
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
    return Status(
        ErrorCode::kNumberNotInteger,
        AtPath(path, "number " + number + " is a double, not an integer"));
  } else if (value.is_int64() || value.is_uint64()) {
    const bool safe = value.is_int64()
                          ? value.get_int64() <= kMaxSafeInteger &&
                                value.get_int64() >= -kMaxSafeInteger
                          : value.get_uint64() <= uint64_t{kMaxSafeInteger};
    if (safe) return Status::Ok();
    std::string number;
    AppendNumber(value, number);
    return Status(
        ErrorCode::kNumberOutOfRange,
        AtPath(path, "integer " + number + " lies outside +/-(2^53-1)"));
  }
  return Status::Ok();
}

}  // namespace

Result<boost::json::value> ParseStrict(std::string_view text, const ParseLimits& limits,
                                       boost::json::storage_ptr storage) {
  if (text.find_first_not_of(" \t\n\r") == std::string_view::npos) {
    return Status(ErrorCode::kMalformedJson, "empty input: no JSON value");
  }
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  // UTF-8 is checked by the handler, which can say where and in what.
  options.allow_invalid_utf8 = true;
  try {
    boost::json::basic_parser<StrictHandler> parser(options, text, limits.max_string_bytes,
                                                    limits.allow_fractions, std::move(storage));
    error_code ec;
    const std::size_t consumed =
        parser.write_some(false, text.data(), text.size(), ec);
    if (ec) {
      const Status& handler_status = parser.handler().status();
      if (!handler_status.ok()) {
        return Status(handler_status.code(),
                      handler_status.message() + " (near byte " +
                          std::to_string(consumed) + ")");
      }
      return MapParserError(ec, text, consumed, limits);
    }
    if (consumed < text.size()) {
      return Status(ErrorCode::kMalformedJson,
                    "trailing data after the JSON value at byte " +
                        std::to_string(consumed));
    }
    return std::move(parser.handler().root());
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kInternal, "out of memory while parsing JSON");
  } catch (const std::length_error& e) {
    return Status(ErrorCode::kMalformedJson,
                  std::string("JSON value too large: ") + e.what());
  }
}

Result<boost::json::object> ParseStrictObject(std::string_view text, const ParseLimits& limits,
                                              boost::json::storage_ptr storage) {
  Result<boost::json::value> parsed = ParseStrict(text, limits, std::move(storage));
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) {
    return Status(ErrorCode::kNotAnObject,
                  std::string("top-level JSON value is ") +
                      boost::json::to_string(parsed->kind()).data() +
                      ", not an object");
  }
  return std::move(parsed->get_object());
}

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
