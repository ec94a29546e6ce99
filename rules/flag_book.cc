#include "rules/flag_book.h"

#include <variant>

#include "ledger/entity_state.h"

namespace fupin::rules {

std::string_view FlagStatusName(FlagStatus status) {
  switch (status) {
    case FlagStatus::kOpen:
      return "open";
    case FlagStatus::kConfirmed:
      return "confirmed";
    case FlagStatus::kDismissed:
      return "dismissed";
  }
  return "open";
}

std::optional<FlagStatus> ParseFlagStatus(std::string_view name) {
  if (name == "open") return FlagStatus::kOpen;
  if (name == "confirmed") return FlagStatus::kConfirmed;
  if (name == "dismissed") return FlagStatus::kDismissed;
  return std::nullopt;
}

FlagStatus FlagEntry::status() const {
  if (!resolution) return FlagStatus::kOpen;
  return resolution->resolution == FlagResolution::kConfirmed ? FlagStatus::kConfirmed
                                                              : FlagStatus::kDismissed;
}

void FlagBook::Apply(const projections::DecodedRecord& record) {
  if (const auto* raised = std::get_if<FlagRaised>(&record.body)) {
    FlagEntry entry;
    entry.seq = record.seq;
    entry.raised_at_ms = record.occurred_at_ms;
    entry.raised = *raised;
    by_id_[raised->flag_id] = record.seq;
    flags_.emplace(record.seq, std::move(entry));
    ++open_;
    return;
  }
  if (const auto* resolved = std::get_if<FlagResolved>(&record.body)) {
    auto id = by_id_.find(resolved->flag_id);
    // Validation refuses resolutions of unknown or resolved flags.
    if (id == by_id_.end()) return;
    FlagEntry& entry = flags_.at(id->second);
    if (entry.resolution) return;
    entry.resolution = FlagResolutionEntry{record.seq, record.occurred_at_ms, record.key_id,
                                           resolved->resolution, resolved->note};
    --open_;
  }
}

const FlagEntry* FlagBook::Find(std::string_view flag_id) const {
  auto id = by_id_.find(flag_id);
  return id == by_id_.end() ? nullptr : &flags_.at(id->second);
}

FlagPage FlagBook::List(const FlagQuery& query, std::size_t max_scanned) const {
  FlagPage page;
  std::size_t scanned = 0;
  for (auto it = flags_.lower_bound(query.from_seq); it != flags_.end(); ++it) {
    if (page.flags.size() == query.limit || scanned == max_scanned) {
      page.next = it->first;
      break;
    }
    ++scanned;
    const FlagEntry& entry = it->second;
    const FlagRaised& flag = entry.raised;
    if (query.status && entry.status() != *query.status) continue;
    if (!query.rule.empty() && flag.rule != query.rule) continue;
    if (query.severity && flag.severity != *query.severity) continue;
    if (!query.region.empty() && !RegionCovers(query.region, flag.region)) continue;
    if (!query.subject.empty() && flag.subject != query.subject) continue;
    if (!query.scope.empty() && !ScopeCovers(query.scope, flag.region)) continue;
    page.flags.push_back(&entry);
  }
  return page;
}

}  // namespace fupin::rules
