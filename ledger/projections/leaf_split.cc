#include "ledger/projections/leaf_split.h"

#include <charconv>

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

  // A string's raw contents (escapes left as they are); `escaped` tells
  // whether any backslash was seen.
  bool String(std::string_view& contents, bool& escaped) {
    if (!Take('"')) return false;
    const std::size_t begin = pos_;
    escaped = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        contents = text_.substr(begin, pos_ - begin);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        escaped = true;
        ++pos_;
      }
      ++pos_;
    }
    return false;
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
  // An object or array, with strings skipped so their brackets do not
  // count.
  bool Nested() {
    int depth = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
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

std::optional<LeafParts> SplitLeaf(std::string_view leaf) {
  LeafParts parts;
  bool has_seq = false, has_stream = false, has_type = false, has_time = false, has_key = false,
       has_body = false;
  Cursor c(leaf);
  auto event_member = [&](std::string_view name, Cursor& at) {
    if (name == "body") {
      has_body = at.Peek('{') && at.Value(parts.body);
      return has_body;
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
