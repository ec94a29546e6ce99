// Bodies of the oversight types: report.submitted, flag.*.
#include <algorithm>

#include "ledger/event_types.h"
#include "ledger/validation_internal.h"

namespace fupin {

using internal::FieldPath;
using internal::FieldReader;
using internal::InvalidField;

namespace {

// A kind is a lower-case word ("product", "org").
inline constexpr std::size_t kMaxSubjectKindLength = 32;
// The id part may itself be compound ("report:CAMP:430100",
// "buyer:ORG/PERSON"), so it gets room for two ids and a separator.
inline constexpr std::size_t kMaxSubjectIdLength = 2 * kMaxIdLength + 1;

Status ReadRow(const boost::json::value& v, const FieldPath& at, ReportRow& row) {
  const boost::json::object* object = v.if_object();
  if (object == nullptr) return InvalidField(at, "must be an object");
  FieldReader r(*object, at);
  FUPIN_RETURN_IF_ERROR(r.RegionCode("region", row.region));
  FUPIN_RETURN_IF_ERROR(r.Integer("online_zones", 0, row.online_zones));
  FUPIN_RETURN_IF_ERROR(r.Integer("offline_zones", 0, row.offline_zones));
  FUPIN_RETURN_IF_ERROR(r.Integer("pavilions", 0, row.pavilions));
  FUPIN_RETURN_IF_ERROR(r.Integer("counters", 0, row.counters));
  FUPIN_RETURN_IF_ERROR(r.Integer("livestream_bases", 0, row.livestream_bases));
  FUPIN_RETURN_IF_ERROR(r.Integer("promotions", 0, row.promotions));
  FUPIN_RETURN_IF_ERROR(r.Integer("sales_fen", 0, row.sales_fen));
  FUPIN_RETURN_IF_ERROR(r.Integer("poor_people_covered", 0, row.poor_people_covered));
  return r.Finish();
}

bool IsRuleId(std::string_view rule) {
  return rule.size() == 5 && rule.starts_with("FP-") && rule[3] >= '0' && rule[3] <= '9' &&
         rule[4] >= '0' && rule[4] <= '9';
}

// "kind:id": a lower-case kind, then an id that may itself hold ':' or '/'
// (compound stream entities and org/person buyer refs).
bool IsSubject(std::string_view subject) {
  const std::size_t colon = subject.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > kMaxSubjectKindLength) {
    return false;
  }
  for (char c : subject.substr(0, colon)) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  const std::string_view id = subject.substr(colon + 1);
  if (id.empty() || id.size() > kMaxSubjectIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == ':' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<ReportSubmitted> ParseReportSubmitted(const boost::json::object& body) {
  return internal::ParseBody<ReportSubmitted>(body, [](FieldReader& r, ReportSubmitted& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("campaign_id", e.campaign_id));
    FUPIN_RETURN_IF_ERROR(r.RegionCode("region", e.region));
    const boost::json::array* rows = nullptr;
    FUPIN_RETURN_IF_ERROR(r.Array("rows", rows));
    const FieldPath at = r.path().Member("rows");
    if (rows->empty()) return InvalidField(at, "must not be empty");
    e.rows.resize(rows->size());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const FieldPath row_at = at.Index(i);
      ReportRow& row = e.rows[i];
      FUPIN_RETURN_IF_ERROR(ReadRow((*rows)[i], row_at, row));
      // A 市州 reports its own table: rows outside its region are not its
      // to report.
      if (!RegionCovers(e.region, row.region)) {
        return InvalidField(row_at.Member("region"),
                            "region " + row.region + " is outside the report's region " + e.region);
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (e.rows[j].region == row.region) {
          return InvalidField(row_at.Member("region"), "duplicate row for " + row.region);
        }
      }
    }
    return Status::Ok();
  });
}

Result<FlagRaised> ParseFlagRaised(const boost::json::object& body) {
  return internal::ParseBody<FlagRaised>(body, [](FieldReader& r, FlagRaised& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("flag_id", e.flag_id));
    FUPIN_ASSIGN_OR_RETURN(const boost::json::value* rule, r.Require("rule"));
    std::string_view rule_id;
    FUPIN_RETURN_IF_ERROR(internal::ReadString(*rule, r.path().Member("rule"), rule_id));
    if (!IsRuleId(rule_id)) return InvalidField(r.path().Member("rule"), "must be FP-nn");
    e.rule.assign(rule_id);
    FUPIN_RETURN_IF_ERROR(r.Enum("severity", internal::kFlagSeverities, e.severity));
    FUPIN_ASSIGN_OR_RETURN(const boost::json::value* subject, r.Require("subject"));
    std::string_view subject_text;
    FUPIN_RETURN_IF_ERROR(internal::ReadString(*subject, r.path().Member("subject"), subject_text));
    if (!IsSubject(subject_text)) {
      return InvalidField(r.path().Member("subject"), "must be \"kind:id\"");
    }
    e.subject.assign(subject_text);
    FUPIN_RETURN_IF_ERROR(r.RegionCode("region", e.region));
    // Decision: evidence may be empty, because absence rules (FP-14 zombie
    // counter) fire on what did not happen; seqs are non-negative.
    const boost::json::array* evidence = nullptr;
    FUPIN_RETURN_IF_ERROR(r.Array("evidence", evidence));
    const FieldPath evidence_at = r.path().Member("evidence");
    e.evidence.resize(evidence->size());
    for (std::size_t i = 0; i < evidence->size(); ++i) {
      FUPIN_RETURN_IF_ERROR(
          internal::ReadInteger((*evidence)[i], evidence_at.Index(i), 0, e.evidence[i]));
    }
    FUPIN_RETURN_IF_ERROR(r.Note("summary", e.summary));
    const boost::json::object* details = nullptr;
    FUPIN_RETURN_IF_ERROR(r.Object("details", details));
    e.details = *details;
    return Status::Ok();
  });
}

Result<FlagResolved> ParseFlagResolved(const boost::json::object& body) {
  return internal::ParseBody<FlagResolved>(body, [](FieldReader& r, FlagResolved& e) {
    FUPIN_RETURN_IF_ERROR(r.Id("flag_id", e.flag_id));
    FUPIN_RETURN_IF_ERROR(r.Enum("resolution", internal::kFlagResolutions, e.resolution));
    // Decision: the note is required and non-empty; a supervisor's
    // confirmation or dismissal without a reason is exactly what an audit
    // of the supervision itself would question.
    return r.Note("note", e.note);
  });
}

}  // namespace fupin
