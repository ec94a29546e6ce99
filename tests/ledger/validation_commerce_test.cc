// outlet.*, promotion.held, sale.*, benefit.paid.
#include "tests/ledger/validation_test_world.h"

namespace fupin::event_test {
namespace {

class ValidationOutletDeployedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("outlet.deployed", body, operator_);
  }
};

TEST_F(ValidationOutletDeployedTest, AcceptsACounter) {
  Result<ValidatedEvent> result = Check(OutletDeployedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "outlet:C-2");
  EXPECT_TRUE(HasReferences(*result, {"outlet:C-2", "region:430102"}));
  const OutletState* outlet = WrittenState<OutletState>(*result, EntityKind::kOutlet, "C-2");
  ASSERT_NE(outlet, nullptr);
  EXPECT_EQ(outlet->region, "430102");
  EXPECT_EQ(outlet->kind, "counter");
  EXPECT_FALSE(outlet->closed);
}

TEST_F(ValidationOutletDeployedTest, AcceptsEveryKind) {
  for (std::string_view kind :
       {"counter", "pavilion", "zone_online", "zone_offline", "livestream_base"}) {
    Result<ValidatedEvent> result = Check(With(OutletDeployedBody(), "kind", kind));
    ASSERT_TRUE(Accepted(result)) << kind;
    EXPECT_EQ(WrittenState<OutletState>(*result, EntityKind::kOutlet, "C-2")->kind, kind);
  }
}

TEST_F(ValidationOutletDeployedTest, AcceptsAnOnlineZoneWithPlatformOnly) {
  boost::json::object body = Without(Without(OutletDeployedBody(), "venue"), "device_id");
  body["kind"] = "zone_online";
  body["platform"] = "扶贫832平台";
  EXPECT_TRUE(Accepted(Check(body)));
}

TEST_F(ValidationOutletDeployedTest, ExistingOutletAlreadyExists) {
  EXPECT_TRUE(
      Rejected(Check(With(OutletDeployedBody(), "outlet_id", "C-1")), ErrorCode::kAlreadyExists));
}

TEST_F(ValidationOutletDeployedTest, UnknownKindIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(OutletDeployedBody(), "kind", "kiosk")), ErrorCode::kInvalidField));
}

TEST_F(ValidationOutletDeployedTest, UndefinedRegionIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(OutletDeployedBody(), "region", "430103")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationOutletDeployedTest, MissingNameIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(OutletDeployedBody(), "name")), ErrorCode::kInvalidField));
}

TEST_F(ValidationOutletDeployedTest, EmptyVenueIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(OutletDeployedBody(), "venue", "")), ErrorCode::kInvalidField));
}

TEST_F(ValidationOutletDeployedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(OutletDeployedBody(), "opened_on", "2020-09-01")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationOutletDeployedTest, RegionOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Check(With(OutletDeployedBody(), "region", "433127")), ErrorCode::kOutOfScope));
}

class ValidationOutletClosedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("outlet.closed", body, operator_);
  }
};

TEST_F(ValidationOutletClosedTest, AcceptsAndMarksTheOutletClosed) {
  Result<ValidatedEvent> result = Check(OutletClosedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "outlet:C-1");
  EXPECT_TRUE(HasReferences(*result, {"outlet:C-1"}));
  const OutletState* outlet = WrittenState<OutletState>(*result, EntityKind::kOutlet, "C-1");
  ASSERT_NE(outlet, nullptr);
  EXPECT_TRUE(outlet->closed);
  EXPECT_EQ(outlet->region, "430102");
}

TEST_F(ValidationOutletClosedTest, AlreadyClosedIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(OutletClosedBody(), "outlet_id", "C-CLOSED")), ErrorCode::kInvalidField));
}

TEST_F(ValidationOutletClosedTest, UnknownOutletIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(OutletClosedBody(), "outlet_id", "C-404")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationOutletClosedTest, MissingReasonIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(OutletClosedBody(), "reason")), ErrorCode::kInvalidField));
}

TEST_F(ValidationOutletClosedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(OutletClosedBody(), "by", "me")), ErrorCode::kInvalidField));
}

TEST_F(ValidationOutletClosedTest, OutletOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Check(With(OutletClosedBody(), "outlet_id", "C-XX")), ErrorCode::kOutOfScope));
}

class ValidationPromotionHeldTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("promotion.held", body, operator_);
  }
};

TEST_F(ValidationPromotionHeldTest, AcceptsAPromotion) {
  Result<ValidatedEvent> result = Check(PromotionHeldBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "promotion:PR-1");
  EXPECT_TRUE(HasReferences(*result, {"promotion:PR-1", "region:430100"}));
  const PromotionState* promotion =
      WrittenState<PromotionState>(*result, EntityKind::kPromotion, "PR-1");
  ASSERT_NE(promotion, nullptr);
  EXPECT_EQ(promotion->region, "430100");
}

TEST_F(ValidationPromotionHeldTest, ExistingPromotionAlreadyExists) {
  EXPECT_TRUE(Rejected(Check(With(PromotionHeldBody(), "promotion_id", "PR-0")),
                       ErrorCode::kAlreadyExists));
}

TEST_F(ValidationPromotionHeldTest, InvalidDateIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(PromotionHeldBody(), "held_on", "2020-09-31")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationPromotionHeldTest, UndefinedRegionIsUnknownReference) {
  EXPECT_TRUE(
      Rejected(Check(With(PromotionHeldBody(), "region", "430200")), ErrorCode::kUnknownReference));
}

TEST_F(ValidationPromotionHeldTest, MissingHeldOnIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(PromotionHeldBody(), "held_on")), ErrorCode::kInvalidField));
}

TEST_F(ValidationPromotionHeldTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(PromotionHeldBody(), "visitors", 300)), ErrorCode::kInvalidField));
}

TEST_F(ValidationPromotionHeldTest, RegionOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Check(With(PromotionHeldBody(), "region", "433100")), ErrorCode::kOutOfScope));
}

class ValidationSaleRecordedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("sale.recorded", body, operator_);
  }
};

TEST_F(ValidationSaleRecordedTest, AcceptsASale) {
  Result<ValidatedEvent> result = Check(SaleRecordedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "outlet:C-1");
  EXPECT_TRUE(HasReferences(*result, {"buyer:B-1", "outlet:C-1", "product:P-1", "sale:S-2"}));
  ASSERT_EQ(result->writes.size(), 1u);
  const SaleState* sale = WrittenState<SaleState>(*result, EntityKind::kSale, "S-2");
  ASSERT_NE(sale, nullptr);
  EXPECT_EQ(sale->outlet_id, "C-1");
  EXPECT_EQ(sale->amount_fen, 7000);
  EXPECT_EQ(sale->refunded_fen, 0);
}

TEST_F(ValidationSaleRecordedTest, SaleWithoutBuyerRefHasNoBuyerReference) {
  Result<ValidatedEvent> result = Check(Without(SaleRecordedBody(), "buyer_ref"));
  ASSERT_TRUE(Accepted(result));
  EXPECT_TRUE(HasReferences(*result, {"outlet:C-1", "product:P-1", "sale:S-2"}));
}

TEST_F(ValidationSaleRecordedTest, SaleOfARevokedProductIsRecorded) {
  EXPECT_TRUE(Accepted(Check(With(SaleRecordedBody(), "product_id", "P-REVOKED"))));
}

TEST_F(ValidationSaleRecordedTest, SaleAtAClosedOutletIsRecorded) {
  EXPECT_TRUE(Accepted(Check(With(SaleRecordedBody(), "outlet_id", "C-CLOSED"))));
}

TEST_F(ValidationSaleRecordedTest, UnknownProductIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(SaleRecordedBody(), "product_id", "P-404")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationSaleRecordedTest, UnknownOutletIsUnknownReference) {
  Result<ValidatedEvent> result = Check(With(SaleRecordedBody(), "outlet_id", "C-404"));
  EXPECT_TRUE(Rejected(result, ErrorCode::kUnknownReference));
  EXPECT_EQ(MessageOf(result), "body.outlet_id: unknown outlet \"C-404\"");
}

TEST_F(ValidationSaleRecordedTest, ExistingSaleAlreadyExists) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRecordedBody(), "sale_id", "S-1")), ErrorCode::kAlreadyExists));
}

TEST_F(ValidationSaleRecordedTest, WrongAmountIsAmountMismatch) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRecordedBody(), "amount_fen", 7001)), ErrorCode::kAmountMismatch));
}

