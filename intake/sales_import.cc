#include "intake/sales_import.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <map>
#include <optional>

#include "intake/local_time.h"
#include "intake/sale_event_id.h"
#include "intake/yuan.h"
#include "ledger/canonical_json.h"
#include "ledger/event.h"
#include "ledger/signing.h"

namespace fupin::intake {
namespace {

inline constexpr std::string_view kIdRule = "1-64 characters of A-Z a-z 0-9 . _ -";
// Spreadsheets pad cells with spaces, tabs (a leading tab keeps Excel from
// turning long order numbers into 1.2E+17) and the ideographic space.
inline constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

std::string_view Trim(std::string_view s) {
  while (true) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    } else if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      return s;
    }
  }
}

bool IsBlankRow(const CsvRow& row) {
  return std::all_of(row.fields.begin(), row.fields.end(),
                     [](const std::string& f) { return Trim(f).empty(); });
}

// The body of SPEC §2.5 (buyer_ref only when there is one).
boost::json::object SaleBodyJson(const SaleRecorded& sale) {
  boost::json::object body;
  body["sale_id"] = sale.sale_id;
  body["product_id"] = sale.product_id;
  body["outlet_id"] = sale.outlet_id;
  body["quantity"] = sale.quantity;
  body["unit_price_fen"] = sale.unit_price_fen;
  body["amount_fen"] = sale.amount_fen;
  body["buyer_kind"] = BuyerKindName(sale.buyer_kind);
  if (sale.buyer_ref) body["buyer_ref"] = *sale.buyer_ref;
  return body;
}

// Where each column the map names sits in the header.
class ColumnIndex {
 public:
  static Result<ColumnIndex> Build(const CsvRow& header, const SalesMap& map) {
    ColumnIndex index;
    index.width_ = header.fields.size();
    std::string names;
    for (const std::string& field : header.fields) {
      names += (names.empty() ? "" : ", ") + std::string(Trim(field));
    }
    for (const std::string& column : map.NamedColumns()) {
      std::optional<std::size_t> found;
      for (std::size_t i = 0; i < header.fields.size(); ++i) {
        if (Trim(header.fields[i]) != column) continue;
        if (found) {
          return Status(ErrorCode::kInvalidArgument,
                        "the header (line " + std::to_string(header.line) + ") has column \"" +
                            column + "\" twice (columns " + std::to_string(*found + 1) + " and " +
                            std::to_string(i + 1) + ")");
        }
        found = i;
      }
      if (!found) {
        return Status(ErrorCode::kInvalidArgument,
                      "the header (line " + std::to_string(header.line) + ") has no column \"" +
                          column + "\" named in the map; its columns: " + names);
      }
      index.positions_.emplace(column, *found);
    }
    return index;
  }

  std::size_t width() const { return width_; }
  std::size_t at(const std::string& column) const { return positions_.at(column); }

 private:
  std::size_t width_ = 0;
  std::map<std::string, std::size_t> positions_;
};

// Reads one row's cells, recording every problem it finds.
class SaleRowReader {
 public:
  SaleRowReader(const CsvRow& row, const ColumnIndex& index, const SalesMap& map,
                std::vector<RowError>& errors)
      : row_(row), index_(index), map_(map), errors_(errors) {}

  std::optional<SaleDraft> Read(std::string& order_key) {
    if (!CheckWidth()) return std::nullopt;
    const std::size_t errors_before = errors_.size();
    SaleRecorded& sale = draft_.sale;
    sale.sale_id = ReadSaleId(order_key);
    sale.product_id = ReadId(map_.product_id, "product");
    sale.outlet_id = ReadId(map_.outlet_id, "outlet");
    ReadAmounts();
    ReadBuyer();
    Result<std::string> at =
        LocalTimeToRfc3339(Trimmed(map_.occurred_at_column), map_.time_format, map_.time_zone);
    if (at.ok()) {
      draft_.occurred_at = std::move(at).value();
    } else {
      Fail(map_.occurred_at_column, at.status().message());
    }
    if (errors_.size() > errors_before) return std::nullopt;
    if (!CheckWithLedgerRules()) return std::nullopt;
    draft_.line = row_.line;
    draft_.event_id = SaleEventId(map_.platform, order_key);
    return std::move(draft_);
  }

