// The map of a platform's sales export (docs/intake.md, "## import
// sales"): which column holds which field of `sale.recorded`, how the
// platform spells buyer kinds, and how it writes times. A JSON file:
//
//   {"format": "fupin-ledger/sales-map/v1", "platform": "832",
//    "sale_id_prefix": "832-",
//    "columns": {"sale_id": "订单编号", "product_id": "商品编码", ...},
//    "fixed": {"outlet_id": "Z-430000-0001"},
//    "buyer_kinds": {"预算单位": "budget_unit", "个人": "individual"},
//    "time": {"format": "%Y-%m-%d %H:%M:%S", "zone": "+08:00"}}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/event_types.h"
#include "ledger/status.h"

namespace fupin::intake {

// The map format this code reads; a map names it in "format".
inline constexpr std::string_view kSalesMapFormat = "fupin-ledger/sales-map/v1";
// "time.format" for cells that are already RFC 3339 with an offset.
inline constexpr std::string_view kRfc3339TimeFormat = "rfc3339";

// Where one body field comes from: the cells of `columns` (header names)
// or, for a field an export has no column for (a shop's own export has no
// shop column), one `fixed` value for every row. Exactly one is set.
struct FieldSource {
  std::vector<std::string> columns;
  std::optional<std::string> fixed;
};

struct SalesMap {
  // Names the platform in event ids (sale_event_id.h); free text.
  std::string platform;
  // Put before the order key to form sale_id, so order numbers of two
  // platforms never collide in the ledger (sale ids are unique there).
  std::string sale_id_prefix;
  // The order key: these cells joined with "-" (one order line per row
  // may need the order number and the product code).
  std::vector<std::string> sale_id_columns;
  FieldSource product_id;
  FieldSource outlet_id;
  std::string quantity_column;
  // Prices in 元; at least one of the two is mapped.
  std::optional<std::string> unit_price_column;
  std::optional<std::string> amount_column;
  // A column's words looked up in buyer_kind_words, or a fixed wire name.
  FieldSource buyer_kind;
  std::vector<std::pair<std::string, BuyerKind>> buyer_kind_words;
  // buyer_ref: the non-empty cells of these columns joined with "/"
  // ("<org>/<person>" for budget units); none mapped -> no buyer_ref.
  std::vector<std::string> buyer_ref_columns;
  std::string occurred_at_column;
  // "%Y-%m-%d %H:%M:%S" style (%Y %m %d %H %M %S %%, other characters
  // literal), or kRfc3339TimeFormat.
  std::string time_format;
  // "+08:00", "Z": the offset of the platform's local times; empty with
  // kRfc3339TimeFormat, whose cells carry their own.
  std::string time_zone;

  // Every column the map names, once each, in map order.
  std::vector<std::string> NamedColumns() const;
};

// Parses and checks a map: known members only, every required field
// mapped exactly once, fixed ids valid, buyer kinds and time format
// usable. kInvalidArgument naming the member ("columns.quantity: ...");
// the JSON codes of canonical_json.h for text that is not strict JSON.
Result<SalesMap> ParseSalesMap(std::string_view json_text);

}  // namespace fupin::intake
