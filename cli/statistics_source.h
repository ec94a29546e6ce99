// The statistics table of a campaign read offline from a data directory, as
// `stats` and `report template --data` need it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/status.h"
#include "projections/statistics_table.h"

namespace fupin::cli {

// Opens the ledger read-only (RocksDB read-only mode takes no lock, so this
// works beside a running server and sees the log as it was when opened),
// starts from the stored projection state or snapshot nearest `as_of`
// (from seq 0 with `rebuild`) and folds the rest in memory, with a progress
// meter on a terminal. Nothing is written. Errors: kInvalidArgument for an
// as_of beyond the log, kNotFound for an unknown campaign, the store's own.
Result<projections::StatisticsTable> LoadStatisticsTable(const std::string& data,
                                                         const std::string& campaign,
                                                         std::optional<uint64_t> as_of,
                                                         bool rebuild);

}  // namespace fupin::cli
