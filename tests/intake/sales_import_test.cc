#include "intake/sales_import.h"

#include <gtest/gtest.h>

#include <string>

#include "intake/csv_reader.h"
#include "intake/sale_event_id.h"
#include "intake/text_encoding.h"
#include "intake/yuan.h"
#include "ledger/event.h"
#include "tests/support/fixtures.h"

namespace fupin::intake {
namespace {

inline constexpr std::string_view kHeader =
    "订单编号,商品编码,店铺编号,数量,单价(元),实付金额(元),采购单位类型,采购单位编码,采购人账号,"
    "下单时间\n";

SalesMap The832Map() {
  Result<SalesMap> map = ParseSalesMap(testing::ReadFixture("intake/832-sales-map.json"));
  EXPECT_TRUE(map.ok()) << map.status().ToString();
  return map.ok() ? *map : SalesMap{};
}

SalesConversion Convert(std::string_view rows, const SalesMap& map = The832Map()) {
  Result<std::vector<CsvRow>> csv = ParseCsv(std::string(kHeader) + std::string(rows));
  EXPECT_TRUE(csv.ok()) << csv.status().ToString();
  Result<SalesConversion> converted = ConvertSales(*csv, map);
  EXPECT_TRUE(converted.ok()) << converted.status().ToString();
  return converted.ok() ? *converted : SalesConversion{};
}

// The one error of a one-row file.
RowError OnlyError(std::string_view row, const SalesMap& map = The832Map()) {
  SalesConversion c = Convert(row, map);
  EXPECT_EQ(c.errors.size(), 1u);
  EXPECT_TRUE(c.sales.empty());
  return c.errors.empty() ? RowError{} : c.errors.front();
}

crypto::Ed25519PrivateKey TestKey() {
  return *crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x03'));
}

// --- Money ------------------------------------------------------------------

TEST(YuanTest, ConvertsExactlyToFen) {
  EXPECT_EQ(*ParseYuanAsFen("12"), 1200);
  EXPECT_EQ(*ParseYuanAsFen("12.5"), 1250);
  EXPECT_EQ(*ParseYuanAsFen("0.01"), 1);
  EXPECT_EQ(*ParseYuanAsFen("1,234.50"), 123450);
  EXPECT_EQ(*ParseYuanAsFen("90071992547409.91"), 9007199254740991);
  // 0.1 + 0.2 in binary floating point is not 0.3; here it is 30 fen.
  EXPECT_EQ(*ParseYuanAsFen("0.30"), 30);
}

TEST(YuanTest, RefusesWhatIsNotExact) {
  for (std::string_view bad : {"1.234", "", "-1", "abc", "1.", ".5", "1,23.00", "1,2345", "1.2.3",
                               "¥12", "90071992547409.92"}) {
    Result<int64_t> fen = ParseYuanAsFen(bad);
    EXPECT_FALSE(fen.ok()) << bad;
    if (!fen.ok()) {
      EXPECT_EQ(fen.status().code(), ErrorCode::kInvalidField) << bad;
    }
  }
  EXPECT_NE(ParseYuanAsFen("1.234").status().message().find("more than 2 decimals"),
            std::string::npos);
}

TEST(YuanTest, FormatsFenAsYuan) {
  EXPECT_EQ(FormatFenAsYuan(123450), "1234.50");
  EXPECT_EQ(FormatFenAsYuan(7), "0.07");
}

// --- Event ids ----------------------------------------------------------------

TEST(SaleEventIdTest, MatchesTheRfc4122Version5Vector) {
  // Python's uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com").
  const UuidBytes dns = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  EXPECT_EQ(NameBasedUuid(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(SaleEventIdTest, NamespaceIsDerivedAsDocumented) {
  const UuidBytes url = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  EXPECT_EQ(NameBasedUuid(url, "urn:fupin-ledger:sale.recorded:platform-order"),
            "c86e02cc-33a2-53a1-968a-be63558fd9ef");
}

TEST(SaleEventIdTest, IsThePlatformAndOrderNumber) {
  // The worked example of docs/intake.md.
  EXPECT_EQ(SaleEventId("832", "DD202009050001"), "6724a334-b328-5295-8b54-30ad2cfb55b0");
  EXPECT_NE(SaleEventId("832", "DD202009050001"), SaleEventId("ccb", "DD202009050001"));
}

// --- Conversion ----------------------------------------------------------------

TEST(SalesImportTest, The832SampleInGbkConvertsEveryRow) {
  Result<DecodedText> text = DecodeText(testing::ReadFixture("intake/832-sales-sample.csv"));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->encoding, TextEncoding::kGb18030);
  Result<std::vector<CsvRow>> csv = ParseCsv(text->utf8);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  Result<SalesConversion> c = ConvertSales(*csv, The832Map());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->rows, 5u);
  ASSERT_TRUE(c->errors.empty()) << c->errors.front().reason;
  ASSERT_EQ(c->sales.size(), 5u);
  const SaleDraft& first = c->sales[0];
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.event_id, "6724a334-b328-5295-8b54-30ad2cfb55b0");
  EXPECT_EQ(first.occurred_at, "2020-09-05T10:15:00+08:00");
  EXPECT_EQ(first.sale.sale_id, "832-DD202009050001");
  EXPECT_EQ(first.sale.product_id, "P-433127-0001");
  EXPECT_EQ(first.sale.outlet_id, "ZN-832-430100");
  EXPECT_EQ(first.sale.quantity, 10);
  EXPECT_EQ(first.sale.unit_price_fen, 3500);
  EXPECT_EQ(first.sale.amount_fen, 35000);
  EXPECT_EQ(first.sale.buyer_kind, BuyerKind::kBudgetUnit);
  EXPECT_EQ(first.sale.buyer_ref, "ORG-430102-017/u0231");
  // An individual has no org: the ref is the person alone.
  EXPECT_EQ(c->sales[1].sale.buyer_kind, BuyerKind::kIndividual);
  EXPECT_EQ(c->sales[1].sale.buyer_ref, "u1893");
  EXPECT_EQ(c->sales[1].sale.unit_price_fen, 4850);
  // "10,320.00" in quotes, with a thousands separator.
  EXPECT_EQ(c->sales[2].sale.amount_fen, 1032000);
  EXPECT_EQ(c->sales[2].sale.buyer_kind, BuyerKind::kEnterprise);
  // "单位" is the platform's other word for a budget unit.
  EXPECT_EQ(c->sales[3].sale.buyer_kind, BuyerKind::kBudgetUnit);
}

TEST(SalesImportTest, CellsAreTrimmedOfSpacesTabsAndIdeographicSpaces) {
  SalesConversion c =
      Convert("\tDD1 ,　P-1　, C-1,2, 35.00 ,70.00, 个人 ,,u1, 2020-09-05 10:15:00\n");
  ASSERT_TRUE(c.errors.empty()) << c.errors.front().reason;
  ASSERT_EQ(c.sales.size(), 1u);
  EXPECT_EQ(c.sales[0].sale.sale_id, "832-DD1");
  EXPECT_EQ(c.sales[0].sale.product_id, "P-1");
}

TEST(SalesImportTest, AmountOnlyGivesTheUnitPrice) {
  SalesMap map = The832Map();
  map.unit_price_column.reset();
  SalesConversion c = Convert("DD1,P-1,C-1,4,,140.00,个人,,u1,2020-09-05 10:15:00\n", map);
  ASSERT_EQ(c.sales.size(), 1u);
  EXPECT_EQ(c.sales[0].sale.unit_price_fen, 3500);
  EXPECT_EQ(c.sales[0].sale.amount_fen, 14000);
}

TEST(SalesImportTest, UnitPriceOnlyGivesTheAmount) {
  SalesMap map = The832Map();
  map.amount_column.reset();
  SalesConversion c = Convert("DD1,P-1,C-1,3,12.34,,个人,,u1,2020-09-05 10:15:00\n", map);
  ASSERT_EQ(c.sales.size(), 1u);
  EXPECT_EQ(c.sales[0].sale.amount_fen, 3702);
}

TEST(SalesImportTest, AnEmptyPriceCellFallsBackToTheOther) {
  SalesConversion c = Convert("DD1,P-1,C-1,3,,36.00,个人,,u1,2020-09-05 10:15:00\n");
  ASSERT_EQ(c.sales.size(), 1u);
  EXPECT_EQ(c.sales[0].sale.unit_price_fen, 1200);
}

TEST(SalesImportTest, AmountThatIsNotQuantityTimesUnitPriceIsARowError) {
  RowError e = OnlyError("DD1,P-1,C-1,3,12.00,35.00,个人,,u1,2020-09-05 10:15:00\n");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, "实付金额(元)");
  EXPECT_EQ(e.value, "35.00");
  EXPECT_EQ(e.reason, "is not 数量 3 x 单价(元) 12.00 = 36.00");
}

TEST(SalesImportTest, AmountWithoutAWholeFenUnitPriceIsARowError) {
  SalesMap map = The832Map();
  map.unit_price_column.reset();
  RowError e = OnlyError("DD1,P-1,C-1,3,,100.00,个人,,u1,2020-09-05 10:15:00\n", map);
  EXPECT_EQ(e.column, "实付金额(元)");
  EXPECT_NE(e.reason.find("no whole 分 unit price"), std::string::npos) << e.reason;
}

TEST(SalesImportTest, MoreThanTwoDecimalsIsARowError) {
  RowError e = OnlyError("DD1,P-1,C-1,3,12.005,,个人,,u1,2020-09-05 10:15:00\n");
  EXPECT_EQ(e.column, "单价(元)");
  EXPECT_EQ(e.value, "12.005");
  EXPECT_NE(e.reason.find("more than 2 decimals"), std::string::npos) << e.reason;
}

TEST(SalesImportTest, NoPriceAtAllIsARowError) {
  RowError e = OnlyError("DD1,P-1,C-1,3,,,个人,,u1,2020-09-05 10:15:00\n");
  EXPECT_EQ(e.column, "单价(元)");
  EXPECT_NE(e.reason.find("a unit price or an amount"), std::string::npos) << e.reason;
}

TEST(SalesImportTest, QuantityMustBeAPositiveWholeNumber) {
  EXPECT_EQ(OnlyError("DD1,P-1,C-1,1.5,12.00,,个人,,u1,2020-09-05 10:15:00\n").reason,
            "not a whole number of units");
  EXPECT_EQ(OnlyError("DD1,P-1,C-1,0,12.00,,个人,,u1,2020-09-05 10:15:00\n").reason,
            "zero; a sale has at least one unit");
}

TEST(SalesImportTest, UnknownBuyerWordListsTheKnownOnes) {
  RowError e = OnlyError("DD1,P-1,C-1,1,12.00,,社会组织,,u1,2020-09-05 10:15:00\n");
  EXPECT_EQ(e.column, "采购单位类型");
  EXPECT_EQ(e.value, "社会组织");
  EXPECT_NE(e.reason.find("预算单位"), std::string::npos) << e.reason;
}

TEST(SalesImportTest, BudgetUnitWithoutOrgIsRefusedByTheLedgersOwnRule) {
  RowError e = OnlyError("DD1,P-1,C-1,1,12.00,,预算单位,,u1,2020-09-05 10:15:00\n");
  EXPECT_EQ(e.column, "采购单位编码");
  EXPECT_EQ(e.value, "u1");
  EXPECT_NE(e.reason.find("<org>/<person>"), std::string::npos) << e.reason;
}

TEST(SalesImportTest, IdsMustBeIds) {
  RowError e = OnlyError("DD1,百合,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00\n");
  EXPECT_EQ(e.column, "商品编码");
  EXPECT_NE(e.reason.find("not a product id"), std::string::npos) << e.reason;
}

TEST(SalesImportTest, TimesFollowTheMapsFormatAndZone) {
  SalesMap map = The832Map();
  map.time_format = "%Y/%m/%d %H:%M";
  map.time_zone = "Z";
  SalesConversion c = Convert("DD1,P-1,C-1,1,12.00,,个人,,u1,2020/9/5 2:15\n", map);
  ASSERT_EQ(c.sales.size(), 1u);
  EXPECT_EQ(c.sales[0].occurred_at, "2020-09-05T02:15:00Z");
}

TEST(SalesImportTest, ImpossibleDateIsARowError) {
  RowError e = OnlyError("DD1,P-1,C-1,1,12.00,,个人,,u1,2020-02-30 10:15:00\n");
  EXPECT_EQ(e.column, "下单时间");
  EXPECT_EQ(e.reason, "not a real date and time");
  EXPECT_EQ(OnlyError("DD1,P-1,C-1,1,12.00,,个人,,u1,2020-09-05\n").reason,
            "not a time as \"%Y-%m-%d %H:%M:%S\"");
}

TEST(SalesImportTest, Rfc3339CellsKeepTheirOffset) {
  SalesMap map = The832Map();
  map.time_format = "rfc3339";
  map.time_zone.clear();
  SalesConversion c = Convert("DD1,P-1,C-1,1,12.00,,个人,,u1,2020-09-05T10:15:00+08:00\n", map);
  ASSERT_EQ(c.sales.size(), 1u);
  EXPECT_EQ(c.sales[0].occurred_at, "2020-09-05T10:15:00+08:00");
}

TEST(SalesImportTest, EveryBadCellOfEveryRowIsReportedAtOnce) {
  SalesConversion c = Convert(
      "DD1,P-1,C-1,x,12.001,,个人,,u1,2020-09-05 10:15:00\n"
      "DD2,P-1,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00\n"
      "DD3,P 1,C-1,1,12.00,,熟人,,u1,yesterday\n");
  EXPECT_EQ(c.rows, 3u);
  EXPECT_EQ(c.bad_rows, 2u);
  ASSERT_EQ(c.sales.size(), 1u);
  EXPECT_EQ(c.sales[0].line, 3u);
  ASSERT_EQ(c.errors.size(), 5u);
  EXPECT_EQ(c.errors[0].line, 2u);
  EXPECT_EQ(c.errors[0].column, "数量");
  EXPECT_EQ(c.errors[1].column, "单价(元)");
  EXPECT_EQ(c.errors[2].line, 4u);
  EXPECT_EQ(c.errors[2].column, "商品编码");
  EXPECT_EQ(c.errors[3].column, "采购单位类型");
  EXPECT_EQ(c.errors[4].column, "下单时间");
}

TEST(SalesImportTest, RepeatedOrderNamesTheFirstLine) {
  SalesConversion c = Convert(
      "DD1,P-1,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00\n"
      "DD1,P-2,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00\n");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].line, 3u);
  EXPECT_EQ(c.errors[0].column, "订单编号");
  EXPECT_NE(c.errors[0].reason.find("also on line 2"), std::string::npos) << c.errors[0].reason;
  EXPECT_EQ(c.sales.size(), 1u);
}

