// Signer checks, their order against body and scope checks, and streams.
#include "tests/ledger/validation_test_world.h"

namespace fupin::event_test {
namespace {

class ValidationSignerTest : public ValidationWorld {};

TEST_F(ValidationSignerTest, RevokedKeyIsRejected) {
  KeyState signer = operator_;
  signer.revoked = true;
  EXPECT_TRUE(
      Rejected(Validate("sale.recorded", SaleRecordedBody(), signer), ErrorCode::kKeyRevoked));
}

TEST_F(ValidationSignerTest, RevocationIsCheckedBeforeValidityAndRole) {
  KeyState signer = certifier_;  // wrong role for a sale, and expired
  signer.revoked = true;
  signer.not_after_ms = kRecordedAtMs - 1;
  EXPECT_TRUE(
      Rejected(Validate("sale.recorded", SaleRecordedBody(), signer), ErrorCode::kKeyRevoked));
}

TEST_F(ValidationSignerTest, KeyBeforeNotBeforeIsNotValid) {
  KeyState signer = operator_;
  signer.not_before_ms = kRecordedAtMs + 1;
  EXPECT_TRUE(
      Rejected(Validate("sale.recorded", SaleRecordedBody(), signer), ErrorCode::kKeyNotValid));
}

TEST_F(ValidationSignerTest, KeyAfterNotAfterIsNotValid) {
  KeyState signer = operator_;
  signer.not_after_ms = kRecordedAtMs - 1;
  EXPECT_TRUE(
      Rejected(Validate("sale.recorded", SaleRecordedBody(), signer), ErrorCode::kKeyNotValid));
}

TEST_F(ValidationSignerTest, ValidityBoundsAreInclusive) {
  KeyState signer = operator_;
  signer.not_before_ms = kRecordedAtMs;
  signer.not_after_ms = kRecordedAtMs;
  EXPECT_TRUE(Accepted(Validate("sale.recorded", SaleRecordedBody(), signer)));
}

TEST_F(ValidationSignerTest, ValidityIsCheckedBeforeRole) {
  KeyState signer = certifier_;
  signer.not_after_ms = kRecordedAtMs - 1;
  EXPECT_TRUE(
      Rejected(Validate("sale.recorded", SaleRecordedBody(), signer), ErrorCode::kKeyNotValid));
}

TEST_F(ValidationSignerTest, MissingRoleIsNotAllowed) {
  const Result<ValidatedEvent> result = Validate("sale.recorded", SaleRecordedBody(), certifier_);
  EXPECT_TRUE(Rejected(result, ErrorCode::kRoleNotAllowed));
  EXPECT_NE(MessageOf(result).find("operator"), std::string::npos) << MessageOf(result);
}

TEST_F(ValidationSignerTest, AdminCannotRaiseFlags) {
  EXPECT_TRUE(
      Rejected(Validate("flag.raised", FlagRaisedBody(), admin_), ErrorCode::kRoleNotAllowed));
}

TEST_F(ValidationSignerTest, SystemKeyCannotRecordSales) {
  EXPECT_TRUE(
      Rejected(Validate("sale.recorded", SaleRecordedBody(), system_), ErrorCode::kRoleNotAllowed));
}

TEST_F(ValidationSignerTest, RoleIsCheckedBeforeTheBody) {
  EXPECT_TRUE(Rejected(Validate("sale.recorded", boost::json::object{}, certifier_),
                       ErrorCode::kRoleNotAllowed));
}

TEST_F(ValidationSignerTest, BodyIsCheckedBeforeScope) {
  // Out of scope (C-XX is in 433127) and naming an unknown product.
  boost::json::object body = SaleRecordedBody();
  body["outlet_id"] = "C-XX";
  body["product_id"] = "P-404";
  EXPECT_TRUE(Rejected(Validate("sale.recorded", body, operator_), ErrorCode::kUnknownReference));
}

TEST_F(ValidationSignerTest, OutOfScopeMessageNamesRegionAndScope) {
  const Result<ValidatedEvent> result =
      Validate("sale.recorded", With(SaleRecordedBody(), "outlet_id", "C-XX"), operator_);
  EXPECT_TRUE(Rejected(result, ErrorCode::kOutOfScope));
  EXPECT_NE(MessageOf(result).find("433127"), std::string::npos) << MessageOf(result);
  EXPECT_NE(MessageOf(result).find("430100"), std::string::npos) << MessageOf(result);
}

TEST_F(ValidationSignerTest, NationalScopeCoversEveryRegion) {
  KeyState signer = operator_;
  signer.regions = {"000000"};
  EXPECT_TRUE(
      Accepted(Validate("sale.recorded", With(SaleRecordedBody(), "outlet_id", "C-XX"), signer)));
}

TEST_F(ValidationSignerTest, ValidationWritesNothingIntoTheView) {
  ASSERT_TRUE(Accepted(Validate("sale.recorded", SaleRecordedBody(), operator_)));
  EXPECT_EQ(*view_.Find(EntityKind::kSale, "S-2"), nullptr);
}

class ValidationStreamTest : public ValidationWorld {
 protected:
  std::string StreamOf(std::string_view type, const boost::json::object& body) {
    const Envelope envelope =
        MustParse(SignToJson(UnsignedEvent(type, body, "signer"), SeededKey(9)));
    Result<std::string> stream = DeriveStream(envelope);
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    return stream.ok() ? *stream : "";
  }
};

TEST_F(ValidationStreamTest, SalesAndRefundsJoinTheOutletStream) {
  EXPECT_EQ(StreamOf("sale.recorded", SaleRecordedBody()), "outlet:C-1");
  EXPECT_EQ(StreamOf("sale.refunded", SaleRefundedBody()), "outlet:C-1");
}

TEST_F(ValidationStreamTest, BenefitPaymentsJoinTheSupplierStream) {
  EXPECT_EQ(StreamOf("benefit.paid", BenefitPaidBody()), "supplier:SUP-1");
}

TEST_F(ValidationStreamTest, ReportsHaveOneStreamPerCampaignAndRegion) {
  EXPECT_EQ(StreamOf("report.submitted", ReportSubmittedBody()), "report:CAMP-1:430100");
}

TEST_F(ValidationStreamTest, KeyEventsJoinTheKeyStream) {
  EXPECT_EQ(StreamOf("key.registered", KeyRegisteredBody()), "key:op-2");
  EXPECT_EQ(StreamOf("key.revoked", KeyRevokedBody()), "key:op-old");
}

TEST_F(ValidationStreamTest, EntityEventsJoinTheirEntityStream) {
  EXPECT_EQ(StreamOf("region.defined", RegionDefinedBody()), "region:430103");
  EXPECT_EQ(StreamOf("campaign.defined", CampaignDefinedBody()), "campaign:CAMP-2");
  EXPECT_EQ(StreamOf("supplier.registered", SupplierRegisteredBody()), "supplier:SUP-2");
  EXPECT_EQ(StreamOf("household.registered", HouseholdRegisteredBody()), "household:H-2");
  EXPECT_EQ(StreamOf("product.certified", ProductCertifiedBody()), "product:P-2");
  EXPECT_EQ(StreamOf("product.repriced", ProductRepricedBody()), "product:P-1");
  EXPECT_EQ(StreamOf("product.revoked", ProductRevokedBody()), "product:P-1");
  EXPECT_EQ(StreamOf("outlet.deployed", OutletDeployedBody()), "outlet:C-2");
  EXPECT_EQ(StreamOf("outlet.closed", OutletClosedBody()), "outlet:C-1");
  EXPECT_EQ(StreamOf("promotion.held", PromotionHeldBody()), "promotion:PR-1");
  EXPECT_EQ(StreamOf("flag.raised", FlagRaisedBody()), "flag:F-2");
  EXPECT_EQ(StreamOf("flag.resolved", FlagResolvedBody()), "flag:F-1");
}

TEST_F(ValidationStreamTest, ValidateEventAgreesWithDeriveStream) {
  Result<ValidatedEvent> validated = Validate("benefit.paid", BenefitPaidBody(), supplier_);
  ASSERT_TRUE(Accepted(validated));
  EXPECT_EQ(validated->stream, StreamOf("benefit.paid", BenefitPaidBody()));
}

}  // namespace
}  // namespace fupin::event_test
