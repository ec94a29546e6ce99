// The one room where cereal is used: the binary encodings of projection
// states, heads and snapshots (projections/) and of the rule engine's saved
// state (rules/engine_state.cc).
//
// Values are written through a cereal PortableBinary archive (fixed-width,
// little-endian on the wire, whatever the host); plain arrays of trivially
// copyable records go in as one binary block, which is what makes encoding
// a million-sale state take milliseconds. Readers throw
// cereal::Exception on truncated or out-of-range input; Decode() turns that
// into kDataLoss at the codec's boundary, so no exception leaves a codec.
#pragma once

#include <bit>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/cereal.hpp>
#include <cstdint>
#include <limits>
#include <span>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ledger/status.h"

namespace fupin::projections::snapshot_io {

// Block-copied arrays are in host order; every supported host (x86-64,
// AArch64 Linux) is little-endian, and this makes the assumption loud.
static_assert(std::endian::native == std::endian::little,
              "projection snapshots copy records in little-endian order");

// No list or string in a projection state comes near this; a larger size
// read from the store is corruption, and refusing it avoids a huge
// allocation before the truncation would be noticed.
inline constexpr uint64_t kMaxElements = uint64_t{1} << 32;

class Writer {
 public:
  Writer() : out_(std::ios::binary), archive_(out_) {}

  void U8(uint8_t v) { archive_(v); }
  void U32(uint32_t v) { archive_(v); }
  void I32(int32_t v) { archive_(v); }
  void U64(uint64_t v) { archive_(v); }
  void I64(int64_t v) { archive_(v); }
  void Bool(bool v) { archive_(static_cast<uint8_t>(v ? 1 : 0)); }
  void Str(std::string_view s) {
    U64(s.size());
    archive_(cereal::binary_data(s.data(), s.size()));
  }
  void Bytes(const void* data, std::size_t size) { archive_(cereal::binary_data(data, size)); }
  // An array of records without padding, as one block.
  template <typename T>
  void Records(const std::vector<T>& records) {
    static_assert(std::is_trivially_copyable_v<T>);
    static_assert(std::has_unique_object_representations_v<T>,
                  "padding bytes would make the encoding nondeterministic");
    U64(records.size());
    archive_(cereal::binary_data(records.data(), records.size() * sizeof(T)));
  }
  template <typename Fn, typename T>
  void List(const std::vector<T>& items, Fn write_one) {
    U64(items.size());
    for (const T& item : items) write_one(*this, item);
  }
  // Any sized range (map, set, deque ...): the count, then each element.
  template <typename Range, typename Fn>
  void Each(const Range& range, Fn write_one) {
    U64(range.size());
    for (const auto& item : range) write_one(*this, item);
  }

  // The bytes written so far; the writer is spent afterwards.
  std::string Finish() { return std::move(out_).str(); }

 private:
  std::ostringstream out_;
  cereal::PortableBinaryOutputArchive archive_;
};

// Reads a byte range in place; cereal only ever reads through it.
class ByteViewBuffer : public std::streambuf {
 public:
  explicit ByteViewBuffer(std::string_view bytes) {
    char* begin = const_cast<char*>(bytes.data());
    setg(begin, begin, begin + bytes.size());
  }
  std::size_t remaining() const { return static_cast<std::size_t>(egptr() - gptr()); }
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : buffer_(bytes), in_(&buffer_), archive_(in_) {}

  uint8_t U8() { return Read<uint8_t>(); }
  uint32_t U32() { return Read<uint32_t>(); }
  int32_t I32() { return Read<int32_t>(); }
  uint64_t U64() { return Read<uint64_t>(); }
  int64_t I64() { return Read<int64_t>(); }
  bool Bool() {
    uint8_t byte = U8();
    if (byte > 1) throw cereal::Exception("bool out of range");
    return byte == 1;
  }
  std::string Str() {
    uint64_t size = Size(1);
    std::string s(size, '\0');
    archive_(cereal::binary_data(s.data(), size));
    return s;
  }
  void Bytes(void* data, std::size_t size) { archive_(cereal::binary_data(data, size)); }
  template <typename T>
  void Records(std::vector<T>& records) {
    static_assert(std::is_trivially_copyable_v<T>);
    records.resize(Size(sizeof(T)));
    archive_(cereal::binary_data(records.data(), records.size() * sizeof(T)));
  }
  template <typename Fn, typename T>
  void List(std::vector<T>& items, Fn read_one) {
    uint64_t size = Size(1);
    items.clear();
    items.reserve(size);
    for (uint64_t i = 0; i < size; ++i) {
      items.emplace_back();
      read_one(*this, items.back());
    }
  }
  // What Writer::Each wrote: the count, then `read_one(reader)` that many
  // times (each call reads one element and puts it where it belongs).
  template <typename Fn>
  void Each(Fn read_one) {
    const uint64_t size = Size(1);
    for (uint64_t i = 0; i < size; ++i) read_one(*this);
  }
  // An element count that must fit in what is left of the input.
  uint64_t Size(std::size_t min_element_bytes) {
    uint64_t size = U64();
    if (size > kMaxElements || size * min_element_bytes > buffer_.remaining()) {
      throw cereal::Exception("length beyond the end of the snapshot");
    }
    return size;
  }
  bool AtEnd() const { return buffer_.remaining() == 0; }
  std::size_t remaining() const { return buffer_.remaining(); }

 private:
  template <typename T>
  T Read() {
    T v{};
    archive_(v);
    return v;
  }

  ByteViewBuffer buffer_;
  std::istream in_;
  cereal::PortableBinaryInputArchive archive_;
};

// Runs `decode(reader)` over `bytes`; kDataLoss ("<what>: ...") when the
// bytes are truncated, out of range, or longer than what was decoded.
template <typename Fn>
Status Decode(std::string_view what, std::string_view bytes, Fn decode) {
  try {
    Reader reader(bytes);
    Status status = decode(reader);
    if (!status.ok()) return status;
    if (!reader.AtEnd()) {
      return Status(ErrorCode::kDataLoss, std::string(what) + ": trailing bytes");
    }
  } catch (const cereal::Exception& e) {
    return Status(ErrorCode::kDataLoss, std::string(what) + ": " + e.what());
  }
  return Status::Ok();
}

}  // namespace fupin::projections::snapshot_io