TEST_F(ValidationSaleRecordedTest, OverflowingProductIsAmountMismatch) {
  boost::json::object body = SaleRecordedBody();
  body["quantity"] = int64_t{1} << 52;
  body["unit_price_fen"] = int64_t{1} << 52;
  body["amount_fen"] = int64_t{9007199254740991};
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kAmountMismatch));
}

TEST_F(ValidationSaleRecordedTest, LargestExactAmountIsAccepted) {
  boost::json::object body = SaleRecordedBody();
  body["quantity"] = 1;
  body["unit_price_fen"] = int64_t{9007199254740991};
  body["amount_fen"] = int64_t{9007199254740991};
  EXPECT_TRUE(Accepted(Check(body)));
}

TEST_F(ValidationSaleRecordedTest, ZeroQuantityIsInvalid) {
  Result<ValidatedEvent> result = Check(With(SaleRecordedBody(), "quantity", 0));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.quantity: must be a positive integer");
}

TEST_F(ValidationSaleRecordedTest, QuantityAsStringIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(SaleRecordedBody(), "quantity", "2")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, ZeroUnitPriceIsInvalid) {
  boost::json::object body = SaleRecordedBody();
  body["unit_price_fen"] = 0;
  body["amount_fen"] = 0;
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, UnknownBuyerKindIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(SaleRecordedBody(), "buyer_kind", "government")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, BudgetUnitNeedsBuyerRef) {
  boost::json::object body = Without(SaleRecordedBody(), "buyer_ref");
  body["buyer_kind"] = "budget_unit";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, BudgetUnitBuyerRefNeedsOrgAndPerson) {
  boost::json::object body = With(SaleRecordedBody(), "buyer_kind", "budget_unit");
  body["buyer_ref"] = "ORG-1";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
  body["buyer_ref"] = "ORG-1/";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, BudgetUnitWithOrgAndPersonIsAccepted) {
  boost::json::object body = With(SaleRecordedBody(), "buyer_kind", "budget_unit");
  body["buyer_ref"] = "ORG-430102-01/P-77";
  Result<ValidatedEvent> result = Check(body);
  ASSERT_TRUE(Accepted(result));
  EXPECT_TRUE(HasReferences(*result,
                            {"buyer:ORG-430102-01/P-77", "outlet:C-1", "product:P-1", "sale:S-2"}));
}

TEST_F(ValidationSaleRecordedTest, EmptyBuyerRefIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(SaleRecordedBody(), "buyer_ref", "")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, SaleIdWithColonIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRecordedBody(), "sale_id", "S:2")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, MissingAmountIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(SaleRecordedBody(), "amount_fen")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRecordedBody(), "discount_fen", 100)), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRecordedTest, OutletOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRecordedBody(), "outlet_id", "C-XX")), ErrorCode::kOutOfScope));
}

class ValidationSaleRefundedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("sale.refunded", body, operator_);
  }
};

TEST_F(ValidationSaleRefundedTest, AcceptsAndAddsToTheRefundedAmount) {
  Result<ValidatedEvent> result = Check(SaleRefundedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "outlet:C-1");
  EXPECT_TRUE(HasReferences(*result, {"outlet:C-1", "sale:S-1"}));
  const SaleState* sale = WrittenState<SaleState>(*result, EntityKind::kSale, "S-1");
  ASSERT_NE(sale, nullptr);
  EXPECT_EQ(sale->amount_fen, 7000);
  EXPECT_EQ(sale->refunded_fen, 3000);
}

TEST_F(ValidationSaleRefundedTest, RefundOfEverythingLeftIsAccepted) {
  EXPECT_TRUE(Accepted(Check(With(SaleRefundedBody(), "amount_fen", 6000))));
}

TEST_F(ValidationSaleRefundedTest, RefundBeyondWhatIsLeftIsRejected) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRefundedBody(), "amount_fen", 6001)), ErrorCode::kRefundExceedsSale));
}

TEST_F(ValidationSaleRefundedTest, SuccessiveRefundsCannotExceedTheSale) {
  Result<ValidatedEvent> first = Check(With(SaleRefundedBody(), "amount_fen", 4000));
  ASSERT_TRUE(Accepted(first));
  view_.Apply(first->writes);
  EXPECT_TRUE(
      Rejected(Check(With(SaleRefundedBody(), "amount_fen", 2001)), ErrorCode::kRefundExceedsSale));
  EXPECT_TRUE(Accepted(Check(With(SaleRefundedBody(), "amount_fen", 2000))));
}