TEST(SalesImportTest, OrderOfSeveralLinesJoinsItsSaleIdColumns) {
  SalesMap map = The832Map();
  map.sale_id_columns = {"订单编号", "商品编码"};
  SalesConversion c = Convert(
      "DD1,P-1,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00\n"
      "DD1,P-2,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00\n",
      map);
  ASSERT_EQ(c.sales.size(), 2u);
  EXPECT_EQ(c.sales[1].sale.sale_id, "832-DD1-P-2");
  EXPECT_EQ(c.sales[1].event_id, SaleEventId("832", "DD1-P-2"));
}

TEST(SalesImportTest, ShiftedRowIsARowError) {
  SalesConversion c = Convert(
      "DD1,P-1,C-1,1,12.00\n"
      "DD2,P-1,C-1,1,1,200.00,,个人,,u1,2020-09-05 10:15:00\n"
      "DD3,P-1,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00,,\n");
  ASSERT_EQ(c.errors.size(), 2u);
  EXPECT_EQ(c.errors[0].column, "");
  EXPECT_EQ(c.errors[0].reason, "the row has 5 cells, the header 10");
  EXPECT_NE(c.errors[1].reason.find("a comma inside an unquoted cell?"), std::string::npos);
  // Empty cells past the header's end are what spreadsheets leave; harmless.
  EXPECT_EQ(c.sales.size(), 1u);
}