  void Fail(const std::string& column, std::string reason) {
    errors_.push_back({row_.line, column, Cell(column), std::move(reason)});
  }

 private:
  std::string Cell(const std::string& column) const {
    const std::size_t i = index_.at(column);
    return i < row_.fields.size() ? row_.fields[i] : std::string();
  }
  std::string_view Trimmed(const std::string& column) const {
    const std::size_t i = index_.at(column);
    return i < row_.fields.size() ? Trim(row_.fields[i]) : std::string_view();
  }

  // A row with fewer cells than the header, or more that are not empty,
  // has its values shifted: reading it by position would import garbage.
  bool CheckWidth() {
    const std::size_t width = index_.width();
    bool extra = false;
    for (std::size_t i = width; i < row_.fields.size(); ++i) extra |= !Trim(row_.fields[i]).empty();
    if (row_.fields.size() >= width && !extra) return true;
    errors_.push_back({row_.line, "", "",
                       "the row has " + std::to_string(row_.fields.size()) + " cells, the header " +
                           std::to_string(width) +
                           (extra ? " (a comma inside an unquoted cell?)" : "")});
    return false;
  }

  std::string ReadSaleId(std::string& order_key) {
    order_key.clear();
    bool complete = true;
    for (const std::string& column : map_.sale_id_columns) {
      std::string_view part = Trimmed(column);
      if (part.empty()) {
        Fail(column, "empty; the order number is required");
        complete = false;
      }
      order_key += (&column == &map_.sale_id_columns.front() ? "" : "-") + std::string(part);
    }
    if (!complete) {
      order_key.clear();
      return "";
    }
    std::string sale_id = map_.sale_id_prefix + order_key;
    if (!IsValidEntityId(sale_id)) {
      Fail(map_.sale_id_columns.front(),
           "sale id \"" + sale_id + "\" is not an id (" + std::string(kIdRule) + ")");
    }
    return sale_id;
  }

  std::string ReadId(const FieldSource& source, std::string_view what) {
    if (source.fixed) return *source.fixed;
    const std::string& column = source.columns.front();
    std::string id(Trimmed(column));
    if (id.empty()) {
      Fail(column, "empty; the " + std::string(what) + " id is required");
    } else if (!IsValidEntityId(id)) {
      Fail(column, "not a " + std::string(what) + " id (" + std::string(kIdRule) + ")");
    }
    return id;
  }

  std::optional<int64_t> ReadQuantity() {
    std::string_view text = Trimmed(map_.quantity_column);
    if (text.empty()) {
      Fail(map_.quantity_column, "empty; the quantity is required");
      return std::nullopt;
    }
    // 2^53-1 has 16 digits; a longer quantity is out of range anyway.
    if (text.size() > 16 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      Fail(map_.quantity_column, "not a whole number of units");
      return std::nullopt;
    }
    const int64_t quantity = std::stoll(std::string(text));
    if (quantity == 0 || quantity > json::kMaxSafeInteger) {
      Fail(map_.quantity_column,
           quantity == 0 ? "zero; a sale has at least one unit" : "too large (at most 2^53-1)");
      return std::nullopt;
    }
    return quantity;
  }

  // A price column's value in fen; nullopt for an empty (or unmapped) cell
  // or a bad one (then `bad` is set).
  std::optional<int64_t> ReadPrice(const std::optional<std::string>& column, bool& bad) {
    if (!column || Trimmed(*column).empty()) return std::nullopt;
    Result<int64_t> fen = ParseYuanAsFen(Trimmed(*column));
    if (!fen.ok()) {
      Fail(*column, fen.status().message());
      bad = true;
      return std::nullopt;
    }
    if (*fen == 0) {
      Fail(*column, "zero; a sale's price is positive");
      bad = true;
      return std::nullopt;
    }
    return *fen;
  }

