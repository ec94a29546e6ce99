// supplier.registered, household.registered, product.*, and the USCC check.
#include "ledger/event_types.h"
#include "tests/ledger/validation_test_world.h"

namespace fupin::event_test {
namespace {

TEST(UsccTest, AcceptsRealCodes) {
  EXPECT_TRUE(IsValidUscc("91350100M000100Y43"));
  EXPECT_TRUE(IsValidUscc("91110000802100433B"));
  EXPECT_TRUE(IsValidUscc("91430100MA4L16JT66"));
  EXPECT_TRUE(IsValidUscc("12430000006940325X"));
}

TEST(UsccTest, CheckValueThirtyOneIsCharacterZero) {
  // The weighted sum of the first 17 characters is a multiple of 31 here.
  EXPECT_TRUE(IsValidUscc("93433127MA4PXXB1N0"));
  EXPECT_TRUE(IsValidUscc("9143312700000000W0"));
}

TEST(UsccTest, RejectsWrongCheckCharacter) {
  EXPECT_FALSE(IsValidUscc("91350100M000100Y44"));
  EXPECT_FALSE(IsValidUscc("91110000802100433A"));
}

TEST(UsccTest, RejectsASingleChangedCharacter) { EXPECT_FALSE(IsValidUscc("91350100M000200Y43")); }

TEST(UsccTest, RejectsLettersOutsideTheAlphabet) {
  // I, O, S, V, Z are not used; lower case is not accepted.
  EXPECT_FALSE(IsValidUscc("91350100I000100Y43"));
  EXPECT_FALSE(IsValidUscc("91350100O000100Y43"));
  EXPECT_FALSE(IsValidUscc("91350100m000100Y43"));
}

TEST(UsccTest, RejectsWrongLength) {
  EXPECT_FALSE(IsValidUscc("91350100M000100Y4"));
  EXPECT_FALSE(IsValidUscc("91350100M000100Y430"));
  EXPECT_FALSE(IsValidUscc(""));
}

class ValidationSupplierRegisteredTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("supplier.registered", body, certifier_);
  }
};

TEST_F(ValidationSupplierRegisteredTest, AcceptsASupplier) {
  Result<ValidatedEvent> result = Check(SupplierRegisteredBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "supplier:SUP-2");
  EXPECT_TRUE(HasReferences(*result, {"supplier:SUP-2", "region:433127"}));
  const SupplierState* supplier =
      WrittenState<SupplierState>(*result, EntityKind::kSupplier, "SUP-2");
  ASSERT_NE(supplier, nullptr);
  EXPECT_EQ(supplier->region, "433127");
}

TEST_F(ValidationSupplierRegisteredTest, MissingUsccIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(SupplierRegisteredBody(), "uscc")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSupplierRegisteredTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(SupplierRegisteredBody(), "legal_person", "张三")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationSupplierRegisteredTest, WrongCheckCharacterIsInvalidUscc) {
  Result<ValidatedEvent> result =
      Check(With(SupplierRegisteredBody(), "uscc", "91350100M000100Y44"));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidUscc));
  EXPECT_NE(MessageOf(result).find("body.uscc"), std::string::npos) << MessageOf(result);
}

TEST_F(ValidationSupplierRegisteredTest, ShortUsccIsInvalidUscc) {
  EXPECT_TRUE(
      Rejected(Check(With(SupplierRegisteredBody(), "uscc", "9135010")), ErrorCode::kInvalidUscc));
}

TEST_F(ValidationSupplierRegisteredTest, UsccThatIsNotAStringIsInvalidField) {
  EXPECT_TRUE(
      Rejected(Check(With(SupplierRegisteredBody(), "uscc", 91350100)), ErrorCode::kInvalidField));
}

TEST_F(ValidationSupplierRegisteredTest, UndefinedRegionIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(SupplierRegisteredBody(), "region", "433130")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationSupplierRegisteredTest, ExistingSupplierAlreadyExists) {
  EXPECT_TRUE(Rejected(Check(With(SupplierRegisteredBody(), "supplier_id", "SUP-1")),
                       ErrorCode::kAlreadyExists));
}