TEST(SalesImportTest, BlankRowsAreNeitherSalesNorErrors) {
  SalesConversion c = Convert(",,,,,,,,,\n\nDD1,P-1,C-1,1,12.00,,个人,,u1,2020-09-05 10:15:00\n");
  EXPECT_EQ(c.rows, 1u);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.sales.size(), 1u);
}

TEST(SalesImportTest, HeaderWithoutAMappedColumnIsRefused) {
  Result<std::vector<CsvRow>> csv = ParseCsv("订单编号,商品编码\nDD1,P-1\n");
  Result<SalesConversion> c = ConvertSales(*csv, The832Map());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("no column \"店铺编号\""), std::string::npos)
      << c.status().message();
}

TEST(SalesImportTest, HeaderWithAMappedColumnTwiceIsRefused) {
  Result<std::vector<CsvRow>> csv =
      ParseCsv(std::string(kHeader.substr(0, kHeader.size() - 1)) + ",数量\n");
  Result<SalesConversion> c = ConvertSales(*csv, The832Map());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("\"数量\" twice (columns 4 and 11)"), std::string::npos)
      << c.status().message();
}

TEST(SalesImportTest, EmptyFileIsRefused) {
  Result<SalesConversion> c = ConvertSales({}, The832Map());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kInvalidArgument);
}

