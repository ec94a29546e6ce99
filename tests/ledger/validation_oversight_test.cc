// report.submitted, flag.raised, flag.resolved.
#include "tests/ledger/validation_test_world.h"

namespace fupin::event_test {
namespace {

class ValidationReportSubmittedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("report.submitted", body, reporter_);
  }
  static boost::json::object WithRows(boost::json::array rows) {
    return With(ReportSubmittedBody(), "rows", std::move(rows));
  }
};

TEST_F(ValidationReportSubmittedTest, AcceptsAPrefectureTable) {
  Result<ValidatedEvent> result = Check(ReportSubmittedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "report:CAMP-1:430100");
  EXPECT_TRUE(HasReferences(*result, {"campaign:CAMP-1", "region:430100", "report:CAMP-1:430100"}));
  EXPECT_TRUE(result->writes.empty());
}

TEST_F(ValidationReportSubmittedTest, UnknownCampaignIsUnknownReference) {
  EXPECT_TRUE(Rejected(Check(With(ReportSubmittedBody(), "campaign_id", "CAMP-404")),
                       ErrorCode::kUnknownReference));
}

TEST_F(ValidationReportSubmittedTest, UndefinedReportRegionIsUnknownReference) {
  boost::json::object body = WithRows(boost::json::array{ReportRow("430200")});
  body["region"] = "430200";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kUnknownReference));
}

TEST_F(ValidationReportSubmittedTest, UndefinedRowRegionIsUnknownReference) {
  Result<ValidatedEvent> result =
      Check(WithRows(boost::json::array{ReportRow("430100"), ReportRow("430103")}));
  EXPECT_TRUE(Rejected(result, ErrorCode::kUnknownReference));
  EXPECT_EQ(MessageOf(result), "body.rows[1].region: unknown region \"430103\"");
}

TEST_F(ValidationReportSubmittedTest, RowOutsideTheReportsRegionIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(WithRows(boost::json::array{ReportRow("430100"), ReportRow("433127")})),
               ErrorCode::kInvalidField));
}

TEST_F(ValidationReportSubmittedTest, DuplicateRowIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(WithRows(boost::json::array{ReportRow("430102"), ReportRow("430102")})),
               ErrorCode::kInvalidField));
}

TEST_F(ValidationReportSubmittedTest, NegativeColumnIsInvalidAndNamesItsPath) {
  boost::json::object body = ReportSubmittedBody();
  body["rows"].as_array()[1].as_object()["sales_fen"] = -5;
  Result<ValidatedEvent> result = Check(body);
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.rows[1].sales_fen: must be a non-negative integer");
}

TEST_F(ValidationReportSubmittedTest, MissingColumnIsInvalid) {
  boost::json::object body = ReportSubmittedBody();
  body["rows"].as_array()[0].as_object().erase("pavilions");
  Result<ValidatedEvent> result = Check(body);
  EXPECT_TRUE(Rejected(result, ErrorCode::kInvalidField));
  EXPECT_EQ(MessageOf(result), "body.rows[0].pavilions: required");
}

TEST_F(ValidationReportSubmittedTest, UnknownColumnIsInvalid) {
  boost::json::object body = ReportSubmittedBody();
  body["rows"].as_array()[0].as_object()["sales_wan_yuan"] = "1.23";
  EXPECT_TRUE(Rejected(Check(body), ErrorCode::kInvalidField));
}

TEST_F(ValidationReportSubmittedTest, EmptyRowsAreInvalid) {
  EXPECT_TRUE(Rejected(Check(WithRows(boost::json::array{})), ErrorCode::kInvalidField));
}

TEST_F(ValidationReportSubmittedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(ReportSubmittedBody(), "as_of", 41)), ErrorCode::kInvalidField));
}

TEST_F(ValidationReportSubmittedTest, RegionOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(Rejected(
      Validate("report.submitted", ReportSubmittedBody(), MakeSigner(kRoleReporter, {"433100"})),
      ErrorCode::kOutOfScope));
}

class ValidationFlagRaisedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("flag.raised", body, system_);
  }
};

TEST_F(ValidationFlagRaisedTest, AcceptsAFlag) {
  Result<ValidatedEvent> result = Check(FlagRaisedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "flag:F-2");
  EXPECT_TRUE(HasReferences(*result, {"flag:F-2", "product:P-1", "region:433127"}));
  const FlagState* flag = WrittenState<FlagState>(*result, EntityKind::kFlag, "F-2");
  ASSERT_NE(flag, nullptr);
  EXPECT_EQ(flag->region, "433127");
  EXPECT_FALSE(flag->resolved);
}