TEST_F(ValidationSupplierRegisteredTest, EmptyNameIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(SupplierRegisteredBody(), "name", "")), ErrorCode::kInvalidField));
}

TEST_F(ValidationSupplierRegisteredTest, RegionOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Validate("supplier.registered", With(SupplierRegisteredBody(), "region", "430102"),
                        xiangxi_certifier_),
               ErrorCode::kOutOfScope));
}

TEST_F(ValidationSupplierRegisteredTest, OperatorCannotRegisterSuppliers) {
  EXPECT_TRUE(Rejected(Validate("supplier.registered", SupplierRegisteredBody(), operator_),
                       ErrorCode::kRoleNotAllowed));
}

class ValidationHouseholdRegisteredTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("household.registered", body, certifier_);
  }
};

TEST_F(ValidationHouseholdRegisteredTest, AcceptsAHousehold) {
  Result<ValidatedEvent> result = Check(HouseholdRegisteredBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "household:H-2");
  EXPECT_TRUE(HasReferences(*result, {"household:H-2", "region:433127"}));
  const HouseholdState* household =
      WrittenState<HouseholdState>(*result, EntityKind::kHousehold, "H-2");
  ASSERT_NE(household, nullptr);
  EXPECT_EQ(household->region, "433127");
}

TEST_F(ValidationHouseholdRegisteredTest, ReRegistrationInTheSameRegionUpdates) {
  boost::json::object body = With(HouseholdRegisteredBody(), "household_id", "H-1");
  body["status"] = "exited";
  EXPECT_TRUE(Accepted(Check(body)));
}

TEST_F(ValidationHouseholdRegisteredTest, ReRegistrationCannotMoveTheHousehold) {
  boost::json::object body = With(HouseholdRegisteredBody(), "household_id", "H-1");
  body["region"] = "430102";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationHouseholdRegisteredTest, NoMembersIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(HouseholdRegisteredBody(), "members", 0)), ErrorCode::kInvalidField));
}

TEST_F(ValidationHouseholdRegisteredTest, TwentyMembersAreAccepted) {
  EXPECT_TRUE(Accepted(Check(With(HouseholdRegisteredBody(), "members", 20))));
}

TEST_F(ValidationHouseholdRegisteredTest, TwentyOneMembersAreInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(HouseholdRegisteredBody(), "members", 21)), ErrorCode::kInvalidField));
}

TEST_F(ValidationHouseholdRegisteredTest, UnknownStatusIsInvalid) {
  Result<ValidatedEvent> result = Check(With(HouseholdRegisteredBody(), "status", "rich"));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.status: must be one of poor, exited");
}

TEST_F(ValidationHouseholdRegisteredTest, MissingMembersIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(Without(HouseholdRegisteredBody(), "members")), ErrorCode::kInvalidField));
}

TEST_F(ValidationHouseholdRegisteredTest, UnknownFieldIsInvalid) {
  // A raw ID number must never be recorded (SPEC §2.5: pseudonyms only).
  EXPECT_TRUE(Rejected(Check(With(HouseholdRegisteredBody(), "id_card", "433127...")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationHouseholdRegisteredTest, UndefinedRegionIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(HouseholdRegisteredBody(), "region", "433130")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationHouseholdRegisteredTest, RegionOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Validate("household.registered", With(HouseholdRegisteredBody(), "region", "430102"),
                        xiangxi_certifier_),
               ErrorCode::kOutOfScope));
}

class ValidationProductCertifiedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("product.certified", body, certifier_);
  }
  static boost::json::object WithBenefit(std::string_view field, boost::json::value value) {
    boost::json::object body = ProductCertifiedBody();
    body["benefit"].as_object()[field] = std::move(value);
    return body;
  }
};

