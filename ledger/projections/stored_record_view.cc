#include "ledger/projections/stored_record_view.h"

#include <cstring>

namespace fupin::projections {
namespace {

// Field sizes of the version-1 layout.
inline constexpr std::size_t kVersionBytes = 4;
inline constexpr std::size_t kSeqBytes = 8;
inline constexpr std::size_t kLengthBytes = 8;
inline constexpr std::size_t kHeaderBytes = kVersionBytes + kSeqBytes + kLengthBytes;

uint64_t LittleEndian(const char* p, std::size_t bytes) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return v;
}

}  // namespace

std::optional<StoredRecordView> ViewStoredRecord(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes + std::tuple_size_v<merkle::Hash>) return std::nullopt;
  if (LittleEndian(bytes.data(), kVersionBytes) != kStoredRecordVersion) return std::nullopt;
  const uint64_t length = LittleEndian(bytes.data() + kVersionBytes + kSeqBytes, kLengthBytes);
  if (length != bytes.size() - kHeaderBytes - std::tuple_size_v<merkle::Hash>) return std::nullopt;
  StoredRecordView view;
  view.seq = LittleEndian(bytes.data() + kVersionBytes, kSeqBytes);
  view.leaf_data = bytes.substr(kHeaderBytes, length);
  std::memcpy(view.leaf_hash.data(), bytes.data() + kHeaderBytes + length, view.leaf_hash.size());
  return view;
}

}  // namespace fupin::projections
