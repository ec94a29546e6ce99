#include "ledger/store_format.h"

#include <cstring>

namespace fupin::store_format {
namespace {

void AppendBigEndian(uint64_t value, std::string& out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return value;
}

}  // namespace

std::string Uint64Key(uint64_t value) {
  std::string out;
  out.reserve(8);
  AppendBigEndian(value, out);
  return out;
}

std::optional<uint64_t> ParseUint64Key(std::string_view key) {
  if (key.size() != 8) return std::nullopt;
  return ReadBigEndian(key);
}

std::string StreamPrefix(std::string_view stream) {
  std::string out(stream);
  out.push_back('\0');
  return out;
}

std::string StreamKey(std::string_view stream, uint64_t version) {
  std::string out = StreamPrefix(stream);
  AppendBigEndian(version, out);
  return out;
}

std::string StreamValue(uint64_t seq, const merkle::Hash& leaf_hash) {
  std::string out = Uint64Key(seq);
  out.append(reinterpret_cast<const char*>(leaf_hash.data()), leaf_hash.size());
  return out;
}

bool ParseStreamValue(std::string_view value, uint64_t* seq, merkle::Hash* leaf_hash) {
  if (value.size() != 8 + leaf_hash->size()) return false;
  *seq = ReadBigEndian(value);
  std::memcpy(leaf_hash->data(), value.data() + 8, leaf_hash->size());
  return true;
}

std::string ReferencePrefix(std::string_view entity) {
  std::string out(entity);
  out.push_back('\0');
  return out;
}

std::string ReferenceKey(std::string_view entity, uint64_t seq) {
  std::string out = ReferencePrefix(entity);
  AppendBigEndian(seq, out);
  return out;
}

std::string EventIdValue(uint64_t seq, const crypto::Digest& content) {
  return StreamValue(seq, content);
}

bool ParseEventIdValue(std::string_view value, uint64_t* seq, crypto::Digest* content) {
  return ParseStreamValue(value, seq, content);
}

std::string MerkleKey(merkle::NodeId id) {
  std::string out;
  out.reserve(9);
  out.push_back(static_cast<char>(id.level));
  AppendBigEndian(id.index, out);
  return out;
}

std::string StateKey(uint8_t kind, std::string_view id) {
  std::string out;
  out.reserve(id.size() + 1);
  AssignStateKey(kind, id, out);
  return out;
}

void AssignStateKey(uint8_t kind, std::string_view id, std::string& out) {
  out.assign(1, static_cast<char>(kind));
  out.append(id);
}

}  // namespace fupin::store_format
