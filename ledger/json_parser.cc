// The strict JSON parser of canonical_json.h: Boost.JSON's SAX parser with a
// handler that refuses duplicate names, non-integers and invalid UTF-8 as the
// value is built.
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

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/utf8.h"

namespace fupin::json {
namespace {

using boost::json::error_code;
using boost::json::key_value_pair;
using StringView = boost::json::string_view;

// Longest number or member name quoted back in an error message: enough to
// recognise it without echoing an attacker's megabyte of digits.
inline constexpr std::size_t kMaxQuoted = 64;

std::string Quote(std::string_view text, std::size_t max) {
  return '"' + std::string(text.substr(0, max)) + (text.size() > max ? "...\"" : "\"");
}

// "'x'" for a printable ASCII byte, else "0xff": safe to put in a message.
std::string ByteText(char byte) {
  const auto c = static_cast<unsigned char>(byte);
  if (c >= 0x20 && c < 0x7f) return std::string{'\'', byte, '\''};
  return std::string{'0', 'x', kHexDigitsLower[c >> 4], kHexDigitsLower[c & 0xF]};
}

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
  static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

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
  bool on_key(StringView s, std::size_t n, error_code& ec) { return KeyPiece(s, n, true, ec); }
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
      return Fail(ErrorCode::kDuplicateKey, "duplicate member name " + Quote(name, kMaxQuoted), ec);
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
  bool CheckText(StringView s, std::size_t n, bool last, const char* what, error_code& ec) {
    if (n > max_string_bytes_) {
      return Fail(
          ErrorCode::kMalformedJson,
          std::string(what) + " longer than " + std::to_string(max_string_bytes_) + " bytes", ec);
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
      const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(s.data() + bad) -
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
    return Fail(ErrorCode::kNumberOutOfRange,
                "integer " + Quote(number_, kMaxQuoted) + " lies outside +/-(2^53-1)", ec);
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
    ec = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
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

Status MapParserError(const error_code& ec, std::string_view text, std::size_t offset,
                      const ParseLimits& limits) {
  namespace bj = boost::json;
  const std::string at = " at byte " + std::to_string(offset);
  if (ec == bj::error::illegal_leading_surrogate || ec == bj::error::illegal_trailing_surrogate ||
      (ec == bj::error::syntax && FollowsHighSurrogateEscape(text, offset))) {
    return Status(ErrorCode::kInvalidUtf8, "unpaired UTF-16 surrogate escape" + at);
  }
  if (ec == bj::error::too_deep) {
    return Status(ErrorCode::kMalformedJson,
                  "nesting deeper than " + std::to_string(limits.max_depth) + " levels" + at);
  }
  if (ec == bj::error::incomplete) {
    return Status(ErrorCode::kMalformedJson, "truncated JSON: input ends" + at + " inside a value");
  }
  std::string message = ec.message();
  if (offset < text.size()) message += " (" + ByteText(text[offset]) + ")";
  return Status(ErrorCode::kMalformedJson, message + at);
}

// ---- Canonical output ----

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
    const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
    if (ec) {
      const Status& handler_status = parser.handler().status();
      if (!handler_status.ok()) {
        return Status(handler_status.code(),
                      handler_status.message() + " (near byte " + std::to_string(consumed) + ")");
      }
      return MapParserError(ec, text, consumed, limits);
    }
    if (consumed < text.size()) {
      return Status(ErrorCode::kMalformedJson,
                    "trailing data after the JSON value at byte " + std::to_string(consumed));
    }
    return std::move(parser.handler().root());
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kInternal, "out of memory while parsing JSON");
  } catch (const std::length_error& e) {
    return Status(ErrorCode::kMalformedJson, std::string("JSON value too large: ") + e.what());
  }
}

Result<boost::json::object> ParseStrictObject(std::string_view text, const ParseLimits& limits,
                                              boost::json::storage_ptr storage) {
  Result<boost::json::value> parsed = ParseStrict(text, limits, std::move(storage));
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) {
    return Status(ErrorCode::kNotAnObject, std::string("top-level JSON value is ") +
                                               boost::json::to_string(parsed->kind()).data() +
                                               ", not an object");
  }
  return std::move(parsed->get_object());
}

}  // namespace fupin::json
