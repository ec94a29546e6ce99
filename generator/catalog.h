// Reference data of the generated world: the kinds of 扶贫产品 Hunan's
// poverty counties certified in 2020, their local specialties, the online
// platforms, and the words venue and organization names are made of.
// Static, immutable, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace fupin::generator {

struct ProductKind {
  std::string_view name;      // 黄花菜
  std::string_view category;  // unique with `unit`: the FP-04 peer group
  std::string_view unit;      // what unit_price_fen is the price of
  std::string_view spec;
  // Typical 2020 retail price of one unit, in fen.
  int64_t base_price_fen;
  // Generic staples any county produces; a rare local kind folds into one
  // of these when it has too few products to form a category.
  bool staple;
};

std::span<const ProductKind> ProductKinds();
// Index into ProductKinds() by name; -1 if unknown.
int FindKind(std::string_view name);
// The specialty kinds of a poverty county (e.g. 430426 祁东: 黄花菜, 辣椒,
// 大米); staples for counties not listed.
std::span<const std::string_view> CountySpecialties(std::string_view county);

// Product name decorations ("精品", "礼盒装").
std::span<const std::string_view> ProductGrades();

struct Platform {
  std::string_view key_suffix;  // operator key "op-<suffix>"
  std::string_view name;        // 中国建设银行·善融商务
  std::string_view short_name;  // 善融商务
};
// Online platforms in the order they join as the scale grows.
std::span<const Platform> OnlinePlatforms();

// Places where smart counters (智能专柜) stand.
std::span<const std::string_view> CounterVenues();
// Supermarket chains hosting offline zones (线下专区).
std::span<const std::string_view> Supermarkets();
// Kinds of budget units (预算单位) buying in bulk.
std::span<const std::string_view> BudgetUnitKinds();
// Legal-form suffixes of suppliers, with the USCC organisation-type
// character of each (GB 32100-2015: 9 工商, then 1 企业 / 3 合作社).
struct SupplierForm {
  std::string_view suffix;
  char uscc_prefix[3];
};
std::span<const SupplierForm> SupplierForms();
// Words of supplier names ("金穗", "山乡").
std::span<const std::string_view> SupplierWords();

}  // namespace fupin::generator
