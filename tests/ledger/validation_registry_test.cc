// key.registered, key.revoked, region.defined, campaign.defined.
#include "tests/ledger/validation_test_world.h"

namespace fupin::event_test {
namespace {

class ValidationKeyRegisteredTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("key.registered", body, admin_);
  }
};

TEST_F(ValidationKeyRegisteredTest, AcceptsAnOperatorKey) {
  Result<ValidatedEvent> result = Check(KeyRegisteredBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "key:op-2");
  EXPECT_TRUE(HasReferences(*result, {"key:op-2"}));
  const KeyState* key = WrittenState<KeyState>(*result, EntityKind::kKey, "op-2");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->public_key, SeededKey(20).public_raw());
  EXPECT_EQ(key->roles, kRoleOperator);
  EXPECT_EQ(key->regions, std::vector<std::string>{"430100"});
  EXPECT_FALSE(key->revoked);
  EXPECT_FALSE(key->not_before_ms.has_value());
}

TEST_F(ValidationKeyRegisteredTest, AcceptsValidityWindow) {
  boost::json::object body = KeyRegisteredBody();
  body["not_before"] = "2020-09-01T00:00:00+08:00";
  body["not_after"] = "2020-12-31T23:59:59+08:00";
  Result<ValidatedEvent> result = Check(body);
  ASSERT_TRUE(Accepted(result));
  const KeyState* key = WrittenState<KeyState>(*result, EntityKind::kKey, "op-2");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->not_before_ms, 1598889600000);
  EXPECT_EQ(key->not_after_ms, 1609430399000);
}

TEST_F(ValidationKeyRegisteredTest, AcceptsSupplierKeyNamingItsSupplier) {
  boost::json::object body = KeyRegisteredBody();
  body["roles"] = boost::json::array{"supplier"};
  body["regions"] = boost::json::array{"433127"};
  body["supplier_id"] = "SUP-1";
  Result<ValidatedEvent> result = Check(body);
  ASSERT_TRUE(Accepted(result));
  EXPECT_TRUE(HasReferences(*result, {"key:op-2", "supplier:SUP-1"}));
  const KeyState* key = WrittenState<KeyState>(*result, EntityKind::kKey, "op-2");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->supplier_id, "SUP-1");
  EXPECT_EQ(key->roles, kRoleSupplier);
}

TEST_F(ValidationKeyRegisteredTest, AcceptsSeveralRoles) {
  Result<ValidatedEvent> result =
      Check(With(KeyRegisteredBody(), "roles", boost::json::array{"operator", "reporter"}));
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(WrittenState<KeyState>(*result, EntityKind::kKey, "op-2")->roles,
            kRoleOperator | kRoleReporter);
}

TEST_F(ValidationKeyRegisteredTest, MissingPublicKeyIsInvalid) {
  Result<ValidatedEvent> result = Check(Without(KeyRegisteredBody(), "public_key"));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.public_key: required");
}

TEST_F(ValidationKeyRegisteredTest, UnknownFieldIsInvalid) {
  Result<ValidatedEvent> result = Check(With(KeyRegisteredBody(), "comment", "x"));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.comment: unknown field");
}

TEST_F(ValidationKeyRegisteredTest, OtherAlgorithmIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "alg", "rsa")), ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, PublicKeyOfWrongLengthIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(KeyRegisteredBody(), "public_key", Base64Encode(std::string(31, 'k')))),
               ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, PublicKeyThatIsNotBase64IsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "public_key", "not base64!")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, UnknownRoleIsInvalid) {
  Result<ValidatedEvent> result =
      Check(With(KeyRegisteredBody(), "roles", boost::json::array{"operator", "root"}));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_NE(MessageOf(result).find("body.roles[1]"), std::string::npos) << MessageOf(result);
}

TEST_F(ValidationKeyRegisteredTest, SystemRoleCannotBeGranted) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "roles", boost::json::array{"system"})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, DuplicateRoleIsInvalid) {
  EXPECT_TRUE(Rejected(
      Check(With(KeyRegisteredBody(), "roles", boost::json::array{"operator", "operator"})),
      ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, EmptyRolesAreInvalid) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "roles", boost::json::array{})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, EmptyRegionsAreInvalid) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "regions", boost::json::array{})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, MalformedRegionCodeIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "regions", boost::json::array{"4301"})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, UndefinedRegionIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "regions", boost::json::array{"430200"})),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationKeyRegisteredTest, WholeCountryScopeNeedsNoRegionDefinition) {
  EXPECT_TRUE(Accepted(Check(With(KeyRegisteredBody(), "regions", boost::json::array{"000000"}))));
}

