#include "api/access_log.h"

#include <algorithm>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/hash_alg.h"
#include "ledger/store_format.h"
#include "ledger/time.h"
#include "ledger/utf8.h"

namespace fupin::api {
namespace {

namespace json = boost::json;
using fupin::json::Canonicalize;

// Text the canonical JSON can hold: as is when it is UTF-8, else with the
// bytes >= 0x80 (and '%', so the result is unambiguous) percent-encoded.
std::string Loggable(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  for (char c : text) {
    auto b = static_cast<uint8_t>(c);
    if (b >= 0x80 || c == '%') {
      out += '%';
      out += kHexDigitsUpper[b >> 4];
      out += kHexDigitsUpper[b & 0x0f];
    } else {
      out += c;
    }
  }
  return out;
}

crypto::Digest ChainHash(const crypto::Digest& prev, const json::object& without_hash) {
  // The access log's own chain: SHA-256 whatever the log's hash.
  crypto::Hasher hasher(crypto::HashAlg::kSha256);
  hasher.Update(std::string_view(reinterpret_cast<const char*>(prev.data()), prev.size()));
  hasher.Update(Canonicalize(without_hash));
  return hasher.Final();
}

Status Corrupt(uint64_t seq, std::string_view why) {
  return Status(ErrorCode::kDataLoss,
                "access log entry " + std::to_string(seq) + ": " + std::string(why));
}

Result<std::string> StringMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return Status(ErrorCode::kDataLoss, "\"" + std::string(name) + "\" is not a string");
  }
  return std::string(value->get_string());
}

Result<int64_t> IntegerMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_int64() || value->get_int64() < 0) {
    return Status(ErrorCode::kDataLoss, "\"" + std::string(name) + "\" is not a count");
  }
  return value->get_int64();
}

struct StoredEntry {
  AccessEntry entry;
  json::object object;  // as stored, for recomputing the hash
};

// Reads the entry stored under `key_seq`. kDataLoss when it is not an
// entry of this version, or not the one its key says.
Result<StoredEntry> ParseEntry(uint64_t key_seq, std::string_view bytes) {
  Result<json::object> parsed = fupin::json::ParseStrictObject(bytes);
  if (!parsed.ok()) return Corrupt(key_seq, "not JSON: " + parsed.status().message());
  StoredEntry stored{{}, std::move(parsed).value()};
  const json::object& o = stored.object;
  AccessEntry& e = stored.entry;
  Result<int64_t> version = IntegerMember(o, "v");
  if (!version.ok() || *version != kAccessEntryVersion) return Corrupt(key_seq, "unknown version");
  Result<int64_t> seq = IntegerMember(o, "seq");
  Result<int64_t> status = IntegerMember(o, "status");
  Result<std::string> time = StringMember(o, "time");
  Result<std::string> token = StringMember(o, "token_id");
  Result<std::string> method = StringMember(o, "method");
  Result<std::string> route = StringMember(o, "route");
  Result<std::string> target = StringMember(o, "target");
  Result<std::string> entity = StringMember(o, "entity");
  Result<std::string> prev = StringMember(o, "prev_hash");
  Result<std::string> hash = StringMember(o, "hash");
  for (const Status* s :
       {&seq.status(), &status.status(), &time.status(), &token.status(), &method.status(),
        &route.status(), &target.status(), &entity.status(), &prev.status(), &hash.status()}) {
    if (!s->ok()) return Corrupt(key_seq, s->message());
  }
  if (o.size() != 11) return Corrupt(key_seq, "unexpected members");
  if (static_cast<uint64_t>(*seq) != key_seq) {
    return Corrupt(key_seq, "stored under the wrong number (says " + std::to_string(*seq) + ")");
  }
  Result<int64_t> time_ms = ParseRfc3339Millis(*time);
  if (!time_ms.ok()) return Corrupt(key_seq, "bad \"time\"");
  e.seq = key_seq;
  e.time_ms = *time_ms;
  e.token_id = std::move(token).value();
  e.method = std::move(method).value();
  e.route = std::move(route).value();
  e.target = std::move(target).value();
  e.entity = std::move(entity).value();
  e.status = static_cast<unsigned>(*status);
  e.prev_hash = std::move(prev).value();
  e.hash = std::move(hash).value();
  return stored;
}

Result<crypto::Digest> DecodeDigest(uint64_t seq, std::string_view hex) {
  Result<std::string> raw = HexDecode(hex);
  if (!raw.ok() || raw->size() != crypto::kSha256Size) return Corrupt(seq, "bad \"hash\"");
  crypto::Digest digest{};
  std::copy(raw->begin(), raw->end(), digest.begin());
  return digest;
}

std::string Hex(const crypto::Digest& digest) {
  return HexEncode(std::span<const uint8_t>(digest));
}

}  // namespace

json::object AccessEntryJson(const AccessEntry& entry, bool with_hash) {
  json::object object;
  object["v"] = kAccessEntryVersion;
  object["seq"] = static_cast<int64_t>(entry.seq);
  object["time"] = FormatUtcMillis(entry.time_ms);
  object["token_id"] = entry.token_id;
  object["method"] = entry.method;
  object["route"] = entry.route;
  object["target"] = entry.target;
  object["entity"] = entry.entity;
  object["status"] = static_cast<int64_t>(entry.status);
  object["prev_hash"] = entry.prev_hash;
  if (with_hash) object["hash"] = entry.hash;
  return object;
}

