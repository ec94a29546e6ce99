#include "tests/support/event_builder.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <cstdio>
#include <filesystem>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/signing.h"
#include "tests/support/fixtures.h"

namespace fupin::testing {
namespace {

crypto::Ed25519PrivateKey SeededKey(uint8_t seed_byte) {
  std::string seed(crypto::kEd25519SeedSize, static_cast<char>(seed_byte));
  Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::FromSeed(seed);
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return std::move(key).value();
}

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

uint64_t NextUuidCounter() {
  static uint64_t counter = 1;
  return counter++;
}

}  // namespace

std::string TestUuid(uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n));
  return buf;
}

Clock TestClock() {
  auto now = std::make_shared<int64_t>(1599272100000);  // 2020-09-05T02:15:00Z
  return [now] { return (*now)++; };
}

TestSigner::TestSigner(uint8_t seed_byte, std::string key_id)
    : key_id_(std::move(key_id)), key_(SeededKey(seed_byte)) {}

TestSigner::TestSigner(crypto::EventSigningKey key, std::string key_id)
    : key_id_(std::move(key_id)), key_(std::move(key)) {}

TestSigner TestSigner::Sm2(uint8_t seed_byte, std::string key_id) {
  Result<crypto::Sm2PrivateKey> key = crypto::Sm2PrivateKey::FromScalar(
      std::string(crypto::kSm2PrivateKeySize, static_cast<char>(seed_byte)));
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return TestSigner(crypto::EventSigningKey(std::move(key).value()), std::move(key_id));
}

std::string TestSigner::public_b64() const { return Base64Encode(key_.public_raw()); }

std::string TestSigner::SignJson(const std::string& type, boost::json::object body,
                                 const std::string& occurred_at,
                                 std::optional<int64_t> expected_version,
                                 std::optional<std::string> id) const {
  boost::json::object event;
  event["id"] = id.value_or(TestUuid(NextUuidCounter()));
  event["type"] = type;
  event["v"] = 1;
  event["occurred_at"] = occurred_at;
  event["key"] = key_id_;
  event["body"] = std::move(body);
  if (expected_version) event["expected_version"] = *expected_version;
  Result<boost::json::object> signed_event = SignEvent(std::move(event), key_);
  EXPECT_TRUE(signed_event.ok()) << signed_event.status().ToString();
  return json::Canonicalize(*signed_event);
}

Envelope TestSigner::Sign(const std::string& type, boost::json::object body,
                          const std::string& occurred_at, std::optional<int64_t> expected_version,
                          std::optional<std::string> id) const {
  Result<Envelope> envelope =
      ParseEnvelope(SignJson(type, std::move(body), occurred_at, expected_version, id));
  EXPECT_TRUE(envelope.ok()) << envelope.status().ToString();
  return std::move(envelope).value();
}

TestLedger::TestLedger() : dir_(MakeTempDir("fupin-ledger-test")) {
  Result<GenesisInfo> info = Ledger::Init(dir_, admin.public_b64(), admin.key_id(), TestClock());
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  Reopen();
}

