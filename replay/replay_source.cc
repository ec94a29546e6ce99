#include "replay/replay_source.h"

#include <algorithm>
#include <charconv>

#include "ledger/canonical_json.h"
#include "ledger/time.h"

namespace fupin::replay {
namespace {

namespace bj = boost::json;

// Reference-index page size: large enough that a busy outlet's trail takes
// few reads, small enough to bound one read's memory.
inline constexpr std::size_t kSeqPage = 10'000;

Status LeafError(std::string_view what) {
  return Status(ErrorCode::kDataLoss, "leaf data: " + std::string(what));
}

}  // namespace

Result<std::unique_ptr<Ledger>> OpenReadOnly(const std::string& data_dir) {
  LedgerOptions options;
  options.read_only = true;
  return Ledger::Open(data_dir, options);
}

const std::vector<std::string_view>& EntityKinds() {
  static const std::vector<std::string_view> kKinds = {
      "key",    "region",    "campaign", "supplier", "household", "product",
      "outlet", "promotion", "sale",     "flag",     "buyer"};
  return kKinds;
}

Result<std::string> ParseEntity(std::string_view text) {
  const std::size_t cut = text.find_first_of("/:");
  if (cut == std::string_view::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  "entity must be KIND/ID (e.g. product/P-1), not \"" + std::string(text) + "\"");
  }
  const std::string_view kind = text.substr(0, cut);
  const std::string_view id = text.substr(cut + 1);
  const auto& kinds = EntityKinds();
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    std::string known;
    for (std::string_view k : kinds) known += (known.empty() ? "" : ", ") + std::string(k);
    return Status(ErrorCode::kInvalidArgument,
                  "unknown entity kind \"" + std::string(kind) + "\" (one of " + known + ")");
  }
  if (id.empty()) return Status(ErrorCode::kInvalidArgument, "entity id is empty");
  return std::string(kind) + ":" + std::string(id);
}

Result<LeafFields> ParseLeaf(std::string_view leaf_data) {
  json::ParseLimits limits;
  limits.max_string_bytes = 1 << 20;
  Result<bj::object> parsed = json::ParseStrictObject(leaf_data, limits);
  if (!parsed.ok()) return LeafError(parsed.status().message());
  bj::object& leaf = *parsed;
  LeafFields out;
  const bj::value* seq = leaf.if_contains("seq");
  const bj::value* recorded_at = leaf.if_contains("recorded_at");
  const bj::value* stream = leaf.if_contains("stream");
  const bj::value* version = leaf.if_contains("stream_version");
  const bj::value* prev = leaf.if_contains("prev_stream_hash");
  bj::value* event = leaf.if_contains("event");
  if (seq == nullptr || !seq->is_int64() || seq->as_int64() < 0 || recorded_at == nullptr ||
      !recorded_at->is_string() || stream == nullptr || !stream->is_string() ||
      version == nullptr || !version->is_int64() || version->as_int64() < 1 || prev == nullptr ||
      !prev->is_string() || event == nullptr || !event->is_object()) {
    return LeafError("missing or mistyped record fields");
  }
  out.seq = static_cast<uint64_t>(seq->as_int64());
  out.recorded_at = std::string(recorded_at->as_string());
  out.stream = std::string(stream->as_string());
  out.stream_version = static_cast<uint64_t>(version->as_int64());
  out.prev_stream_hash = std::string(prev->as_string());
  out.event = std::move(event->as_object());
  auto text = [&](std::string_view name) -> std::string {
    const bj::value* v = out.event.if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  out.type = text("type");
  out.key_id = text("key");
  out.occurred_at = text("occurred_at");
  if (out.type.empty() || out.key_id.empty()) return LeafError("event without type or key");
  return out;
}

Result<std::vector<uint64_t>> EntitySeqs(const Ledger& ledger, std::string_view entity,
                                         uint64_t from, uint64_t to) {
  std::vector<uint64_t> out;
  uint64_t next = from;
  for (;;) {
    FUPIN_ASSIGN_OR_RETURN(std::vector<uint64_t> page,
                           ledger.ReferencingSeqs(entity, next, kSeqPage));
    for (uint64_t seq : page) {
      if (seq > to) return out;
      out.push_back(seq);
    }
    if (page.size() < kSeqPage) return out;
    next = page.back() + 1;
  }
}

}  // namespace fupin::replay
