#include "intake/sales_map.h"

#include <algorithm>
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "ledger/canonical_json.h"
#include "ledger/time.h"

namespace fupin::intake {
namespace {

inline constexpr std::array<BuyerKind, 3> kAllBuyerKinds = {
    BuyerKind::kBudgetUnit, BuyerKind::kEnterprise, BuyerKind::kIndividual};

Status MapError(std::string_view member, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument,
                "sales map: " + std::string(member) + ": " + std::string(what));
}

Status OnlyMembers(const boost::json::object& object, std::string_view where,
                   std::initializer_list<std::string_view> known) {
  for (const auto& member : object) {
    if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return MapError(std::string(where) + std::string(member.key()),
                      "unknown member (known: " + list + ")");
    }
  }
  return Status::Ok();
}

Result<std::string> NonEmptyString(const boost::json::value* v, std::string_view member) {
  if (v == nullptr) return MapError(member, "required");
  if (!v->is_string() || v->get_string().empty()) {
    return MapError(member, "must be a non-empty string");
  }
  return std::string(v->get_string());
}

// A column name, or (when `many`) a list of them.
Result<std::vector<std::string>> Columns(const boost::json::value& v, std::string_view member,
                                         bool many) {
  if (v.is_string()) {
    FUPIN_ASSIGN_OR_RETURN(std::string name, NonEmptyString(&v, member));
    return std::vector<std::string>{std::move(name)};
  }
  if (!many || !v.is_array() || v.get_array().empty()) {
    return MapError(member, many ? "must be a column name or a non-empty list of column names"
                                 : "must be a column name (a non-empty string)");
  }
  std::vector<std::string> names;
  for (const boost::json::value& item : v.get_array()) {
    FUPIN_ASSIGN_OR_RETURN(std::string name, NonEmptyString(&item, member));
    names.push_back(std::move(name));
  }
  return names;
}