  // SPEC §2.5: amount_fen = quantity x unit_price_fen, whichever is given.
  void ReadAmounts() {
    std::optional<int64_t> quantity = ReadQuantity();
    bool bad = false;
    std::optional<int64_t> unit = ReadPrice(map_.unit_price_column, bad);
    std::optional<int64_t> amount = ReadPrice(map_.amount_column, bad);
    if (bad) return;
    const std::string& price_column =
        map_.unit_price_column ? *map_.unit_price_column : *map_.amount_column;
    if (!unit && !amount) {
      Fail(price_column, "empty; a unit price or an amount in 元 is required");
      return;
    }
    if (!quantity) return;
    SaleRecorded& sale = draft_.sale;
    sale.quantity = *quantity;
    if (unit) {
      int64_t product = 0;
      if (__builtin_mul_overflow(*quantity, *unit, &product) || product > json::kMaxSafeInteger) {
        Fail(price_column, "quantity x unit price is too large (at most 2^53-1 分)");
        return;
      }
      if (amount && *amount != product) {
        Fail(*map_.amount_column, "is not " + map_.quantity_column + " " +
                                      std::to_string(*quantity) + " x " + price_column + " " +
                                      FormatFenAsYuan(*unit) + " = " + FormatFenAsYuan(product));
        return;
      }
      sale.unit_price_fen = *unit;
      sale.amount_fen = product;
      return;
    }
    if (*amount % *quantity != 0) {
      Fail(*map_.amount_column, "divided by " + map_.quantity_column + " " +
                                    std::to_string(*quantity) +
                                    " gives no whole 分 unit price; map the unit price column");
      return;
    }
    sale.unit_price_fen = *amount / *quantity;
    sale.amount_fen = *amount;
  }

  void ReadBuyer() {
    SaleRecorded& sale = draft_.sale;
    if (map_.buyer_kind.fixed) {
      for (BuyerKind kind :
           {BuyerKind::kBudgetUnit, BuyerKind::kEnterprise, BuyerKind::kIndividual}) {
        if (BuyerKindName(kind) == *map_.buyer_kind.fixed) sale.buyer_kind = kind;
      }
    } else {
      const std::string& column = map_.buyer_kind.columns.front();
      std::string_view word = Trimmed(column);
      bool known = false;
      for (const auto& [platform_word, kind] : map_.buyer_kind_words) {
        if (platform_word == word) {
          sale.buyer_kind = kind;
          known = true;
          break;
        }
      }
      if (!known) {
        std::string words;
        for (const auto& entry : map_.buyer_kind_words) {
          words += (words.empty() ? "" : ", ") + entry.first;
        }
        Fail(column, word.empty()
                         ? "empty; the buyer kind is required (the map knows: " + words + ")"
                         : "not a buyer kind the map knows (" + words + ")");
      }
    }
    std::string ref;
    for (const std::string& column : map_.buyer_ref_columns) {
      std::string_view part = Trimmed(column);
      if (part.empty()) continue;
      ref += (ref.empty() ? "" : "/") + std::string(part);
    }
    if (!ref.empty()) sale.buyer_ref = std::move(ref);
  }

  // The ledger's own body rules (ledger/event_types.h), so no event leaves
  // that the ledger would refuse for its body: a row error names the field's
  // column ("body.buyer_ref: must be ..." -> the buyer_ref column).
  bool CheckWithLedgerRules() {
    const boost::json::object body = SaleBodyJson(draft_.sale);
    Result<SaleRecorded> checked = ParseSaleRecorded(body);
    if (checked.ok()) return true;
    std::string message = checked.status().message();
    std::string column;
    std::string value;
    const std::size_t colon = message.find(": ");
    if (message.starts_with("body.") && colon != std::string::npos) {
      const std::string field = message.substr(5, colon - 5);
      column = ColumnOfField(field);
      if (const boost::json::value* v = body.if_contains(field); v && v->is_string()) {
        value = v->get_string();
      }
      message = message.substr(colon + 2);
    }
    errors_.push_back({row_.line, column, value, message});
    return false;
  }

