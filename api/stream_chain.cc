#include "api/stream_chain.h"

#include <boost/json/parse.hpp>

#include "ledger/codec.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;

// What the chain check reads from a record's leaf data.
struct ChainLink {
  std::string stream;
  uint64_t stream_version = 0;
  uint64_t seq = 0;
  std::string prev_stream_hash;
};

Status Broken(std::string_view stream, uint64_t version, std::string_view what) {
  return Status(ErrorCode::kDataLoss, "stream " + std::string(stream) + " version " +
                                          std::to_string(version) + ": " + std::string(what));
}

Result<ChainLink> ReadLink(const StoredRecord& record) {
  boost::system::error_code ec;
  bj::value leaf = bj::parse(record.leaf_data, ec);
  if (ec || !leaf.is_object()) {
    return Status(ErrorCode::kDataLoss,
                  "record " + std::to_string(record.seq) + " is not a JSON object");
  }
  const bj::object& object = leaf.get_object();
  const bj::value* stream = object.if_contains("stream");
  const bj::value* version = object.if_contains("stream_version");
  const bj::value* seq = object.if_contains("seq");
  const bj::value* prev = object.if_contains("prev_stream_hash");
  if (stream == nullptr || !stream->is_string() || version == nullptr || !version->is_int64() ||
      seq == nullptr || !seq->is_int64() || prev == nullptr || !prev->is_string()) {
    return Status(ErrorCode::kDataLoss,
                  "record " + std::to_string(record.seq) + " lacks its stream fields");
  }
  return ChainLink{std::string(stream->get_string()), static_cast<uint64_t>(version->get_int64()),
                   static_cast<uint64_t>(seq->get_int64()), std::string(prev->get_string())};
}

}  // namespace

Status CheckStreamChain(merkle::HashAlg hash, std::string_view stream,
                        const std::vector<StreamEntry>& entries, uint64_t first_version) {
  std::string previous_hash;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const StreamEntry& entry = entries[i];
    uint64_t expected_version = first_version + i;
    if (entry.version != expected_version) {
      return Broken(stream, expected_version,
                    "missing (the index goes on at version " + std::to_string(entry.version) + ")");
    }
    if (merkle::LeafHash(hash, entry.record.leaf_data) != entry.record.leaf_hash) {
      return Broken(stream, entry.version, "stored leaf hash does not match the leaf data");
    }
    FUPIN_ASSIGN_OR_RETURN(ChainLink link, ReadLink(entry.record));
    if (link.stream != stream || link.stream_version != entry.version ||
        link.seq != entry.record.seq) {
      return Broken(
          stream, entry.version,
          "record " + std::to_string(entry.record.seq) + " belongs to another stream position");
    }
    if (i > 0 || entry.version == 1) {
      if (link.prev_stream_hash != previous_hash) {
        return Broken(stream, entry.version,
                      "prev_stream_hash does not match the previous record's leaf hash");
      }
    }
    previous_hash = HexEncode(entry.record.leaf_hash);
  }
  return Status::Ok();
}

}  // namespace fupin::api
