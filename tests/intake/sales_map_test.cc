#include "intake/sales_map.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/fixtures.h"

namespace fupin::intake {
namespace {

// A complete, small map; tests change one member each.
std::string MapText(std::string_view columns_extra = "", std::string_view top_extra = "",
                    std::string_view time = R"~({"format":"%Y-%m-%d %H:%M:%S","zone":"+08:00"})~") {
  return std::string(R"~({"format":"fupin-ledger/sales-map/v1","platform":"832",)~") +
         R"~("columns":{"sale_id":"订单编号","product_id":"商品编码","outlet_id":"店铺编号",)~" +
         R"~("quantity":"数量","unit_price_yuan":"单价(元)","buyer_kind":"采购单位类型",)~" +
         R"~("occurred_at":"下单时间")~" + std::string(columns_extra) + "}," +
         R"~("buyer_kinds":{"个人":"individual"},)~" + std::string(top_extra) + R"~("time":)~" +
         std::string(time) + "}";
}

// `text` without its first occurrence of `part`.
std::string Without(std::string text, std::string_view part) {
  const std::size_t at = text.find(part);
  EXPECT_NE(at, std::string::npos) << part;
  if (at != std::string::npos) text.erase(at, part.size());
  return text;
}

void ExpectRefused(const std::string& text, std::string_view needle) {
  Result<SalesMap> map = ParseSalesMap(text);
  ASSERT_FALSE(map.ok()) << text;
  EXPECT_EQ(map.status().code(), ErrorCode::kInvalidArgument) << map.status().ToString();
  EXPECT_NE(map.status().message().find(needle), std::string::npos) << map.status().message();
}

TEST(SalesMapTest, The832FixtureParses) {
  Result<SalesMap> map = ParseSalesMap(testing::ReadFixture("intake/832-sales-map.json"));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->platform, "832");
  EXPECT_EQ(map->sale_id_prefix, "832-");
  EXPECT_EQ(map->sale_id_columns, std::vector<std::string>{"订单编号"});
  EXPECT_EQ(map->outlet_id.columns, std::vector<std::string>{"店铺编号"});
  EXPECT_EQ(map->unit_price_column, "单价(元)");
  EXPECT_EQ(map->amount_column, "实付金额(元)");
  EXPECT_EQ(map->buyer_ref_columns, (std::vector<std::string>{"采购单位编码", "采购人账号"}));
  EXPECT_EQ(map->buyer_kind_words.size(), 4u);
  EXPECT_EQ(map->time_zone, "+08:00");
}

TEST(SalesMapTest, SmallMapParsesWithoutOptionalMembers) {
  Result<SalesMap> map = ParseSalesMap(MapText());
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_TRUE(map->sale_id_prefix.empty());
  EXPECT_FALSE(map->amount_column.has_value());
  EXPECT_TRUE(map->buyer_ref_columns.empty());
}

TEST(SalesMapTest, FixedValuesStandForMissingColumns) {
  std::string text = Without(Without(MapText(), R"~("outlet_id":"店铺编号",)~"),
                             R"~("buyer_kind":"采购单位类型",)~");
  text = Without(text, R"~("buyer_kinds":{"个人":"individual"},)~");
  text.insert(text.find(R"~("time":)~"),
              R"~("fixed":{"outlet_id":"ZN-832-430100","buyer_kind":"individual"},)~");
  Result<SalesMap> map = ParseSalesMap(text);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->outlet_id.fixed, "ZN-832-430100");
  EXPECT_TRUE(map->outlet_id.columns.empty());
  EXPECT_EQ(map->buyer_kind.fixed, "individual");
  EXPECT_EQ(map->NamedColumns().size(), 5u);
}

TEST(SalesMapTest, NotJsonKeepsTheJsonCode) {
  Result<SalesMap> map = ParseSalesMap("{\"format\":");
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.status().code(), ErrorCode::kMalformedJson);
  EXPECT_NE(map.status().message().find("sales map"), std::string::npos);
}

TEST(SalesMapTest, OtherFormatIsRefused) {
  std::string text = MapText();
  text.replace(text.find("sales-map/v1"), 12, "sales-map/v9");
  ExpectRefused(text, "format");
}

TEST(SalesMapTest, UnknownMemberIsRefused) {
  ExpectRefused(MapText("", R"~("colums":{},)~"), "colums: unknown member");
  ExpectRefused(MapText(R"~(,"amount":"实付金额(元)")~"), "columns.amount: unknown member");
}

TEST(SalesMapTest, MissingRequiredColumnIsRefused) {
  ExpectRefused(Without(MapText(), R"~("quantity":"数量",)~"), "columns.quantity: required");
}

TEST(SalesMapTest, NoPriceColumnIsRefused) {
  ExpectRefused(Without(MapText(), R"~("unit_price_yuan":"单价(元)",)~"),
                "unit_price_yuan or amount_yuan");
}

TEST(SalesMapTest, FieldBothInColumnsAndFixedIsRefused) {
  ExpectRefused(MapText("", R"~("fixed":{"outlet_id":"ZN-1"},)~"), "outlet_id: given both");
}

TEST(SalesMapTest, FixedIdMustBeAnId) {
  ExpectRefused(
      Without(MapText("", R"~("fixed":{"product_id":"百合"},)~"), R"~("product_id":"商品编码",)~"),
      "fixed.product_id: must be an id");
}

TEST(SalesMapTest, BuyerKindWordMustMapToAWireName) {
  std::string text = MapText();
  text.replace(text.find(R"~("个人":"individual")~"),
               std::string(R"~("个人":"individual")~").size(), R"~("个人":"person")~");
  ExpectRefused(text, "buyer_kinds.个人: must be budget_unit, enterprise or individual");
}

TEST(SalesMapTest, BuyerKindColumnNeedsWords) {
  ExpectRefused(Without(MapText(), R"~("buyer_kinds":{"个人":"individual"},)~"),
                "buyer_kinds: required");
}

TEST(SalesMapTest, ZoneMustBeAnOffset) {
  ExpectRefused(MapText("", "", R"~({"format":"%Y-%m-%d","zone":"Asia/Shanghai"})~"), "time.zone");
  ExpectRefused(MapText("", "", R"~({"format":"%Y-%m-%d"})~"), "time.zone: required");
}

TEST(SalesMapTest, TimeFormatNeedsADateAndKnownDirectives) {
  ExpectRefused(MapText("", "", R"~({"format":"%H:%M","zone":"+08:00"})~"), "has no %Y");
  ExpectRefused(MapText("", "", R"~({"format":"%Y-%m-%d %I","zone":"+08:00"})~"),
                "unknown directive %I");
  ExpectRefused(MapText("", "", R"~({"format":"%Y-%m-%d %d","zone":"+08:00"})~"), "%d given twice");
}

TEST(SalesMapTest, Rfc3339FormatTakesNoZone) {
  EXPECT_TRUE(ParseSalesMap(MapText("", "", R"~({"format":"rfc3339"})~")).ok());
  ExpectRefused(MapText("", "", R"~({"format":"rfc3339","zone":"+08:00"})~"),
                "time.zone: not used");
}

TEST(SalesMapTest, PlatformMayNotHoldALineEnd) {
  std::string text = MapText();
  text.replace(text.find(R"~("platform":"832")~"), std::string(R"~("platform":"832")~").size(),
               R"~("platform":"832\nx")~");
  ExpectRefused(text, "platform: must not hold control characters");
}

}  // namespace
}  // namespace fupin::intake
