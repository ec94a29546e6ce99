// `replay diff`: what changed in the statistics table between two seqs,
// cell by cell, and which records in (from, to] caused each change.
//
// Attribution (docs/replay.md): a record is a cause of a changed cell
// (row R, column C) when it can move C and one of the regions it acts on
// lies at or below R:
//   outlet.deployed / outlet.closed -> the column of the outlet's kind, at
//       the outlet's region;
//   promotion.held -> promotions, at its region;
//   sale.recorded / sale.refunded -> sales and coverage, at the outlet's
//       region;
//   product.certified / product.revoked -> sales and coverage, at the
//       regions of the outlets where the product was sold up to `to` (a
//       late certification or revocation re-evaluates those sales);
//   household.registered -> coverage, at the regions where products
//       claiming the household were sold up to `to`;
//   campaign.defined of the campaign -> every cell (the window or targets
//       moved); region.defined -> the cells of its own row.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"

namespace fupin::replay {

struct CellChange {
  std::string region;
  std::string name;
  std::string column;  // SPEC §3 field name, e.g. "sales_fen"
  int64_t before = 0;
  int64_t after = 0;
  std::vector<uint64_t> causes;  // seqs in (from, to], ascending
  std::size_t causes_total = 0;  // causes beyond kListedCauses are counted only
};

struct CampaignDiff {
  std::string campaign;
  std::vector<CellChange> changes;  // table order, then column order
};

struct StatisticsDiff {
  uint64_t from = 0;
  uint64_t to = 0;
  std::vector<CampaignDiff> campaigns;
};

// Causes listed per cell; the rest are counted.
inline constexpr std::size_t kListedCauses = 100;

// Errors: kInvalidArgument unless from < to < tree size; kNotFound for a
// campaign not defined at `to`; fold and scan errors.
Result<StatisticsDiff> DiffStatistics(const Ledger& ledger, uint64_t from, uint64_t to,
                                      const std::string& campaign,
                                      const std::function<void(uint64_t, uint64_t)>& progress = {});

// {"from","to","campaigns":[{"campaign","changes":[{"region","name",
//  "column","before","after","delta","causes":[seq...],"causes_total"}]}]}
boost::json::object DiffJson(const StatisticsDiff& diff);
std::string RenderDiffText(const StatisticsDiff& diff);

}  // namespace fupin::replay