  std::string ColumnOfField(std::string_view field) const {
    auto first = [](const std::vector<std::string>& columns) {
      return columns.empty() ? std::string() : columns.front();
    };
    if (field == "sale_id") return first(map_.sale_id_columns);
    if (field == "product_id") return first(map_.product_id.columns);
    if (field == "outlet_id") return first(map_.outlet_id.columns);
    if (field == "quantity") return map_.quantity_column;
    if (field == "buyer_kind") return first(map_.buyer_kind.columns);
    if (field == "buyer_ref") return first(map_.buyer_ref_columns);
    return "";
  }

 private:
  const CsvRow& row_;
  const ColumnIndex& index_;
  const SalesMap& map_;
  std::vector<RowError>& errors_;
  SaleDraft draft_;
};

}  // namespace

Result<SalesConversion> ConvertSales(const std::vector<CsvRow>& rows, const SalesMap& map) {
  if (rows.empty()) {
    return Status(ErrorCode::kInvalidArgument, "the file is empty: no header row");
  }
  FUPIN_ASSIGN_OR_RETURN(ColumnIndex index, ColumnIndex::Build(rows.front(), map));
  SalesConversion out;
  // Order key -> line of its first row: a sale is one row.
  std::map<std::string, std::size_t> orders;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (IsBlankRow(row)) continue;
    ++out.rows;
    const std::size_t errors_before = out.errors.size();
    SaleRowReader reader(row, index, map, out.errors);
    std::string order_key;
    std::optional<SaleDraft> draft = reader.Read(order_key);
    if (!order_key.empty()) {
      auto [seen, inserted] = orders.emplace(order_key, row.line);
      if (!inserted) {
        reader.Fail(map.sale_id_columns.front(),
                    "order \"" + order_key + "\" is also on line " + std::to_string(seen->second) +
                        "; one row per sale (an order of several lines needs more sale_id "
                        "columns)");
      }
    }
    if (out.errors.size() > errors_before) {
      ++out.bad_rows;
    } else if (draft) {
      out.sales.push_back(std::move(*draft));
    }
  }
  return out;
}

Result<std::vector<SignedSale>> SignSales(
    const std::vector<SaleDraft>& drafts, const crypto::EventSigningKey& key,
    const std::string& key_id, const std::function<void(std::size_t, std::size_t)>& progress) {
  std::vector<SignedSale> out;
  out.reserve(drafts.size());
  for (const SaleDraft& draft : drafts) {
    boost::json::object event;
    event["id"] = draft.event_id;
    event["type"] = "sale.recorded";
    event["v"] = 1;
    event["occurred_at"] = draft.occurred_at;
    event["key"] = key_id;
    event["body"] = SaleBodyJson(draft.sale);
    const std::string context = "line " + std::to_string(draft.line);
    Result<boost::json::object> signed_event = SignEvent(std::move(event), key);
    if (!signed_event.ok()) return signed_event.status().WithContext(context);
    std::string canonical = json::Canonicalize(*signed_event);
    // Read back as the ledger reads it: nothing leaves that it would refuse
    // as malformed (an unusable key id, a time out of range).
    if (Result<Envelope> envelope = ParseEnvelope(canonical); !envelope.ok()) {
      return envelope.status().WithContext(context);
    }
    out.push_back({draft.line, draft.event_id, std::move(canonical)});
    if (progress) progress(out.size(), drafts.size());
  }
  return out;
}

}  // namespace fupin::intake
