// The flags of the log as supervisors read them: every flag.raised with its
// resolution (flag.resolved), in log order, with filters and pages for
// GET /v1/flags. A fold of the log like any projection; the rule runner
// keeps it beside the engine (which adds the evidence of repeated raises).
//
// Thread-safety: none; the rule runner guards it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event_types.h"
#include "ledger/status.h"
#include "projections/decoded_record.h"

namespace fupin::rules {

enum class FlagStatus { kOpen, kConfirmed, kDismissed };
std::string_view FlagStatusName(FlagStatus status);  // "open" | "confirmed" | "dismissed"
std::optional<FlagStatus> ParseFlagStatus(std::string_view name);

struct FlagResolutionEntry {
  uint64_t seq = 0;
  int64_t occurred_at_ms = 0;
  std::string key_id;  // the supervisor's key
  FlagResolution resolution = FlagResolution::kConfirmed;
  std::string note;
};

struct FlagEntry {
  uint64_t seq = 0;  // of flag.raised
  int64_t raised_at_ms = 0;
  FlagRaised raised;
  std::optional<FlagResolutionEntry> resolution;
  FlagStatus status() const;
};

struct FlagQuery {
  std::optional<FlagStatus> status;
  std::string rule;  // "" = any
  std::optional<FlagSeverity> severity;
  std::string region;   // "" = any; a code covers the regions below it
  std::string subject;  // "" = any; exact "kind:id"
  // Only flags whose region the caller's scope covers (empty: all).
  std::vector<std::string> scope;
  uint64_t from_seq = 0;  // flags raised at seq >= from_seq
  std::size_t limit = 100;
};

struct FlagPage {
  std::vector<const FlagEntry*> flags;
  std::optional<uint64_t> next;  // from_seq of the next page
};

class FlagBook {
 public:
  void Apply(const projections::DecodedRecord& record);

  const FlagEntry* Find(std::string_view flag_id) const;
  // Flags matching `query` in log order. Examines at most `max_scanned`
  // flags, so a page never costs more than that; `next` says where to go on.
  FlagPage List(const FlagQuery& query, std::size_t max_scanned = 100'000) const;

  std::size_t size() const { return flags_.size(); }
  std::size_t open() const { return open_; }

  // The whole book as bytes and back, for the rule runner's saved state
  // (engine_state.cc). DecodeState replaces the book; kDataLoss on bad
  // bytes (the book is then empty).
  std::string EncodeState() const;
  Status DecodeState(std::string_view bytes);

 private:
  std::map<uint64_t, FlagEntry> flags_;  // by seq of flag.raised
  std::map<std::string, uint64_t, std::less<>> by_id_;
  std::size_t open_ = 0;
};

}  // namespace fupin::rules