TestLedger::~TestLedger() {
  Close();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void TestLedger::Close() { ledger_.reset(); }

void TestLedger::Reopen() {
  ledger_.reset();
  LedgerOptions options;
  options.clock = TestClock();
  Result<std::unique_ptr<Ledger>> opened = Ledger::Open(dir_, options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ledger_ = std::move(opened).value();
}

AppendResult TestLedger::TryAppend(const Envelope& envelope) { return ledger_->Append({envelope}); }

AppendedEvent TestLedger::MustAppend(const Envelope& envelope) {
  AppendResult result = TryAppend(envelope);
  EXPECT_TRUE(result.ok()) << envelope.type << ": " << result.status.ToString();
  if (!result.ok() || result.events.empty()) return {};
  return result.events[0];
}

boost::json::object RegionBody(const std::string& code, const std::string& name,
                               const std::string& level, const std::string& parent, bool poverty) {
  boost::json::object body{
      {"code", code}, {"name", name}, {"level", level}, {"poverty_county", poverty}};
  if (!parent.empty()) body["parent"] = parent;
  return body;
}

boost::json::object KeyBody(const TestSigner& signer, std::vector<std::string> roles,
                            std::vector<std::string> regions, const std::string& supplier_id) {
  boost::json::object body{{"key_id", signer.key_id()},
                           {"alg", KeyAlgName(signer.key().alg())},
                           {"public_key", signer.public_b64()},
                           {"roles", Strings(roles)},
                           {"regions", Strings(regions)}};
  if (!supplier_id.empty()) body["supplier_id"] = supplier_id;
  return body;
}

boost::json::object SaleBody(const std::string& sale_id, int64_t quantity, int64_t unit_price_fen) {
  return {{"sale_id", sale_id},
          {"product_id", "P-1"},
          {"outlet_id", "C-1"},
          {"quantity", quantity},
          {"unit_price_fen", unit_price_fen},
          {"amount_fen", quantity * unit_price_fen},
          {"buyer_kind", "individual"},
          {"buyer_ref", "B-1"}};
}

void TestLedger::SeedWorld() {
  const std::string day = "2020-08-01T09:00:00+08:00";
  MustAppend(
      admin.Sign("region.defined", RegionBody("430000", "湖南省", "province", "", false), day));
  MustAppend(admin.Sign("region.defined",
                        RegionBody("430100", "长沙市", "prefecture", "430000", false), day));
  MustAppend(admin.Sign("region.defined",
                        RegionBody("433100", "湘西土家族苗族自治州", "prefecture", "430000", false),
                        day));
  MustAppend(
      admin.Sign("region.defined", RegionBody("430102", "芙蓉区", "county", "430100", false), day));
  MustAppend(
      admin.Sign("region.defined", RegionBody("433127", "永顺县", "county", "433100", true), day));
  MustAppend(admin.Sign("key.registered", KeyBody(certifier, {"certifier"}, {"430000"}), day));
  MustAppend(admin.Sign("key.registered", KeyBody(op, {"operator"}, {"430100"}), day));
  MustAppend(admin.Sign("key.registered", KeyBody(reporter, {"reporter"}, {"430000"}), day));
  MustAppend(admin.Sign("key.registered", KeyBody(supervisor, {"supervisor"}, {"430000"}), day));
  MustAppend(admin.Sign("campaign.defined",
                        {{"campaign_id", "CAMP-1"},
                         {"name", "湖南省消费扶贫月"},
                         {"starts_on", "2020-09-01"},
                         {"ends_on", "2020-09-30"},
                         {"targets",
                          {{"sales_fen", 400000000000},
                           {"counters_total", 30000},
                           {"counters_by_region", {{"430100", 10000}}},
                           {"counters_min_per_prefecture", 2000},
                           {"pavilions_min_per_region", 1},
                           {"offline_zones_min_per_prefecture", 3}}}},
                        day));
  MustAppend(certifier.Sign("supplier.registered",
                            {{"supplier_id", "SUP-1"},
                             {"name", "永顺县百合合作社"},
                             {"uscc", "91433127600000000D"},
                             {"region", "433127"}},
                            day));
  MustAppend(
      admin.Sign("key.registered", KeyBody(supplier, {"supplier"}, {"433127"}, "SUP-1"), day));
  MustAppend(certifier.Sign(
      "household.registered",
      {{"household_id", "H-1"}, {"region", "433127"}, {"members", 4}, {"status", "poor"}}, day));
  MustAppend(certifier.Sign(
      "product.certified",
      {{"product_id", "P-1"},
       {"name", "永顺百合"},
       {"category", "百合"},
       {"spec", "500g"},
       {"unit", "袋"},
       {"supplier_id", "SUP-1"},
       {"origin_region", "433127"},
       {"reference_price_fen", 3500},
       {"certificate_no", "XFP-2020-0001"},
       {"valid_from", "2020-01-01"},
       {"valid_to", "2021-12-31"},
       {"annual_value_fen", 100000000},
       {"benefit",
        {{"mechanisms", {"order_purchase"}}, {"households", {"H-1"}}, {"people_claimed", 4}}}},
      day));
  MustAppend(op.Sign("outlet.deployed",
                     {{"outlet_id", "C-1"},
                      {"kind", "counter"},
                      {"name", "芙蓉区政务中心智能专柜"},
                      {"region", "430102"},
                      {"device_id", "DEV-1"}},
                     day));
}

}  // namespace fupin::testing
