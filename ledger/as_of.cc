#include "ledger/as_of.h"

#include <charconv>
#include <string>

#include "ledger/canonical_json.h"
#include "ledger/time.h"

namespace fupin {
namespace {

Result<int64_t> RecordedAtMillis(const Ledger& ledger, uint64_t seq) {
  FUPIN_ASSIGN_OR_RETURN(StoredRecord record, ledger.ReadRecord(seq));
  return fupin::RecordedAtMillis(record.leaf_data, seq);
}

}  // namespace

Result<uint64_t> ResolveAsOf(const Ledger& ledger, std::string_view text, std::string_view what) {
  const uint64_t size = ledger.tree_size();
  if (size == 0) return Status(ErrorCode::kInvalidArgument, "the log is empty");
  uint64_t seq = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
    if (seq >= size) {
      return Status(ErrorCode::kInvalidArgument, std::string(what) + " " + std::string(text) +
                                                     " is beyond the log (last seq " +
                                                     std::to_string(size - 1) + ")");
    }
    return seq;
  }
  Result<int64_t> at = ParseRfc3339Millis(text);
  if (!at.ok()) {
    return Status(ErrorCode::kInvalidArgument, std::string(what) +
                                                   " must be a seq or an RFC 3339 time, not \"" +
                                                   std::string(text) + "\"");
  }
  // Find the first seq recorded after `at`; the answer is the one before.
  uint64_t low = 0;
  uint64_t high = size;
  while (low < high) {
    const uint64_t mid = low + (high - low) / 2;
    FUPIN_ASSIGN_OR_RETURN(int64_t recorded, RecordedAtMillis(ledger, mid));
    if (recorded <= *at) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  if (low == 0) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(what) + " " + std::string(text) + " is before the first record");
  }
  return low - 1;
}

}  // namespace fupin