std::optional<BuyerKind> BuyerKindFromWireName(std::string_view name) {
  for (BuyerKind kind : kAllBuyerKinds) {
    if (BuyerKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

// A field from a column or a fixed value, exactly one of them.
Result<FieldSource> Source(const boost::json::object& columns, const boost::json::object* fixed,
                           std::string_view field) {
  const boost::json::value* column = columns.if_contains(field);
  const boost::json::value* value = fixed == nullptr ? nullptr : fixed->if_contains(field);
  if (column != nullptr && value != nullptr) {
    return MapError(field, "given both in columns and in fixed; give one");
  }
  FieldSource source;
  if (column != nullptr) {
    FUPIN_ASSIGN_OR_RETURN(source.columns,
                           Columns(*column, "columns." + std::string(field), /*many=*/false));
  } else if (value != nullptr) {
    FUPIN_ASSIGN_OR_RETURN(source.fixed, NonEmptyString(value, "fixed." + std::string(field)));
  } else {
    return MapError("columns." + std::string(field), "required (or a value in fixed)");
  }
  return source;
}

Status CheckFixedId(const FieldSource& source, std::string_view field) {
  if (source.fixed && !IsValidEntityId(*source.fixed)) {
    return MapError("fixed." + std::string(field),
                    "must be an id: 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  return Status::Ok();
}

// %Y, %m, %d once each; %H, %M, %S at most once; %% a percent sign.
Status CheckTimeFormat(std::string_view format) {
  std::string seen;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size()) return MapError("time.format", "ends with a lone %");
    const char directive = format[++i];
    if (directive == '%') continue;
    if (std::string_view("YmdHMS").find(directive) == std::string_view::npos) {
      return MapError("time.format", std::string("unknown directive %") + directive +
                                         " (known: %Y %m %d %H %M %S %%)");
    }
    if (seen.find(directive) != std::string::npos) {
      return MapError("time.format", std::string("%") + directive + " given twice");
    }
    seen.push_back(directive);
  }
  for (char required : std::string_view("Ymd")) {
    if (seen.find(required) == std::string::npos) {
      return MapError("time.format", std::string("has no %") + required + " (a date is required)");
    }
  }
  return Status::Ok();
}

Status ReadTime(const boost::json::value* v, SalesMap& map) {
  if (v == nullptr || !v->is_object()) return MapError("time", "required, an object");
  const boost::json::object& time = v->get_object();
  FUPIN_RETURN_IF_ERROR(OnlyMembers(time, "time.", {"format", "zone"}));
  FUPIN_ASSIGN_OR_RETURN(map.time_format,
                         NonEmptyString(time.if_contains("format"), "time.format"));
  const boost::json::value* zone = time.if_contains("zone");
  if (map.time_format == kRfc3339TimeFormat) {
    if (zone != nullptr) {
      return MapError("time.zone", "not used with format rfc3339 (each cell has its offset)");
    }
    return Status::Ok();
  }
  FUPIN_RETURN_IF_ERROR(CheckTimeFormat(map.time_format));
  FUPIN_ASSIGN_OR_RETURN(map.time_zone, NonEmptyString(zone, "time.zone"));
  // The offset grammar is RFC 3339's; the parser of occurred_at checks it.
  if (!ParseRfc3339Millis("2020-01-01T00:00:00" + map.time_zone).ok()) {
    return MapError("time.zone", "must be an offset as \"+08:00\" or \"Z\"");
  }
  return Status::Ok();
}

Status ReadBuyerKindWords(const boost::json::value* v, SalesMap& map) {
  if (v == nullptr) {
    if (!map.buyer_kind.columns.empty()) {
      return MapError("buyer_kinds", "required when buyer_kind is a column: the platform's words");
    }
    return Status::Ok();
  }
  if (!v->is_object() || v->get_object().empty()) {
    return MapError("buyer_kinds", "must be an object of the platform's words");
  }
  for (const auto& member : v->get_object()) {
    const std::string where = "buyer_kinds." + std::string(member.key());
    if (member.key().empty()) return MapError("buyer_kinds", "a word is empty");
    std::optional<BuyerKind> kind;
    if (member.value().is_string()) kind = BuyerKindFromWireName(member.value().get_string());
    if (!kind) return MapError(where, "must be budget_unit, enterprise or individual");
    map.buyer_kind_words.emplace_back(std::string(member.key()), *kind);
  }
  return Status::Ok();
}

Status ReadColumns(const boost::json::object& root, SalesMap& map) {
  const boost::json::value* columns_value = root.if_contains("columns");
  if (columns_value == nullptr || !columns_value->is_object()) {
    return MapError("columns", "required, an object of field -> column name");
  }
  const boost::json::object& columns = columns_value->get_object();
  FUPIN_RETURN_IF_ERROR(
      OnlyMembers(columns, "columns.",
                  {"sale_id", "product_id", "outlet_id", "quantity", "unit_price_yuan",
                   "amount_yuan", "buyer_kind", "buyer_ref", "occurred_at"}));
  const boost::json::object* fixed = nullptr;
  if (const boost::json::value* f = root.if_contains("fixed")) {
    if (!f->is_object()) return MapError("fixed", "must be an object of field -> value");
    fixed = &f->get_object();
    FUPIN_RETURN_IF_ERROR(OnlyMembers(*fixed, "fixed.", {"product_id", "outlet_id", "buyer_kind"}));
  }
  const boost::json::value* sale_id = columns.if_contains("sale_id");
  if (sale_id == nullptr) return MapError("columns.sale_id", "required (the order number)");
  FUPIN_ASSIGN_OR_RETURN(map.sale_id_columns, Columns(*sale_id, "columns.sale_id", true));
  FUPIN_ASSIGN_OR_RETURN(map.product_id, Source(columns, fixed, "product_id"));
  FUPIN_RETURN_IF_ERROR(CheckFixedId(map.product_id, "product_id"));
  FUPIN_ASSIGN_OR_RETURN(map.outlet_id, Source(columns, fixed, "outlet_id"));
  FUPIN_RETURN_IF_ERROR(CheckFixedId(map.outlet_id, "outlet_id"));
  FUPIN_ASSIGN_OR_RETURN(map.quantity_column,
                         NonEmptyString(columns.if_contains("quantity"), "columns.quantity"));
  if (const boost::json::value* v = columns.if_contains("unit_price_yuan")) {
    FUPIN_ASSIGN_OR_RETURN(map.unit_price_column, NonEmptyString(v, "columns.unit_price_yuan"));
  }
  if (const boost::json::value* v = columns.if_contains("amount_yuan")) {
    FUPIN_ASSIGN_OR_RETURN(map.amount_column, NonEmptyString(v, "columns.amount_yuan"));
  }
  if (!map.unit_price_column && !map.amount_column) {
    return MapError("columns", "needs unit_price_yuan or amount_yuan (or both)");
  }
  FUPIN_ASSIGN_OR_RETURN(map.buyer_kind, Source(columns, fixed, "buyer_kind"));
  if (map.buyer_kind.fixed && !BuyerKindFromWireName(*map.buyer_kind.fixed)) {
    return MapError("fixed.buyer_kind", "must be budget_unit, enterprise or individual");
  }
  if (const boost::json::value* v = columns.if_contains("buyer_ref")) {
    FUPIN_ASSIGN_OR_RETURN(map.buyer_ref_columns, Columns(*v, "columns.buyer_ref", true));
  }
  FUPIN_ASSIGN_OR_RETURN(map.occurred_at_column,
                         NonEmptyString(columns.if_contains("occurred_at"), "columns.occurred_at"));
  return Status::Ok();
}

}  // namespace

std::vector<std::string> SalesMap::NamedColumns() const {
  std::vector<std::string> all;
  auto add = [&all](const std::string& name) {
    if (std::find(all.begin(), all.end(), name) == all.end()) all.push_back(name);
  };
  for (const std::string& c : sale_id_columns) add(c);
  for (const std::string& c : product_id.columns) add(c);
  for (const std::string& c : outlet_id.columns) add(c);
  add(quantity_column);
  if (unit_price_column) add(*unit_price_column);
  if (amount_column) add(*amount_column);
  for (const std::string& c : buyer_kind.columns) add(c);
  for (const std::string& c : buyer_ref_columns) add(c);
  add(occurred_at_column);
  return all;
}

Result<SalesMap> ParseSalesMap(std::string_view json_text) {
  Result<boost::json::object> parsed = json::ParseStrictObject(json_text);
  if (!parsed.ok()) return parsed.status().WithContext("sales map");
  const boost::json::object& root = *parsed;
  FUPIN_RETURN_IF_ERROR(OnlyMembers(
      root, "",
      {"format", "platform", "sale_id_prefix", "columns", "fixed", "buyer_kinds", "time"}));
  FUPIN_ASSIGN_OR_RETURN(std::string format, NonEmptyString(root.if_contains("format"), "format"));
  if (format != kSalesMapFormat) {
    return MapError("format", "\"" + format + "\" is not " + std::string(kSalesMapFormat));
  }
  SalesMap map;
  FUPIN_ASSIGN_OR_RETURN(map.platform, NonEmptyString(root.if_contains("platform"), "platform"));
  for (unsigned char c : map.platform) {
    // The platform is a line of the id's name (sale_event_id.h).
    if (c < 0x20 || c == 0x7f) return MapError("platform", "must not hold control characters");
  }
  if (const boost::json::value* prefix = root.if_contains("sale_id_prefix")) {
    FUPIN_ASSIGN_OR_RETURN(map.sale_id_prefix, NonEmptyString(prefix, "sale_id_prefix"));
    if (!IsValidEntityId(map.sale_id_prefix)) {
      return MapError("sale_id_prefix", "must be characters of an id: A-Z a-z 0-9 . _ -");
    }
  }
  FUPIN_RETURN_IF_ERROR(ReadColumns(root, map));
  FUPIN_RETURN_IF_ERROR(ReadBuyerKindWords(root.if_contains("buyer_kinds"), map));
  FUPIN_RETURN_IF_ERROR(ReadTime(root.if_contains("time"), map));
  return map;
}

}  // namespace fupin::intake