TEST_F(ValidationFlagRaisedTest, AcceptsCompoundSubjectAndEmptyEvidence) {
  boost::json::object body = With(FlagRaisedBody(), "subject", "report:CAMP-1:430100");
  body["evidence"] = boost::json::array{};
  body["rule"] = "FP-15";
  Result<ValidatedEvent> result = Check(body);
  ASSERT_TRUE(Accepted(result));
  EXPECT_TRUE(HasReferences(*result, {"flag:F-2", "report:CAMP-1:430100", "region:433127"}));
}

TEST_F(ValidationFlagRaisedTest, MalformedRuleIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(FlagRaisedBody(), "rule", "FP-3")), ErrorCode::kInvalidField));
  EXPECT_TRUE(Rejected(Check(With(FlagRaisedBody(), "rule", "XX-03")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, UnknownSeverityIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(FlagRaisedBody(), "severity", "critical")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, SubjectWithoutKindIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(FlagRaisedBody(), "subject", "P-1")), ErrorCode::kInvalidField));
  EXPECT_TRUE(
      Rejected(Check(With(FlagRaisedBody(), "subject", "product:")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, NegativeEvidenceSeqIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(FlagRaisedBody(), "evidence", boost::json::array{41, -1})),
                       ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, DetailsMustBeAnObject) {
  EXPECT_TRUE(
      Rejected(Check(With(FlagRaisedBody(), "details", "ratio 1.31")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, EmptySummaryIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(FlagRaisedBody(), "summary", "")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, ExistingFlagAlreadyExists) {
  EXPECT_TRUE(Rejected(Check(With(FlagRaisedBody(), "flag_id", "F-1")), ErrorCode::kAlreadyExists));
}

TEST_F(ValidationFlagRaisedTest, UndefinedRegionIsUnknownReference) {
  EXPECT_TRUE(
      Rejected(Check(With(FlagRaisedBody(), "region", "433130")), ErrorCode::kUnknownReference));
}

TEST_F(ValidationFlagRaisedTest, MissingDetailsIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(FlagRaisedBody(), "details")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(FlagRaisedBody(), "status", "open")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagRaisedTest, RegionOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(
      Rejected(Validate("flag.raised", FlagRaisedBody(), MakeSigner(kRoleSystem, {"430100"})),
               ErrorCode::kOutOfScope));
}

class ValidationFlagResolvedTest : public ValidationWorld {
 protected:
  Result<ValidatedEvent> Check(const boost::json::object& body) {
    return Validate("flag.resolved", body, supervisor_);
  }
};

TEST_F(ValidationFlagResolvedTest, AcceptsAndMarksTheFlagResolved) {
  Result<ValidatedEvent> result = Check(FlagResolvedBody());
  ASSERT_TRUE(Accepted(result));
  EXPECT_EQ(result->stream, "flag:F-1");
  EXPECT_TRUE(HasReferences(*result, {"flag:F-1"}));
  const FlagState* flag = WrittenState<FlagState>(*result, EntityKind::kFlag, "F-1");
  ASSERT_NE(flag, nullptr);
  EXPECT_TRUE(flag->resolved);
  EXPECT_EQ(flag->region, "430102");
}

TEST_F(ValidationFlagResolvedTest, AlreadyResolvedFlagIsRejected) {
  EXPECT_TRUE(Rejected(Check(With(FlagResolvedBody(), "flag_id", "F-DONE")),
                       ErrorCode::kFlagAlreadyResolved));
}

TEST_F(ValidationFlagResolvedTest, UnknownFlagIsUnknownReference) {
  EXPECT_TRUE(
      Rejected(Check(With(FlagResolvedBody(), "flag_id", "F-404")), ErrorCode::kUnknownReference));
}

TEST_F(ValidationFlagResolvedTest, UnknownResolutionIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(FlagResolvedBody(), "resolution", "ignored")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagResolvedTest, EmptyNoteIsInvalid) {
  EXPECT_TRUE(Rejected(Check(With(FlagResolvedBody(), "note", "")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagResolvedTest, MissingNoteIsInvalid) {
  EXPECT_TRUE(Rejected(Check(Without(FlagResolvedBody(), "note")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagResolvedTest, UnknownFieldIsInvalid) {
  EXPECT_TRUE(
      Rejected(Check(With(FlagResolvedBody(), "resolved_by", "me")), ErrorCode::kInvalidField));
}

TEST_F(ValidationFlagResolvedTest, FlagOutsideTheScopeIsOutOfScope) {
  EXPECT_TRUE(Rejected(
      Validate("flag.resolved", FlagResolvedBody(), MakeSigner(kRoleSupervisor, {"433100"})),
      ErrorCode::kOutOfScope));
}

TEST_F(ValidationFlagResolvedTest, OnlySupervisorsResolve) {
  EXPECT_TRUE(
      Rejected(Validate("flag.resolved", FlagResolvedBody(), system_), ErrorCode::kRoleNotAllowed));
}

}  // namespace
}  // namespace fupin::event_test
