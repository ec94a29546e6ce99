// `replay timeline`: every record about one entity, in log order, each with
// its signature check (the key in force at its seq, from the log's key
// streams) and its inclusion proof against the latest checkpoint, whose
// own signature is checked with the ledger's system key.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/record.h"
#include "ledger/status.h"

namespace fupin::replay {

enum class SignatureCheck { kValid, kInvalid, kUnknownKey };
enum class ProofCheck { kValid, kInvalid, kNotCovered };  // not covered: seq >= checkpoint size

struct TimelineEntry {
  uint64_t seq = 0;
  std::string recorded_at;
  std::string occurred_at;
  std::string type;
  std::string stream;
  uint64_t stream_version = 0;
  std::string key_id;
  std::string leaf_hash;  // hex
  SignatureCheck signature = SignatureCheck::kUnknownKey;
  uint64_t key_registered_seq = 0;  // when the key was found
  ProofCheck proof = ProofCheck::kNotCovered;
};

struct Timeline {
  std::string entity;
  uint64_t tree_size = 0;  // of the log as opened
  Checkpoint checkpoint;
  bool checkpoint_valid = false;
  std::vector<TimelineEntry> entries;
  // True when the checkpoint and every signature and proof check out
  // (records beyond the checkpoint are not failures).
  bool ok() const;
};

// The records naming `entity` ("product:P-1") with seq in [from, to].
// Errors: kNotFound when there is none, store errors. `progress` is called
// with (records checked, records to check).
Result<Timeline> BuildTimeline(const Ledger& ledger, const std::string& entity, uint64_t from,
                               uint64_t to,
                               const std::function<void(uint64_t, uint64_t)>& progress = {});

std::string_view SignatureCheckName(SignatureCheck check);  // "valid" | "invalid" | "unknown_key"
std::string_view ProofCheckName(ProofCheck check);          // "valid" | "invalid" | "not_covered"

// {"entity","tree_size","checkpoint":{...§2.3...},"checkpoint_valid","ok",
//  "records":[{"seq","recorded_at","occurred_at","type","stream",
//  "stream_version","key","leaf_hash","signature","key_registered_seq",
//  "proof"}]}
boost::json::object TimelineJson(const Timeline& timeline);
// Aligned columns with Chinese headers and type names.
std::string RenderTimelineText(const Timeline& timeline);

}  // namespace fupin::replay