TEST_F(ValidationKeyRegisteredTest, NotAfterBeforeNotBeforeIsInvalid) {
  boost::json::object body = KeyRegisteredBody();
  body["not_before"] = "2020-10-01T00:00:00+08:00";
  body["not_after"] = "2020-09-01T00:00:00+08:00";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, NotBeforeWithoutOffsetIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "not_before", "2020-09-01T00:00:00")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, ExistingKeyIdAlreadyExists) {
  EXPECT_TRUE(
      Rejected(Check(With(KeyRegisteredBody(), "key_id", "op-old")), ErrorCode::kAlreadyExists));
}

TEST_F(ValidationKeyRegisteredTest, KeyIdWithColonIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(KeyRegisteredBody(), "key_id", "op:2")), ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, KeyIdLongerThan64IsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(KeyRegisteredBody(), "key_id", std::string(65, 'k'))),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, SupplierRoleRequiresSupplierId) {
  boost::json::object body = KeyRegisteredBody();
  body["roles"] = boost::json::array{"supplier"};
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, SupplierIdWithoutSupplierRoleIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(KeyRegisteredBody(), "supplier_id", "SUP-1")), ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRegisteredTest, UnknownSupplierIsUnknownReference) {
  boost::json::object body = KeyRegisteredBody();
  body["roles"] = boost::json::array{"supplier"};
  body["supplier_id"] = "SUP-404";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kUnknownReference));
}

TEST_F(ValidationKeyRegisteredTest, ScopeBeyondTheSignersIsOutOfScope) {
  EXPECT_TRUE(Rejected(
      Validate("key.registered", With(KeyRegisteredBody(), "regions", boost::json::array{"433100"}),
               prefecture_admin_),
      ErrorCode::kOutOfScope));
}

TEST_F(ValidationKeyRegisteredTest, WholeCountryScopeNeedsWholeCountrySigner) {
  EXPECT_TRUE(Rejected(
      Validate("key.registered", With(KeyRegisteredBody(), "regions", boost::json::array{"000000"}),
               prefecture_admin_),
      ErrorCode::kOutOfScope));
}

TEST_F(ValidationKeyRegisteredTest, PrefectureAdminMayRegisterKeysBelowIt) {
  EXPECT_TRUE(Accepted(Validate("key.registered",
                                With(KeyRegisteredBody(), "regions", boost::json::array{"430102"}),
                                prefecture_admin_)));
}

class ValidationKeyRevokedTest : public ValidationWorld {};

TEST_F(ValidationKeyRevokedTest, AcceptsAndMarksTheKeyRevoked) {
  Result<ValidatedEvent> result = Validate("key.revoked", KeyRevokedBody(), admin_);
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "key:op-old");
  EXPECT_TRUE(HasReferences(*result, {"key:op-old"}));
  const KeyState* key = WrittenState<KeyState>(*result, EntityKind::kKey, "op-old");
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(key->revoked);
  EXPECT_EQ(key->roles, kRoleOperator);  // the rest is kept
  EXPECT_EQ(key->regions, std::vector<std::string>{"430100"});
}

