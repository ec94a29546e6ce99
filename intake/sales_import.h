// A platform's sales export to signed `sale.recorded` events (docs/intake.md,
// "## import sales"): the rows of a decoded CSV file are read through a
// SalesMap into sales, every bad cell of every row is reported at once,
// and the good rows are signed. Pure: no files, no network, no clock (the
// business time comes from the file, the ids from the platform's order
// numbers), so converting and signing the same file twice gives the same
// bytes.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "intake/csv_reader.h"
#include "intake/sales_map.h"
#include "ledger/event_key.h"
#include "ledger/event_types.h"
#include "ledger/status.h"

namespace fupin::intake {

// One bad cell, or a bad row as a whole (column and value empty).
struct RowError {
  std::size_t line = 0;  // the line of the file on which the row starts
  std::string column;    // the header's name of the column
  std::string value;     // the cell as it is in the file
  std::string reason;
};

// One good row, ready to be signed.
struct SaleDraft {
  std::size_t line = 0;
  std::string event_id;     // sale_event_id.h
  std::string occurred_at;  // RFC 3339 with offset
  SaleRecorded sale;        // checked by the ledger's own body rules
};

struct SalesConversion {
  std::size_t rows = 0;          // data rows (the header and blank rows not counted)
  std::vector<SaleDraft> sales;  // the good rows, in file order
  std::vector<RowError> errors;  // every problem of every bad row, in file order
  std::size_t bad_rows = 0;      // rows with at least one error
};

// Reads `rows` (the header first, then one sale per row) through `map`.
// A row whose cells are all blank is skipped. Errors for the file as a
// whole: kInvalidArgument when there is no header row, or the header lacks
// a column the map names or holds it twice. Everything wrong with a row
// (an unreadable amount, an unknown buyer word, a repeated order, ...) is
// a RowError instead, so one run reports the whole file.
Result<SalesConversion> ConvertSales(const std::vector<CsvRow>& rows, const SalesMap& map);

struct SignedSale {
  std::size_t line = 0;
  std::string event_id;
  std::string canonical;  // the signed event's JCS, one JSON line
};

// Signs every draft with `key` under `key_id`. Each signed event is read
// back as the ledger reads it (ParseEnvelope), so nothing is returned that
// the ledger would refuse as malformed: kMalformedEvent naming the line
// (e.g. an unusable key id). `progress`, when set, is called after each
// event with (signed so far, total).
Result<std::vector<SignedSale>> SignSales(
    const std::vector<SaleDraft>& drafts, const crypto::EventSigningKey& key,
    const std::string& key_id, const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace fupin::intake