// --- Signing ---------------------------------------------------------------------

TEST(SalesImportTest, SignedEventsAreWhatTheLedgerReads) {
  SalesConversion c = Convert("DD1,P-1,C-1,2,35.00,70.00,个人,,u1,2020-09-05 10:15:00\n");
  crypto::Ed25519PrivateKey key = TestKey();
  Result<std::vector<SignedSale>> signed_sales = SignSales(c.sales, key, "operator-1");
  ASSERT_TRUE(signed_sales.ok()) << signed_sales.status().ToString();
  ASSERT_EQ(signed_sales->size(), 1u);
  Result<Envelope> envelope = ParseEnvelope((*signed_sales)[0].canonical);
  ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
  EXPECT_EQ(envelope->id, SaleEventId("832", "DD1"));
  EXPECT_EQ(envelope->type, "sale.recorded");
  EXPECT_EQ(envelope->key_id, "operator-1");
  EXPECT_EQ(envelope->occurred_at, "2020-09-05T10:15:00+08:00");
  EXPECT_EQ(envelope->body.at("amount_fen").as_int64(), 7000);
  EXPECT_TRUE(key.public_key().Verify(envelope->signing_input, envelope->signature));
}

TEST(SalesImportTest, SigningTheSameFileTwiceGivesTheSameBytes) {
  SalesConversion c = Convert(
      "DD1,P-1,C-1,2,35.00,70.00,个人,,u1,2020-09-05 10:15:00\n"
      "DD2,P-1,C-1,1,35.00,35.00,企业,ENT-1,u2,2020-09-05 11:15:00\n");
  std::size_t calls = 0;
  auto first =
      SignSales(c.sales, TestKey(), "operator-1", [&](std::size_t, std::size_t) { ++calls; });
  auto second = SignSales(Convert("DD1,P-1,C-1,2,35.00,70.00,个人,,u1,2020-09-05 10:15:00\n"
                                  "DD2,P-1,C-1,1,35.00,35.00,企业,ENT-1,u2,2020-09-05 11:15:00\n")
                              .sales,
                          TestKey(), "operator-1");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].canonical, (*second)[0].canonical);
  EXPECT_EQ((*first)[1].canonical, (*second)[1].canonical);
  EXPECT_EQ(calls, 2u);
}

TEST(SalesImportTest, UnusableKeyIdIsRefusedBeforeAnythingLeaves) {
  SalesConversion c = Convert("DD1,P-1,C-1,2,35.00,70.00,个人,,u1,2020-09-05 10:15:00\n");
  Result<std::vector<SignedSale>> signed_sales = SignSales(c.sales, TestKey(), "");
  ASSERT_FALSE(signed_sales.ok());
  EXPECT_EQ(signed_sales.status().code(), ErrorCode::kMalformedEvent);
  EXPECT_NE(signed_sales.status().message().find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace fupin::intake