TEST_F(ValidationKeyRevokedTest, MissingReasonIsInvalid) {
  EXPECT_TRUE(Rejected(Validate("key.revoked", Without(KeyRevokedBody(), "reason"), admin_),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRevokedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(Validate("key.revoked", With(KeyRevokedBody(), "at", "now"), admin_),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRevokedTest, UnknownKeyIsUnknownReference) {
  EXPECT_TRUE(Rejected(Validate("key.revoked", With(KeyRevokedBody(), "key_id", "nobody"), admin_),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationKeyRevokedTest, AlreadyRevokedKeyIsInvalid) {
  Result<ValidatedEvent> result =
      Validate("key.revoked", With(KeyRevokedBody(), "key_id", "op-revoked"), admin_);
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_NE(MessageOf(result).find("already revoked"), std::string::npos) << MessageOf(result);
}

TEST_F(ValidationKeyRevokedTest, SystemKeyCannotBeRevoked) {
  EXPECT_TRUE(
      Rejected(Validate("key.revoked", With(KeyRevokedBody(), "key_id", "ledger-system"), admin_),
               ErrorCode::kInvalidField));
}

TEST_F(ValidationKeyRevokedTest, RevokingAKeyOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(Rejected(
      Validate("key.revoked", With(KeyRevokedBody(), "key_id", "op-xiangxi"), prefecture_admin_),
      ErrorCode::kOutOfScope));
}

TEST_F(ValidationKeyRevokedTest, PrefectureAdminRevokesItsOwnKeys) {
  EXPECT_TRUE(Accepted(Validate("key.revoked", KeyRevokedBody(), prefecture_admin_)));
}

TEST_F(ValidationKeyRevokedTest, NonAdminCannotRevoke) {
  EXPECT_TRUE(
      Rejected(Validate("key.revoked", KeyRevokedBody(), supervisor_), ErrorCode::kRoleNotAllowed));
}

class ValidationRegionDefinedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("region.defined", body, admin_);
  }
};

TEST_F(ValidationRegionDefinedTest, AcceptsACounty) {
  Result<ValidatedEvent> result = Check(RegionDefinedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "region:430103");
  EXPECT_TRUE(HasReferences(*result, {"region:430103", "region:430100"}));
  const RegionState* region = WrittenState<RegionState>(*result, EntityKind::kRegion, "430103");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->name, "天心区");
  EXPECT_EQ(region->level, RegionLevel::kCounty);
  EXPECT_EQ(region->parent, "430100");
  EXPECT_FALSE(region->poverty_county);
}

TEST_F(ValidationRegionDefinedTest, AcceptsAPrefectureUnderTheProvince) {
  EXPECT_TRUE(Accepted(Check(ParseObject(
      R"({"code":"430200","name":"株洲市","level":"prefecture","parent":"430000","poverty_county":false})"))));
}

TEST_F(ValidationRegionDefinedTest, AcceptsAProvinceWithoutParent) {
  EXPECT_TRUE(Accepted(Check(ParseObject(
      R"({"code":"420000","name":"湖北省","level":"province","poverty_county":false})"))));
}

TEST_F(ValidationRegionDefinedTest, AcceptsAPovertyCounty) {
  Result<ValidatedEvent> result = Check(ParseObject(
      R"({"code":"433126","name":"古丈县","level":"county","parent":"433100","poverty_county":true})"));
  ASSERT_TRUE(Accepted(result));
  EXPECT_TRUE(WrittenState<RegionState>(*result, EntityKind::kRegion, "433126")->poverty_county);
}

TEST_F(ValidationRegionDefinedTest, MissingNameIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(RegionDefinedBody(), "name")), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(RegionDefinedBody(), "pinyin", "tianxin")), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, ExistingCodeAlreadyExists) {
  EXPECT_TRUE(
      Rejected(Check(With(RegionDefinedBody(), "code", "430102")), ErrorCode::kAlreadyExists));
}

TEST_F(ValidationRegionDefinedTest, UndefinedParentIsUnknownReference) {
  EXPECT_TRUE(Rejected(
      Check(ParseObject(
          R"({"code":"430202","name":"荷塘区","level":"county","parent":"430200","poverty_county":false})")),
      ErrorCode::kUnknownReference));
}

TEST_F(ValidationRegionDefinedTest, ProvinceWithParentIsInvalid) {
  EXPECT_TRUE(Rejected(
      Check(ParseObject(
          R"({"code":"420000","name":"湖北省","level":"province","parent":"430000","poverty_county":false})")),
      ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, CountyWithoutParentIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(RegionDefinedBody(), "parent")), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, LevelDisagreeingWithCodeIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(RegionDefinedBody(), "level", "prefecture")), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, ParentThatIsNotTheCodesParentIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(RegionDefinedBody(), "parent", "433100")), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, UnknownLevelIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(RegionDefinedBody(), "level", "township")), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, PovertyCountyMustBeBoolean) {
  EXPECT_TRUE(
      Rejected(Check(With(RegionDefinedBody(), "poverty_county", 1)), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, OnlyACountyCanBeAPovertyCounty) {
  EXPECT_TRUE(Rejected(
      Check(ParseObject(
          R"({"code":"430200","name":"株洲市","level":"prefecture","parent":"430000","poverty_county":true})")),
      ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, WholeCountryCodeIsNotARegion) {
  EXPECT_TRUE(
      Rejected(Check(ParseObject(
                   R"({"code":"000000","name":"全国","level":"province","poverty_county":false})")),
               ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, MalformedCodeIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(RegionDefinedBody(), "code", "43010")), ErrorCode::kInvalidField));
}

TEST_F(ValidationRegionDefinedTest, PrefectureAdminDefinesOnlyItsCounties) {
  EXPECT_TRUE(Accepted(Validate("region.defined", RegionDefinedBody(), prefecture_admin_)));
  EXPECT_TRUE(Rejected(
      Validate("region.defined", ParseObject(R"({"code":"433126","name":"古丈县","level":"county",
                                    "parent":"433100","poverty_county":true})"),
               prefecture_admin_),
      ErrorCode::kOutOfScope));
}

class ValidationCampaignDefinedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("campaign.defined", body, admin_);
  }
  static boost::json::object WithTarget(std::string_view field, boost::json::value value) {
    boost::json::object body = CampaignDefinedBody();
    body["targets"].as_object()[field] = std::move(value);
    return body;
  }
};

