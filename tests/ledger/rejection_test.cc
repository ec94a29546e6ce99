// Every refusal of the ledger leaves it exactly as it was: tree size, root,
// checkpoints, event-id index, stream heads and reference index.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <functional>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/ledger.h"
#include "ledger/signing.h"
#include "ledger/store_format.h"
#include "tests/support/event_builder.h"

namespace fupin {
namespace {

using testing::KeyBody;
using testing::SaleBody;
using testing::TestLedger;
using testing::TestSigner;

struct Snapshot {
  uint64_t tree_size = 0;
  merkle::Hash root{};
  uint64_t checkpoint_size = 0;
  std::size_t stream_records = 0;
  std::vector<std::size_t> reference_counts;
  bool operator==(const Snapshot&) const = default;
};

// Entities the rejected events name; their index entries must not change.
const std::vector<std::string> kWatchedEntities = {
    "product:P-1", "outlet:C-1", "supplier:SUP-1", "supplier:SUP-2", "region:433127",
    "outlet:C-2",  "sale:S-1",   "household:H-1",  "key:operator-1", "buyer:B-1"};

Snapshot Take(Ledger& ledger, const std::string& stream) {
  Snapshot s;
  s.tree_size = ledger.tree_size();
  s.root = *ledger.RootAt(s.tree_size);
  s.checkpoint_size = ledger.LatestCheckpoint()->tree_size;
  s.stream_records = ledger.ReadStream(stream, 1, 100000)->size();
  for (const std::string& entity : kWatchedEntities) {
    s.reference_counts.push_back(ledger.ReferencingSeqs(entity, 0, 100000)->size());
  }
  return s;
}

// Signs `type`/`body` with `signer`'s key but claims `claimed_key_id`.
Envelope SignedAs(const TestSigner& signer, const std::string& claimed_key_id,
                  const std::string& type, boost::json::object body) {
  boost::json::object event =
      boost::json::parse(signer.SignJson(type, std::move(body))).as_object();
  event.erase("sig");
  event["key"] = claimed_key_id;
  Envelope envelope = *ParseEnvelope(json::Canonicalize(*SignEvent(event, signer.key())));
  return envelope;
}

struct RejectionCase {
  std::string name;
  ErrorCode expected;
  std::string stream;  // the stream the event would have joined
  // Prepares the ledger (appending allowed) and returns the refused event.
  std::function<Envelope(TestLedger&)> make;
};

std::vector<RejectionCase> Cases() {
  return {
      {"UnknownKey", ErrorCode::kUnknownKey, "region:430200",
       [](TestLedger& t) {
         return t.stranger.Sign(
             "region.defined",
             testing::RegionBody("430200", "株洲市", "prefecture", "430000", false));
       }},
      {"SignatureByAnotherKey", ErrorCode::kBadSignature, "outlet:C-1",
       [](TestLedger& t) {
         return SignedAs(t.stranger, "operator-1", "sale.recorded", SaleBody("S-1", 1, 3500));
       }},
      {"BodyChangedAfterSigning", ErrorCode::kBadSignature, "outlet:C-1",
       [](TestLedger& t) {
         boost::json::object event =
             boost::json::parse(t.op.SignJson("sale.recorded", SaleBody("S-1", 1, 3500)))
                 .as_object();
         event["body"].as_object()["buyer_ref"] = "B-2";
         return *ParseEnvelope(json::Canonicalize(event));
       }},
      {"RevokedKey", ErrorCode::kKeyRevoked, "outlet:C-1",
       [](TestLedger& t) {
         t.MustAppend(
             t.admin.Sign("key.revoked", {{"key_id", "operator-1"}, {"reason", "设备丢失"}}));
         return t.op.Sign("sale.recorded", SaleBody("S-1", 1, 3500));
       }},
      {"ExpiredKey", ErrorCode::kKeyNotValid, "outlet:C-1",
       [](TestLedger& t) {
         TestSigner old(9, "operator-old");
         boost::json::object body = KeyBody(old, {"operator"}, {"430100"});
         body["not_after"] = "2020-01-01T00:00:00+08:00";
         t.MustAppend(t.admin.Sign("key.registered", body));
         return old.Sign("sale.recorded", SaleBody("S-1", 1, 3500));
       }},
      {"WrongRole", ErrorCode::kRoleNotAllowed, "product:P-1",
       [](TestLedger& t) {
         return t.op.Sign("product.revoked", {{"product_id", "P-1"}, {"reason", "x"}});
       }},
      {"OutOfScope", ErrorCode::kOutOfScope, "outlet:C-2",
       [](TestLedger& t) {
         return t.op.Sign("outlet.deployed", {{"outlet_id", "C-2"},
                                              {"kind", "counter"},
                                              {"name", "永顺县专柜"},
                                              {"region", "433127"}});
       }},
      {"SupplierPaysForAnother", ErrorCode::kNotOwnSupplier, "supplier:SUP-2",
       [](TestLedger& t) {
         t.MustAppend(t.certifier.Sign("supplier.registered", {{"supplier_id", "SUP-2"},
                                                               {"name", "另一合作社"},
                                                               {"uscc", "91433127600000001G"},
                                                               {"region", "433127"}}));
         return t.supplier.Sign("benefit.paid", {{"supplier_id", "SUP-2"},
                                                 {"period_from", "2020-09-01"},
                                                 {"period_to", "2020-12-31"},
                                                 {"payments",
                                                  {{{"household_id", "H-1"},
                                                    {"mechanism", "order_purchase"},
                                                    {"amount_fen", 5000}}}}});
       }},
      {"BadEnumeration", ErrorCode::kInvalidField, "outlet:C-1",
       [](TestLedger& t) {
         boost::json::object body = SaleBody("S-1", 1, 3500);
         body["buyer_kind"] = "robot";
         return t.op.Sign("sale.recorded", body);
       }},
      {"UnknownProduct", ErrorCode::kUnknownReference, "outlet:C-1",
       [](TestLedger& t) {
         boost::json::object body = SaleBody("S-1", 1, 3500);
         body["product_id"] = "P-404";
         return t.op.Sign("sale.recorded", body);
       }},
      {"OutletAlreadyDeployed", ErrorCode::kAlreadyExists, "outlet:C-1",
       [](TestLedger& t) {
         return t.op.Sign(
             "outlet.deployed",
             {{"outlet_id", "C-1"}, {"kind", "counter"}, {"name", "重复"}, {"region", "430102"}});
       }},
      {"AmountMismatch", ErrorCode::kAmountMismatch, "outlet:C-1",
       [](TestLedger& t) {
         boost::json::object body = SaleBody("S-1", 3, 3500);
         body["amount_fen"] = 10000;
         return t.op.Sign("sale.recorded", body);
       }},
      {"RefundExceedsSale", ErrorCode::kRefundExceedsSale, "outlet:C-1",
       [](TestLedger& t) {
         t.MustAppend(t.op.Sign("sale.recorded", SaleBody("S-1", 2, 3500)));
         t.MustAppend(t.op.Sign("sale.refunded", {{"sale_id", "S-1"},
                                                  {"outlet_id", "C-1"},
                                                  {"amount_fen", 5000},
                                                  {"reason", "部分退货"}}));
         return t.op.Sign(
             "sale.refunded",
             {{"sale_id", "S-1"}, {"outlet_id", "C-1"}, {"amount_fen", 2001}, {"reason", "再退"}});
       }},
      {"BadUscc", ErrorCode::kInvalidUscc, "supplier:SUP-2",
       [](TestLedger& t) {
         return t.certifier.Sign("supplier.registered", {{"supplier_id", "SUP-2"},
                                                         {"name", "另一合作社"},
                                                         {"uscc", "91433127600000001H"},
                                                         {"region", "433127"}});
       }},
      {"FlagResolvedTwice", ErrorCode::kFlagAlreadyResolved, "flag:F-1",
       [](TestLedger& t) {
         Result<crypto::Ed25519PrivateKey> system_key = crypto::Ed25519PrivateKey::ReadPemFile(
             (std::filesystem::path(t.dir()) / store_format::kSystemKeyFile).string());
         boost::json::object flag{{"id", testing::TestUuid(900001)},
                                  {"type", "flag.raised"},
                                  {"v", 1},
                                  {"occurred_at", "2020-09-05T12:00:00+08:00"},
                                  {"key", t.ledger().info().system_key_id},
                                  {"body",
                                   {{"flag_id", "F-1"},
                                    {"rule", "FP-03"},
                                    {"severity", "warning"},
                                    {"subject", "product:P-1"},
                                    {"region", "433127"},
                                    {"evidence", {3}},
                                    {"summary", "单价高于参考价"},
                                    {"details", boost::json::object()}}}};
         t.MustAppend(*ParseEnvelope(json::Canonicalize(*SignEvent(flag, *system_key))));
         t.MustAppend(t.supervisor.Sign(
             "flag.resolved",
             {{"flag_id", "F-1"}, {"resolution", "confirmed"}, {"note", "已核实"}}));
         return t.supervisor.Sign(
             "flag.resolved", {{"flag_id", "F-1"}, {"resolution", "dismissed"}, {"note", "再次"}});
       }},
      {"SameIdOtherContent", ErrorCode::kIdConflict, "outlet:C-1",
       [](TestLedger& t) {
         t.MustAppend(t.op.Sign("sale.recorded", SaleBody("S-1", 1, 3500),
                                "2020-09-05T10:15:00+08:00", std::nullopt, testing::TestUuid(777)));
         return t.op.Sign("sale.recorded", SaleBody("S-2", 1, 3500), "2020-09-05T10:15:00+08:00",
                          std::nullopt, testing::TestUuid(777));
       }},
      {"StaleExpectedVersion", ErrorCode::kVersionConflict, "outlet:C-1",
       [](TestLedger& t) {
         return t.op.Sign("sale.recorded", SaleBody("S-1", 1, 3500), "2020-09-05T10:15:00+08:00",
                          0);
       }},
  };
}

class LedgerRejection : public ::testing::TestWithParam<RejectionCase> {};

TEST_P(LedgerRejection, RefusesWithSpecificCodeAndWritesNothing) {
  const RejectionCase& c = GetParam();
  TestLedger t;
  t.SeedWorld();
  Envelope refused = c.make(t);
  t.Reopen();  // sign any pending checkpoint, so that only the refusal can change things
  Snapshot before = Take(t.ledger(), c.stream);
  std::optional<uint64_t> id_before = *t.ledger().FindEvent(refused.id);

  AppendResult result = t.TryAppend(refused);
  ASSERT_FALSE(result.ok()) << c.name << " was appended";
  EXPECT_EQ(result.status.code(), c.expected) << c.name << ": got " << result.status.ToString();
  EXPECT_FALSE(result.status.message().empty());
  EXPECT_EQ(result.failed_index, 0u);

  EXPECT_EQ(Take(t.ledger(), c.stream), before) << c.name;
  EXPECT_EQ(*t.ledger().FindEvent(refused.id), id_before) << c.name;
  // Nothing half-written survives a restart either.
  t.Reopen();
  EXPECT_EQ(Take(t.ledger(), c.stream), before) << c.name << " after restart";
}

INSTANTIATE_TEST_SUITE_P(AllCodes, LedgerRejection, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<RejectionCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace fupin
