// A rule of the catalog (SPEC §4): a small class that watches the records
// as they are folded, in log order, and raises flags.
//
// Contract for implementations:
//   - Deterministic: a rule reads only the record, the World (projection
//     state after the record was applied, and the business clock) and its
//     own state. No I/O, no wall clock, no randomness, no iteration over
//     unordered containers where the order could reach a flag.
//   - Bounded: window rules keep only what their window needs (a rule over
//     "the last 30 days" drops older entries as the business clock passes).
//   - Raising is cheap and may repeat: the engine keeps one open flag per
//     rule + subject + window and turns a repeated raise into more evidence
//     of the open flag (engine.h).
//
// Thread-safety: none; the engine calls one rule from one thread.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event_types.h"
#include "ledger/time.h"
#include "projections/decoded_record.h"
#include "projections/entity_projection.h"
#include "projections/statistics_state.h"

namespace fupin::projections::snapshot_io {
class Writer;
class Reader;
}  // namespace fupin::projections::snapshot_io

namespace fupin::rules {

using projections::DecodedRecord;
namespace snapshot_io = projections::snapshot_io;

// What rules read. Both projections have already applied the record being
// evaluated (so a sale's own product and outlet are there).
struct World {
  const projections::EntityCatalog& entities;
  const projections::StatisticsState& statistics;
  // The business clock (SPEC §4): the largest occurred_at, in Unix ms, of
  // the records that advance it (engine.h says which), after this record.
  // 0 before any such record.
  int64_t clock_ms = 0;
};

// A flag as a rule raises it; the engine fills in flag_id, rule and the
// dedupe bookkeeping, and turns it into a flag.raised body.
struct FlagDraft {
  FlagSeverity severity = FlagSeverity::kWarning;
  // "kind:id" of the entity SPEC §4 names for the rule ("product:P-1",
  // "outlet:C-1", "supplier:S-1", "household:H-1", "region:430100",
  // "org:gov-430100-39", or the stream for FP-18, e.g. "outlet:C-1").
  std::string subject;
  // Region code of the subject (an outlet's or supplier's region, a
  // product's origin, the report's region...); "430000" when it has none.
  std::string region;
  // Dedupe window: one open flag per rule + subject + window. "" for
  // rules whose subject is flagged once until resolved; a campaign id, a
  // Shanghai date ("2020-09-05") or an hour for windowed rules.
  std::string window;
  // Seqs of the records that fired it, ascending, at least one. The engine
  // keeps at most RuleEngineLimits::max_evidence of them in the event.
  std::vector<uint64_t> evidence;
  // One line in Chinese with the numbers that fired it, e.g.
  // "单价 58.00 元，高于参考价 35.00 元 65.7%".
  std::string summary;
  // The same numbers, structured (integers in fen, ratios as strings or
  // integers in basis points: no floating point in an event).
  boost::json::object details;
};

// Where rules put their flags. Implemented by the engine.
class FlagSink {
 public:
  virtual ~FlagSink() = default;
  virtual void Raise(FlagDraft draft) = 0;
};

class Rule {
 public:
  virtual ~Rule() = default;

  // "FP-03" (SPEC §4, stable) and the catalog name ("price_above_reference").
  virtual std::string_view id() const = 0;
  virtual std::string_view name() const = 0;

  // Called for every record, in seq order, after the projections applied it.
  virtual void OnRecord(const DecodedRecord& record, const World& world, FlagSink& sink) = 0;

  // Called after OnRecord (of every rule) when the record moved the
  // business clock forward, from `previous_clock_ms` to world.clock_ms.
  // Rules about absence (FP-08, FP-09, FP-14, FP-17, FP-20 ...) close
  // their windows here: a window ending at E closes when
  // previous_clock_ms < E <= world.clock_ms. `record` is the record that
  // advanced the clock (evidence for nothing by itself).
  virtual void OnClock(int64_t previous_clock_ms, const DecodedRecord& record, const World& world,
                       FlagSink& sink) {
    (void)previous_clock_ms;
    (void)record;
    (void)world;
    (void)sink;
  }

  // The rule's own state (what it keeps between records), for the engine's
  // saved state (engine.h, "Saved state"), so that a restart folds only the
  // records after the save. A rule that keeps anything overrides both:
  // SaveState is deterministic in the state, and LoadState reads exactly
  // what SaveState wrote into a rule fresh from the same config, after
  // which it folds on exactly like the rule that was saved. LoadState
  // throws cereal::Exception on bad bytes (snapshot_io::Reader does); the
  // engine turns that into kDataLoss. Stateless rules keep the defaults.
  virtual void SaveState(snapshot_io::Writer& out) const { (void)out; }
  virtual void LoadState(snapshot_io::Reader& in) { (void)in; }
};

}  // namespace fupin::rules