TEST_F(ValidationCampaignDefinedTest, AcceptsACampaign) {
  Result<ValidatedEvent> result = Check(CampaignDefinedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "campaign:CAMP-2");
  EXPECT_TRUE(HasReferences(*result, {"campaign:CAMP-2", "region:430100"}));
  const CampaignState* campaign =
      WrittenState<CampaignState>(*result, EntityKind::kCampaign, "CAMP-2");
  ASSERT_NE(campaign, nullptr);
  EXPECT_EQ(campaign->starts_on, "2020-09-01");
  EXPECT_EQ(campaign->ends_on, "2020-09-30");
}

TEST_F(ValidationCampaignDefinedTest, MissingTargetIsInvalid) {
  boost::json::object body = CampaignDefinedBody();
  body["targets"].as_object().erase("sales_fen");
  Result<ValidatedEvent> result = Check(body);
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.targets.sales_fen: required");
}

TEST_F(ValidationCampaignDefinedTest, UnknownTargetIsInvalid) {
  Result<ValidatedEvent> result = Check(WithTarget("zones_total", 5));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.targets.zones_total: unknown field");
}

TEST_F(ValidationCampaignDefinedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(CampaignDefinedBody(), "plan", "湘扶领办发〔2020〕4号")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationCampaignDefinedTest, NegativeTargetIsInvalid) {
  EXPECT_TRUE(Rejected(Check(WithTarget("counters_total", -1)), ErrorCode::kInvalidField));
}

TEST_F(ValidationCampaignDefinedTest, EndBeforeStartIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(CampaignDefinedBody(), "ends_on", "2020-08-31")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationCampaignDefinedTest, ImpossibleDateIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(CampaignDefinedBody(), "starts_on", "2020-02-30")),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationCampaignDefinedTest, UndefinedCounterRegionIsUnknownReference) {
  EXPECT_TRUE(
      Rejected(Check(WithTarget("counters_by_region", boost::json::object{{"430200", 2000}})),
               ErrorCode::kUnknownReference));
}

TEST_F(ValidationCampaignDefinedTest, MalformedCounterRegionIsInvalid) {
  Result<ValidatedEvent> result =
      Check(WithTarget("counters_by_region", boost::json::object{{"长沙", 2000}}));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
}

TEST_F(ValidationCampaignDefinedTest, NegativeCounterTargetIsInvalid) {
  Result<ValidatedEvent> result =
      Check(WithTarget("counters_by_region", boost::json::object{{"430100", -3}}));
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result),
            "body.targets.counters_by_region.430100: must be a non-negative integer");
}

TEST_F(ValidationCampaignDefinedTest, ExistingCampaignAlreadyExists) {
  EXPECT_TRUE(Rejected(Check(With(CampaignDefinedBody(), "campaign_id", "CAMP-1")),
                       ErrorCode::kAlreadyExists));
}

TEST_F(ValidationCampaignDefinedTest, TargetsOutsideTheScopeAreOutOfScope) {
  EXPECT_TRUE(
      Rejected(Validate("campaign.defined",
                        WithTarget("counters_by_region", boost::json::object{{"433100", 2000}}),
                        prefecture_admin_),
               ErrorCode::kOutOfScope));
}

}  // namespace
}  // namespace fupin::event_test
