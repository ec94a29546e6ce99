#include "projections/leaf_split.h"

#include <array>
#include <charconv>
#include <cstring>

namespace fupin::projections {
namespace {

// A cursor over canonical JSON text. Every method returns false (and the
// caller gives up) at anything it does not expect.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  bool Take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  std::string_view Rest() const { return text_.substr(pos_); }
  void Advance(std::size_t n) { pos_ += n; }

  // A string's raw contents (escapes left as they are); `escaped` tells
  // whether any backslash was seen. memchr finds the quotes; escapes are
  // rare, so only a string holding one is walked character by character.
  bool String(std::string_view& contents, bool& escaped) {
    if (!Take('"')) return false;
    const std::size_t begin = pos_;
    const void* quote = std::memchr(text_.data() + begin, '"', text_.size() - begin);
    if (quote == nullptr) return false;
    const std::size_t end = static_cast<const char*>(quote) - text_.data();
    escaped = std::memchr(text_.data() + begin, '\\', end - begin) != nullptr;
    if (escaped) return EscapedString(begin, contents);
    contents = text_.substr(begin, end - begin);
    pos_ = end + 1;
    return true;
  }

  // Any value, skipped; its text is returned.
  bool Value(std::string_view& raw) {
    const std::size_t begin = pos_;
    if (Peek('"')) {
      std::string_view ignored;
      bool escaped = false;
      if (!String(ignored, escaped)) return false;
    } else if (Peek('{') || Peek('[')) {
      if (!Nested()) return false;
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
             text_[pos_] != ']') {
        ++pos_;
      }
      if (pos_ == begin) return false;
    }
    raw = text_.substr(begin, pos_ - begin);
    return true;
  }

 private:
  // The rest of a string holding escapes, from its first character.
  bool EscapedString(std::size_t begin, std::string_view& contents) {
    pos_ = begin;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        contents = text_.substr(begin, pos_ - begin);
        ++pos_;
        return true;
      }
      pos_ += c == '\\' ? 2 : 1;
    }
    return false;
  }

  // An object or array, with strings skipped so their brackets do not
  // count.
  bool Nested() {
    int depth = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (!kStructural[static_cast<unsigned char>(c)]) {
        ++pos_;
        continue;
      }
      if (c == '"') {
        std::string_view ignored;
        bool escaped = false;
        if (!String(ignored, escaped)) return false;
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return true;
    }
    return false;
  }

  // The characters Nested() stops at.
  static constexpr std::array<bool, 256> kStructural = [] {
    std::array<bool, 256> table{};
    for (char c : {'"', '{', '}', '[', ']'}) table[static_cast<unsigned char>(c)] = true;
    return table;
  }();

  std::string_view text_;
  std::size_t pos_ = 0;
};

// Walks the members of the object at the cursor, calling take(name, raw
// value) for each; false on malformed text or when take refuses.
template <typename Take>
bool Members(Cursor& c, Take take) {
  if (!c.Take('{')) return false;
  if (c.Take('}')) return true;
  do {
    std::string_view name;
    bool escaped = false;
    if (!c.String(name, escaped) || escaped || !c.Take(':')) return false;
    if (!take(name, c)) return false;
  } while (c.Take(','));
  return c.Take('}');
}

// A wanted string member: its contents, which must hold no escape.
bool PlainString(Cursor& c, std::string_view& out) {
  bool escaped = false;
  return c.String(out, escaped) && !escaped;
}

bool Skip(Cursor& c) {
  std::string_view ignored;
  return c.Value(ignored);
}

}  // namespace

std::optional<LeafParts> SplitLeaf(std::string_view leaf, const BodyParser& parse_body) {
  LeafParts parts;
  bool has_seq = false, has_stream = false, has_type = false, has_time = false, has_key = false,
       has_body = false;
  Cursor c(leaf);
  auto event_member = [&](std::string_view name, Cursor& at) {
    if (name == "body") {
      if (!at.Peek('{')) return false;
      const std::size_t taken = parse_body(at.Rest());
      at.Advance(taken);
      return has_body = taken > 0;
    }
    if (name == "type") return has_type = PlainString(at, parts.type);
    if (name == "occurred_at") return has_time = PlainString(at, parts.occurred_at);
    if (name == "key") return has_key = PlainString(at, parts.key);
    return Skip(at);
  };
  auto record_member = [&](std::string_view name, Cursor& at) {
    if (name == "event") return Members(at, event_member);
    if (name == "stream") return has_stream = PlainString(at, parts.stream);
    if (name == "seq") {
      std::string_view digits;
      if (!at.Value(digits)) return false;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parts.seq);
      return has_seq = error == std::errc() && end == digits.data() + digits.size();
    }
    return Skip(at);
  };
  if (!Members(c, record_member) || !c.AtEnd()) return std::nullopt;
  if (!(has_seq && has_stream && has_type && has_time && has_key && has_body)) return std::nullopt;
  return parts;
}

}  // namespace fupin::projections
