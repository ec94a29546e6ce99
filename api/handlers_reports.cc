// The 市州's official form and the province's review of the reports:
//   POST /v1/reports/parse     a filled form read and checked, nothing written
//   GET  /v1/reports/template  the blank form of a 市州
//   GET  /v1/reports           every 市州's latest report against the ledger
// The form is read by intake/report_form.h, the same reader as `report
// import`, so the page and the command give the same errors.
#include <boost/json/serialize.hpp>

#include "api/handlers.h"
#include "api/problem.h"
#include "api/projection_wait.h"
#include "api/response.h"
#include "generator/regions.h"
#include "intake/report_form.h"
#include "ledger/entity_state.h"
#include "projections/official_form.h"
#include "projections/report_review.h"
#include "projections/statistics_format.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;
namespace pj = projections;

inline constexpr std::string_view kInvalidFormCode = "invalid_form";
// Enough FP-15 flags to cover one per report of every 市州 many times over.
inline constexpr std::size_t kReportFlagScan = 100'000;

// The compiled-in GB/T 2260 table, parsed once.
const Result<generator::RegionTable>& Regions() {
  static const Result<generator::RegionTable> regions = generator::RegionTable::Hunan();
  return regions;
}

// The caller's region scope must cover the 市州 it reads or writes for.
Status CheckScope(const Call& call, const std::string& region) {
  if (call.principal == nullptr || call.principal->regions.empty() ||
      ScopeCovers(call.principal->regions, region)) {
    return Status::Ok();
  }
  return Status(ErrorCode::kPermissionDenied,
                "the token's region scope does not cover region " + region);
}

// The campaign's table at head (waiting for the projections to fold what
// was committed before the request); kNotFound for an unknown campaign.
Result<pj::StatisticsTable> CampaignTable(const Call& call, const std::string& campaign) {
  WaitForProjections(call.state);
  return call.state.projections->Statistics(campaign, std::nullopt);
}

bj::object ReadRowJson(const intake::ReportFormRow& row) {
  bj::object out{{"region", row.region}, {"name", row.name}};
  for (std::size_t i = 0; i < pj::kFigureCount; ++i) out[pj::kFigureFields[i]] = row.figures[i];
  out["sales_wan_yuan"] = pj::FormatWanYuan(row.figures[pj::kSalesFigure]);
  return out;
}

Response InvalidForm(const Request& request, const std::vector<intake::FormError>& errors) {
  bj::object problem =
      ProblemObject(422, kInvalidFormCode,
                    std::to_string(errors.size()) + " 处错误：" + intake::FormErrorText(errors[0]));
  bj::array list;
  for (const intake::FormError& error : errors) list.push_back(intake::FormErrorJson(error));
  problem["errors"] = std::move(list);
  return MakeResponse(request, http::status::unprocessable_entity, kProblemContentType,
                      bj::serialize(problem));
}

// The report's envelope members for the review: id, key, occurred_at.
void ReadEnvelope(const Ledger& ledger, pj::ReviewedReport& report) {
  Result<StoredRecord> record = ledger.ReadRecord(report.seq);
  if (!record.ok()) return;
  Result<bj::object> event = StoredEvent(*record);
  if (!event.ok()) return;
  auto text = [&](std::string_view name) {
    const bj::value* v = event->if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  report.event_id = text("id");
  report.key = text("key");
  report.occurred_at = text("occurred_at");
}

}  // namespace