TEST_F(ValidationProductCertifiedTest, AcceptsAProductWithUnknownClaimedHouseholds) {
  Result<ValidatedEvent> result = Check(ProductCertifiedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "product:P-2");
  EXPECT_TRUE(HasReferences(*result, {"product:P-2", "supplier:SUP-1", "region:433127",
                                      "household:H-1", "household:H-unknown"}));
  const ProductState* product = WrittenState<ProductState>(*result, EntityKind::kProduct, "P-2");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->supplier_id, "SUP-1");
  EXPECT_EQ(product->origin_region, "433127");
  EXPECT_FALSE(product->revoked);
}

TEST_F(ValidationProductCertifiedTest, RenewalOfARevokedProductClearsTheRevocation) {
  Result<ValidatedEvent> result = Check(With(ProductCertifiedBody(), "product_id", "P-REVOKED"));
  ASSERT_TRUE(Accepted(result));
  const ProductState* product =
      WrittenState<ProductState>(*result, EntityKind::kProduct, "P-REVOKED");
  ASSERT_NE(product, nullptr);
  EXPECT_FALSE(product->revoked);
}

TEST_F(ValidationProductCertifiedTest, RenewalCannotChangeTheSupplier) {
  boost::json::object body = With(ProductCertifiedBody(), "product_id", "P-1");
  body["supplier_id"] = "SUP-3";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, UnknownSupplierIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(ProductCertifiedBody(), "supplier_id", "SUP-404")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationProductCertifiedTest, UndefinedOriginIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(ProductCertifiedBody(), "origin_region", "433130")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationProductCertifiedTest, ZeroReferencePriceIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(ProductCertifiedBody(), "reference_price_fen", 0)),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, NegativeAnnualValueIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(ProductCertifiedBody(), "annual_value_fen", -1)),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, ZeroAnnualValueIsAccepted) {
  EXPECT_TRUE(Accepted(Check(With(ProductCertifiedBody(), "annual_value_fen", 0))));
}

TEST_F(ValidationProductCertifiedTest, ValidToBeforeValidFromIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(ProductCertifiedBody(), "valid_to", "2019-12-31")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, EmptyCertificateNumberIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(ProductCertifiedBody(), "certificate_no", "")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, NameOf200CharactersIsAccepted) {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "百";
  EXPECT_TRUE(Accepted(Check(With(ProductCertifiedBody(), "name", name))));
}

