// The rule engine: folds the log, in order, into the entity and statistics
// projections and runs every enabled rule over each record; decides which
// flags to raise, deduplicated.
//
// The engine decides; it does not write. Whoever drives it (the server's
// flag writer, `rules eval`, `replay what-if`) turns RaisedFlag into a
// flag.raised event signed by the system key, or just counts them. Because
// the engine is a pure fold of the log and its config, the same log and
// config give the same flags in the same order, whether evaluated live,
// after a restart (fold again from zero) or by replay.
//
// Dedupe (SPEC §4, "one open flag per rule + subject + window"): the first
// raise of a (rule, subject, window) opens a flag; later raises while it is
// open add their seqs to the flag's extra evidence (kept in memory, up to
// limits.max_extra_evidence) and raise nothing. A flag.resolved in the log
// closes the flag it names; the next raise of the same key opens a new flag
// (generation + 1).
//
// flag_id = "F-" + the first 16 bytes of
//   SHA-256("fupin-ledger/flag/v1\n" + rule + "\n" + subject + "\n" +
//           window + "\n" + decimal generation)
// in lower-case hex (34 characters); the flag.raised event id is the UUID
// made of the same 16 bytes with the version nibble set to 8 and the
// variant bits to 10 (RFC 9562 UUIDv8). So re-deciding a flag after a
// restart yields the same event id, and the ledger's idempotency makes
// appending it again a no-op.
//
// The business clock: the largest occurred_at among records whose type is
// in RuleConfig::clock_types (by default the records of things that
// happened: sales, refunds, benefit payments and reports; not deployments,
// certifications or campaign definitions, which may be entered ahead of
// their time). flag.raised records never move it.
//
// Saved state: EncodeState is the engine's whole state (position, clock,
// dedupe bookkeeping, its projections and every rule's SaveState) after a
// fold; DecodeState restores it into an engine fresh from the same config,
// which then folds on exactly like the engine that was saved. The bytes
// carry a digest of the config and limits, and a state saved under another
// one is refused, because rule state depends on thresholds and windows.
// The rule runner keeps it in the store (rule_runner.h).
//
// Thread-safety: none; drive one engine from one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event_types.h"
#include "ledger/status.h"
#include "projections/decoded_record.h"
#include "projections/entity_projection.h"
#include "projections/statistics_projection.h"
#include "rules/rule.h"
#include "rules/rule_config.h"

namespace fupin::rules {

// Version of EncodeState's bytes and of the rules' meaning as saved: bump
// it when the engine or any rule changes what it keeps or decides, so a
// state saved by an older build is discarded and folded again.
inline constexpr uint32_t kRuleStateVersion = 1;

struct RuleEngineLimits {
  // Evidence seqs kept in a flag.raised body (the first ones).
  std::size_t max_evidence = 100;
  // Extra evidence kept per open flag (later raises, the first ones).
  std::size_t max_extra_evidence = 1000;
};

// A flag the engine decided to raise.
struct RaisedFlag {
  std::string event_id;    // UUIDv8 from the flag id (above)
  int64_t occurred_at_ms;  // business time: the last evidence record's occurred_at
  FlagRaised body;         // flag_id, rule, severity, subject, region, evidence, summary, details
  std::string window;
  uint64_t decided_at = 0;  // seq of the record whose evaluation raised it
};

// What the engine knows about a flag it opened (for the API's view).
struct FlagTrack {
  std::string rule;
  std::string subject;
  std::string window;
  uint32_t generation = 0;
  bool open = true;
  std::vector<uint64_t> extra_evidence;  // later raises while open
  uint64_t extra_evidence_total = 0;     // including those not kept
};

// SHA-256 of the clock types, every rule's enabled flag and parameters,
// and the limits: what a saved state must have been folded under
// (engine_state.cc). Raw 32 bytes.
std::string RuleConfigDigest(const RuleConfig& config, const RuleEngineLimits& limits);

class RuleEngine {
 public:
  // Builds the rules of `config` (BuildRules). Errors: its errors.
  static Result<std::unique_ptr<RuleEngine>> Create(const RuleConfig& config,
                                                    RuleEngineLimits limits = {});

  // Applies one record (seq == position()): projections first, then
  // OnRecord of every enabled rule in id order, then OnClock if the clock
  // moved. Appends the flags to raise to `raised`, in decision order.
  void Apply(const DecodedRecord& record, std::vector<RaisedFlag>& raised);

  uint64_t position() const { return position_; }
  int64_t clock_ms() const { return clock_ms_; }
  const projections::EntityCatalog& entities() const { return entities_.catalog(); }
  const projections::StatisticsState& statistics() const { return statistics_.state(); }
  // Every flag the engine opened, by flag_id.
  const std::map<std::string, FlagTrack, std::less<>>& flags() const { return flags_; }
  // Flags raised so far, by rule id and severity name.
  const std::map<std::pair<std::string, std::string>, uint64_t>& raised_counts() const {
    return raised_counts_;
  }
  std::size_t open_flags() const { return open_count_; }

  // The saved state (above), engine_state.cc. DecodeState replaces the
  // state of an engine that has folded nothing yet; kDataLoss when the
  // bytes are damaged or not a state of kRuleStateVersion,
  // kInvalidArgument when they were saved under another config. After
  // an error the engine is half restored: build a new one.
  std::string EncodeState() const;
  Status DecodeState(std::string_view bytes);

 private:
  class Sink;
  RuleEngine(std::vector<std::unique_ptr<Rule>> rules, std::vector<EventType> clock_types,
             RuleEngineLimits limits, std::string config_digest);

  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<bool> clock_type_;  // indexed by EventType
  RuleEngineLimits limits_;
  std::string config_digest_;  // SHA-256 of the config and limits (engine_state.cc)
  projections::EntityProjection entities_;
  projections::StatisticsProjection statistics_;
  uint64_t position_ = 0;
  int64_t clock_ms_ = 0;
  // (rule, subject, window) -> flag_id of the open flag / next generation.
  std::map<std::string, std::string, std::less<>> open_by_key_;
  std::map<std::string, uint32_t, std::less<>> generation_by_key_;
  std::map<std::string, FlagTrack, std::less<>> flags_;
  // By flag_id: the largest seq among its evidence and extra evidence, so
  // a repeated raise adds only seqs the flag does not hold yet.
  std::map<std::string, uint64_t, std::less<>> newest_evidence_;
  std::map<std::pair<std::string, std::string>, uint64_t> raised_counts_;
  std::size_t open_count_ = 0;
};

}  // namespace fupin::rules