// campaign, region (required); body: the file (.xlsx or .csv).
Response ParseReportForm(const Call& call) {
  if (Status params = CheckParams(call.target, {"campaign", "region"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<std::string> campaign = RequiredParam(call.target, "campaign");
  if (!campaign.ok()) return ProblemResponse(call.request, campaign.status());
  Result<std::string> region = RequiredParam(call.target, "region");
  if (!region.ok()) return ProblemResponse(call.request, region.status());
  if (Status scope = CheckScope(call, *region); !scope.ok()) {
    return ProblemResponse(call.request, scope);
  }
  if (Result<pj::StatisticsTable> table = CampaignTable(call, *campaign); !table.ok()) {
    return ProblemResponse(call.request, table.status());
  }
  if (!Regions().ok()) return ProblemResponse(call.request, Regions().status());
  Result<intake::FormReading> reading =
      intake::ReadReportForm(call.request.body(), *campaign, *region, *Regions());
  if (!reading.ok()) return ProblemResponse(call.request, reading.status());
  if (!reading->errors.empty()) return InvalidForm(call.request, reading->errors);
  const intake::ReportForm& form = *reading->form;
  bj::array rows;
  for (const intake::ReportFormRow& row : form.rows) rows.push_back(ReadRowJson(row));
  bj::object answer{{"campaign_id", form.campaign_id},
                    {"region", form.region},
                    {"format", form.format},
                    {"rows", std::move(rows)},
                    {"body", intake::ReportBodyJson(form)}};
  return JsonResponse(call.request, http::status::ok, bj::serialize(answer));
}

// campaign, region (required), format=xlsx|csv.
Response GetReportTemplate(const Call& call) {
  if (Status params = CheckParams(call.target, {"campaign", "region", "format"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<std::string> campaign = RequiredParam(call.target, "campaign");
  if (!campaign.ok()) return ProblemResponse(call.request, campaign.status());
  Result<std::string> region = RequiredParam(call.target, "region");
  if (!region.ok()) return ProblemResponse(call.request, region.status());
  const std::string format(Param(call.target, "format").value_or("xlsx"));
  if (format != "xlsx" && format != "csv") {
    return ProblemResponse(
        call.request,
        Status(ErrorCode::kInvalidArgument, "format must be xlsx or csv, not \"" + format + "\""));
  }
  Result<pj::StatisticsTable> table = CampaignTable(call, *campaign);
  if (!table.ok()) return ProblemResponse(call.request, table.status());
  if (!Regions().ok()) return ProblemResponse(call.request, Regions().status());
  Result<pj::OfficialForm> form =
      intake::ReportTemplate(table->campaign_name, table->ends_on, *region, *Regions());
  if (!form.ok()) return ProblemResponse(call.request, form.status());
  Result<std::string> bytes =
      format == "csv" ? Result<std::string>(pj::RenderFormCsv(*form)) : pj::RenderFormXlsx(*form);
  if (!bytes.ok()) return ProblemResponse(call.request, bytes.status());
  Response response = MakeResponse(
      call.request, http::status::ok,
      pj::StatsContentType(format == "csv" ? pj::StatsFormat::kCsv : pj::StatsFormat::kXlsx),
      std::move(bytes).value());
  response.set(
      http::field::content_disposition,
      "attachment; filename=\"report-template-" + *campaign + "-" + *region + "." + format + "\"");
  return response;
}

// campaign (required), format=json|xlsx.
Response ListReports(const Call& call) {
  if (Status params = CheckParams(call.target, {"campaign", "format"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  Result<std::string> campaign = RequiredParam(call.target, "campaign");
  if (!campaign.ok()) return ProblemResponse(call.request, campaign.status());
  const std::string format(Param(call.target, "format").value_or("json"));
  if (format != "json" && format != "xlsx") {
    return ProblemResponse(
        call.request,
        Status(ErrorCode::kInvalidArgument, "format must be json or xlsx, not \"" + format + "\""));
  }
  Result<pj::StatisticsTable> table = CampaignTable(call, *campaign);
  if (!table.ok()) return ProblemResponse(call.request, table.status());
  Result<std::vector<pj::ReportReconciliation>> all =
      call.state.projections->Reconciliations(*campaign, std::nullopt);
  if (!all.ok()) return ProblemResponse(call.request, all.status());

  pj::ReportReview review;
  review.campaign_id = *campaign;
  review.campaign_name = table->campaign_name;
  review.as_of = table->as_of;
  review.tolerance_bp = call.state.report_tolerance_bp;
  for (const pj::StatisticsRow& row : table->rows) review.names[row.region] = row.name;
  // FP-15 flags by the report seq they cite.
  std::map<uint64_t, std::string> flags;
  if (call.state.rules != nullptr) {
    call.state.rules->Read([&](const rules::RuleEngine& engine, const rules::FlagBook& book) {
      rules::FlagQuery query;
      query.rule = "FP-15";
      query.limit = kReportFlagScan;
      for (const rules::FlagEntry* entry : book.List(query).flags) {
        for (int64_t seq : entry->raised.evidence) {
          flags[static_cast<uint64_t>(seq)] = entry->raised.flag_id;
        }
        // A 市州's later mismatching reports join its open flag's evidence
        // rather than raising a new flag.
        auto track = engine.flags().find(entry->raised.flag_id);
        if (track == engine.flags().end()) continue;
        for (uint64_t seq : track->second.extra_evidence) flags[seq] = entry->raised.flag_id;
      }
    });
  }
  for (pj::ReportReconciliation& reconciled : pj::LatestPerRegion(std::move(all).value())) {
    if (call.principal != nullptr && !call.principal->regions.empty() &&
        !ScopeCovers(call.principal->regions, reconciled.region)) {
      continue;  // a 市州 auditor reviews its own report only
    }
    pj::ReviewedReport report;
    report.region = reconciled.region;
    report.seq = reconciled.seq;
    report.rows = std::move(reconciled.rows);
    if (auto flag = flags.find(report.seq); flag != flags.end()) report.flag_id = flag->second;
    ReadEnvelope(call.state.ledger, report);
    review.reports.push_back(std::move(report));
  }
  if (format == "json") {
    return JsonResponse(call.request, http::status::ok,
                        bj::serialize(pj::ReportReviewJson(review)));
  }
  Result<std::string> bytes = pj::RenderReportReviewXlsx(review);
  if (!bytes.ok()) return ProblemResponse(call.request, bytes.status());
  Response response =
      MakeResponse(call.request, http::status::ok, pj::StatsContentType(pj::StatsFormat::kXlsx),
                   std::move(bytes).value());
  response.set(http::field::content_disposition, "attachment; filename=\"reports-" + *campaign +
                                                     "-" + std::to_string(review.as_of) +
                                                     ".xlsx\"");
  return response;
}

}  // namespace fupin::api