AccessLog::AccessLog(StoreDb& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

Result<std::unique_ptr<AccessLog>> AccessLog::Open(StoreDb& store, Clock clock) {
  std::unique_ptr<AccessLog> log(new AccessLog(store, std::move(clock)));
  auto last = store.Last(Cf::kAccessLog, "");
  if (!last.ok()) return last.status().WithContext("access log");
  if (!last->has_value()) return log;
  std::optional<uint64_t> seq = store_format::ParseUint64Key((*last)->first);
  if (!seq) return Status(ErrorCode::kDataLoss, "access log: a key is not an entry number");
  FUPIN_ASSIGN_OR_RETURN(StoredEntry entry, ParseEntry(*seq, (*last)->second));
  FUPIN_ASSIGN_OR_RETURN(crypto::Digest hash, DecodeDigest(*seq, entry.entry.hash));
  log->next_ = *seq + 1;
  log->last_hash_ = hash;
  return log;
}

Status AccessLog::Record(std::string_view token_id, std::string_view method, std::string_view route,
                         std::string_view target, std::string_view entity, unsigned status) {
  std::lock_guard<std::mutex> lock(mutex_);
  AccessEntry entry;
  entry.seq = next_;
  entry.time_ms = clock_();
  entry.token_id = Loggable(token_id);
  entry.method = Loggable(method);
  entry.route = Loggable(route);
  entry.target = Loggable(target);
  entry.entity = Loggable(entity);
  entry.status = status;
  entry.prev_hash = Hex(last_hash_);
  json::object object = AccessEntryJson(entry, /*with_hash=*/false);
  crypto::Digest hash = ChainHash(last_hash_, object);
  object["hash"] = Hex(hash);
  FUPIN_RETURN_IF_ERROR(
      store_.Write({{Cf::kAccessLog, store_format::Uint64Key(entry.seq), Canonicalize(object)}},
                   /*sync=*/false));
  ++next_;
  last_hash_ = hash;
  return Status::Ok();
}

Result<AccessPage> AccessLog::List(const AccessQuery& query, std::size_t max_scanned) const {
  uint64_t end = size();
  AccessPage page;
  if (query.from >= end || query.limit == 0) return page;
  Status failed = Status::Ok();
  std::size_t scanned = 0;
  Status scan = store_.Scan(Cf::kAccessLog, "", store_format::Uint64Key(query.from),
                            [&](std::string_view key, std::string_view value) {
                              std::optional<uint64_t> seq = store_format::ParseUint64Key(key);
                              if (!seq) {
                                failed = Status(ErrorCode::kDataLoss,
                                                "access log: a key is not an entry number");
                                return false;
                              }
                              if (*seq >= end) return false;
                              ++scanned;
                              Result<StoredEntry> stored = ParseEntry(*seq, value);
                              if (!stored.ok()) {
                                failed = stored.status();
                                return false;
                              }
                              const AccessEntry& entry = stored->entry;
                              if ((query.token_id.empty() || entry.token_id == query.token_id) &&
                                  (query.entity.empty() || entry.entity == query.entity)) {
                                page.entries.push_back(std::move(stored->entry));
                              }
                              if (page.entries.size() >= query.limit || scanned >= max_scanned) {
                                if (*seq + 1 < end) page.next = *seq + 1;
                                return false;
                              }
                              return true;
                            });
  FUPIN_RETURN_IF_ERROR(scan);
  FUPIN_RETURN_IF_ERROR(failed);
  return page;
}

Status AccessLog::VerifyChain() const {
  uint64_t end = 0;
  crypto::Digest head{};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    end = next_;
    head = last_hash_;
  }
  uint64_t expected = 0;
  crypto::Digest prev{};
  Status failed = Status::Ok();
  Status scan =
      store_.Scan(Cf::kAccessLog, "", "", [&](std::string_view key, std::string_view value) {
        std::optional<uint64_t> seq = store_format::ParseUint64Key(key);
        if (!seq) {
          failed = Status(ErrorCode::kDataLoss, "access log: a key is not an entry number");
          return false;
        }
        if (*seq >= end) return false;  // appended after this check began
        if (*seq != expected) {
          failed = Corrupt(expected, "missing");
          return false;
        }
        Result<StoredEntry> stored = ParseEntry(*seq, value);
        if (!stored.ok()) {
          failed = stored.status();
          return false;
        }
        if (stored->entry.prev_hash != Hex(prev)) {
          failed = Corrupt(*seq, "prev_hash does not match the hash of the entry before it");
          return false;
        }
        json::object without_hash = stored->object;
        without_hash.erase("hash");
        crypto::Digest hash = ChainHash(prev, without_hash);
        if (stored->entry.hash != Hex(hash)) {
          failed = Corrupt(*seq, "hash does not match its content");
          return false;
        }
        prev = hash;
        ++expected;
        return true;
      });
  FUPIN_RETURN_IF_ERROR(scan);
  FUPIN_RETURN_IF_ERROR(failed);
  if (expected != end) return Corrupt(expected, "missing");
  if (prev != head) {
    return Corrupt(end - 1, "differs from the entry this server wrote");
  }
  return Status::Ok();
}

uint64_t AccessLog::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return next_;
}

}  // namespace fupin::api