TEST_F(ValidationSaleRefundedTest, UnknownSaleIsUnknownReference) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRefundedBody(), "sale_id", "S-404")), ErrorCode::kUnknownReference));
}

TEST_F(ValidationSaleRefundedTest, OtherOutletThanTheSalesIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRefundedBody(), "outlet_id", "C-CLOSED")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRefundedTest, ZeroAmountIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(SaleRefundedBody(), "amount_fen", 0)), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRefundedTest, MissingReasonIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(SaleRefundedBody(), "reason")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRefundedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(SaleRefundedBody(), "product_id", "P-1")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSaleRefundedTest, SaleOutsideTheScopeIsOutOfScope) {
  boost::json::object body = SaleRefundedBody();
  body["sale_id"] = "S-XX";
  body["outlet_id"] = "C-XX";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kOutOfScope));
}

class ValidationBenefitPaidTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("benefit.paid", body, supplier_);
  }
  static boost::json::object WithPayment(std::size_t index, std::string_view field,
                                         boost::json::value value) {
    boost::json::object body = BenefitPaidBody();
    body["payments"].as_array()[index].as_object()[field] = std::move(value);
    return body;
  }
};

TEST_F(ValidationBenefitPaidTest, AcceptsPaymentsToUnknownHouseholds) {
  Result<ValidatedEvent> result = Check(BenefitPaidBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "supplier:SUP-1");
  EXPECT_TRUE(HasReferences(*result, {"supplier:SUP-1", "household:H-1", "household:H-unknown"}));
  EXPECT_TRUE(result->writes.empty());
}

TEST_F(ValidationBenefitPaidTest, PayingForAnotherSupplierIsNotOwnSupplier) {
  EXPECT_TRUE(
      Rejected(Check(With(BenefitPaidBody(), "supplier_id", "SUP-3")), ErrorCode::kNotOwnSupplier));
}

TEST_F(ValidationBenefitPaidTest, SupplierOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Check(With(BenefitPaidBody(), "supplier_id", "SUP-9")), ErrorCode::kOutOfScope));
}

TEST_F(ValidationBenefitPaidTest, UnknownSupplierIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(BenefitPaidBody(), "supplier_id", "SUP-404")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationBenefitPaidTest, OnlySupplierKeysPay) {
  EXPECT_TRUE(Rejected(Validate("benefit.paid", BenefitPaidBody(), certifier_),
                       ErrorCode::kRoleNotAllowed));
}

TEST_F(ValidationBenefitPaidTest, EmptyPaymentsAreInvalid) {
  EXPECT_TRUE(Rejected(Check(With(BenefitPaidBody(), "payments", boost::json::array{})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationBenefitPaidTest, ZeroPaymentIsInvalidAndNamesItsPath) {
  Result<ValidatedEvent> result = Check(WithPayment(1, "amount_fen", 0));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.payments[1].amount_fen: must be a positive integer");
}

TEST_F(ValidationBenefitPaidTest, UnknownMechanismIsInvalid) {
  EXPECT_TRUE(Rejected(Check(WithPayment(0, "mechanism", "gift")), ErrorCode::kInvalidField));
}

TEST_F(ValidationBenefitPaidTest, UnknownPaymentFieldIsInvalid) {
  Result<ValidatedEvent> result = Check(WithPayment(0, "bank_account", "6222..."));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.payments[0].bank_account: unknown field");
}

TEST_F(ValidationBenefitPaidTest, PaymentThatIsNotAnObjectIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(BenefitPaidBody(), "payments", boost::json::array{7})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationBenefitPaidTest, PeriodEndingBeforeItStartsIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(BenefitPaidBody(), "period_to", "2020-08-31")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationBenefitPaidTest, MissingPeriodIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(BenefitPaidBody(), "period_from")), ErrorCode::kInvalidField));
}

TEST_F(ValidationBenefitPaidTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(BenefitPaidBody(), "total_fen", 80000)), ErrorCode::kInvalidField));
}

}  // namespace
}  // namespace fupin::event_test