TEST_F(ValidationProductCertifiedTest, NameOf201CharactersIsInvalid) {
  std::string name;
  for (int i = 0; i < 201; ++i) name += "百";
  EXPECT_TRUE(
      Rejected(Check(With(ProductCertifiedBody(), "name", name)), ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, EmptyMechanismsAreInvalid) {
  EXPECT_TRUE(
      Rejected(Check(WithBenefit("mechanisms", boost::json::array{})), ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, UnknownMechanismIsInvalid) {
  Result<ValidatedEvent> result =
      Check(WithBenefit("mechanisms", boost::json::array{"employment", "charity"}));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_NE(MessageOf(result).find("body.benefit.mechanisms[1]"), std::string::npos)
      << MessageOf(result);
}

TEST_F(ValidationProductCertifiedTest, DuplicateMechanismIsInvalid) {
  EXPECT_TRUE(Rejected(Check(WithBenefit("mechanisms", boost::json::array{"dividend", "dividend"})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, DuplicateHouseholdIsInvalid) {
  EXPECT_TRUE(Rejected(Check(WithBenefit("households", boost::json::array{"H-1", "H-2", "H-1"})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, EmptyHouseholdListIsAccepted) {
  EXPECT_TRUE(Accepted(Check(WithBenefit("households", boost::json::array{}))));
}

TEST_F(ValidationProductCertifiedTest, NegativePeopleClaimedIsInvalid) {
  EXPECT_TRUE(Rejected(Check(WithBenefit("people_claimed", -1)), ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, UnknownBenefitFieldIsInvalid) {
  Result<ValidatedEvent> result = Check(WithBenefit("poor_people", 3));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.benefit.poor_people: unknown field");
}

TEST_F(ValidationProductCertifiedTest, MissingBenefitIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(Without(ProductCertifiedBody(), "benefit")), ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(ProductCertifiedBody(), "price_fen", 3500)), ErrorCode::kInvalidField));
}

TEST_F(ValidationProductCertifiedTest, OriginOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(Rejected(
      Validate("product.certified", With(ProductCertifiedBody(), "origin_region", "430102"),
               xiangxi_certifier_),
      ErrorCode::kOutOfScope));
}

class ValidationProductRepricedTest : public ValidationWorld {};

TEST_F(ValidationProductRepricedTest, AcceptsWithoutStateWrites) {
  Result<ValidatedEvent> result = Validate("product.repriced", ProductRepricedBody(), certifier_);
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "product:P-1");
  EXPECT_TRUE(HasReferences(*result, {"product:P-1"}));
  EXPECT_TRUE(result->writes.empty());
}

TEST_F(ValidationProductRepricedTest, UnknownProductIsUnknownReference) {
  EXPECT_TRUE(Rejected(
      Validate("product.repriced", With(ProductRepricedBody(), "product_id", "P-404"), certifier_),
      ErrorCode::kUnknownReference));
}

TEST_F(ValidationProductRepricedTest, ZeroPriceIsInvalid) {
  EXPECT_TRUE(Rejected(Validate("product.repriced",
                                With(ProductRepricedBody(), "reference_price_fen", 0), certifier_),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductRepricedTest, MissingSourceIsInvalid) {
  EXPECT_TRUE(
      Rejected(Validate("product.repriced", Without(ProductRepricedBody(), "source"), certifier_),
               ErrorCode::kInvalidField));
}

TEST_F(ValidationProductRepricedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(
      Validate("product.repriced", With(ProductRepricedBody(), "old_price_fen", 3500), certifier_),
      ErrorCode::kInvalidField));
}

TEST_F(ValidationProductRepricedTest, ProductOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(Rejected(
      Validate("product.repriced", ProductRepricedBody(), MakeSigner(kRoleCertifier, {"430100"})),
      ErrorCode::kOutOfScope));
}

class ValidationProductRevokedTest : public ValidationWorld {};

TEST_F(ValidationProductRevokedTest, AcceptsAndMarksTheProductRevoked) {
  Result<ValidatedEvent> result = Validate("product.revoked", ProductRevokedBody(), certifier_);
  ASSERT_TRUE(Accepted(result));
  EXPECT_TRUE(HasReferences(*result, {"product:P-1"}));
  const ProductState* product = WrittenState<ProductState>(*result, EntityKind::kProduct, "P-1");
  ASSERT_NE(product, nullptr);
  EXPECT_TRUE(product->revoked);
  EXPECT_EQ(product->supplier_id, "SUP-1");
}

TEST_F(ValidationProductRevokedTest, AlreadyRevokedIsInvalid) {
  EXPECT_TRUE(Rejected(Validate("product.revoked",
                                With(ProductRevokedBody(), "product_id", "P-REVOKED"), certifier_),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationProductRevokedTest, UnknownProductIsUnknownReference) {
  EXPECT_TRUE(Rejected(
      Validate("product.revoked", With(ProductRevokedBody(), "product_id", "P-404"), certifier_),
      ErrorCode::kUnknownReference));
}

TEST_F(ValidationProductRevokedTest, MissingReasonIsInvalid) {
  EXPECT_TRUE(
      Rejected(Validate("product.revoked", Without(ProductRevokedBody(), "reason"), certifier_),
               ErrorCode::kInvalidField));
}

TEST_F(ValidationProductRevokedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(
      Validate("product.revoked", With(ProductRevokedBody(), "until", "2021-01-01"), certifier_),
      ErrorCode::kInvalidField));
}

TEST_F(ValidationProductRevokedTest, ProductOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(Rejected(
      Validate("product.revoked", ProductRevokedBody(), MakeSigner(kRoleCertifier, {"430100"})),
      ErrorCode::kOutOfScope));
}

}  // namespace
}  // namespace fupin::event_test
