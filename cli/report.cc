// `report template` and `report import`: the 市州's official form (附件统计表)
// out as a blank template, and back in, filled, as one signed
// report.submitted (docs/intake.md).
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "cli/event_submitter.h"
#include "cli/report_intake.h"
#include "cli/statistics_source.h"
#include "generator/params.h"
#include "generator/regions.h"
#include "intake/report_form.h"
#include "ledger/event_key.h"
#include "ledger/file_io.h"
#include "projections/official_form.h"

namespace fupin::cli {
namespace {

struct TemplateOptions {
  std::string campaign;
  std::string region;
  std::string out;
  std::string format = "xlsx";
  std::string data;
  bool json = false;
};

struct ImportOptions {
  std::string file;
  std::string campaign;
  std::string region;
  std::string key;
  std::string key_id;
  std::string url;
  std::string cacert;
  std::string occurred_at;
  bool json = false;
};

// The campaign's name and last day: from the ledger in --data, or, without
// it, the generated Hunan campaign the demo runs.
Result<std::pair<std::string, std::string>> CampaignNameAndEnd(const TemplateOptions& options) {
  if (!options.data.empty()) {
    FUPIN_ASSIGN_OR_RETURN(projections::StatisticsTable table,
                           LoadStatisticsTable(options.data, options.campaign, std::nullopt,
                                               /*rebuild=*/false));
    return std::make_pair(table.campaign_name, table.ends_on);
  }
  if (options.campaign == generator::kCampaignId) {
    return std::make_pair(std::string(generator::kCampaignName), std::string(generator::kEndsOn));
  }
  return Status(ErrorCode::kInvalidArgument,
                "campaign " + options.campaign +
                    " is not the built-in one: give --data DIR so its name and dates are read "
                    "from the ledger");
}

Status RunTemplate(const TemplateOptions& options) {
  FUPIN_ASSIGN_OR_RETURN(auto campaign, CampaignNameAndEnd(options));
  FUPIN_ASSIGN_OR_RETURN(generator::RegionTable regions, generator::RegionTable::Hunan());
  FUPIN_ASSIGN_OR_RETURN(
      projections::OfficialForm form,
      intake::ReportTemplate(campaign.first, campaign.second, options.region, regions));
  std::string bytes;
  if (options.format == "csv") {
    bytes = projections::RenderFormCsv(form);
  } else {
    FUPIN_ASSIGN_OR_RETURN(bytes, projections::RenderFormXlsx(form));
  }
  FUPIN_RETURN_IF_ERROR(WriteFileDurably(options.out, bytes));
  if (options.json) {
    PrintJson({{"out", options.out},
               {"format", options.format},
               {"campaign", options.campaign},
               {"region", options.region},
               {"rows", form.rows.size()},
               {"bytes", bytes.size()}});
  } else {
    std::cerr << "wrote the blank form of " << options.region << " (" << form.rows.size()
              << " rows) to " << options.out << '\n';
  }
  return Status::Ok();
}

// Every bad cell on stderr (and as JSON with --json); exit 2.
int ReportFormErrors(const std::vector<intake::FormError>& errors, const ImportOptions& options) {
  std::cerr << "fupin-ledger report import: " << options.file << ": " << errors.size()
            << (errors.size() == 1 ? " error" : " errors") << "; nothing was signed or sent\n";
  for (const intake::FormError& error : errors) {
    std::cerr << "  " << intake::FormErrorText(error) << '\n';
  }
  if (options.json) {
    boost::json::array list;
    for (const intake::FormError& error : errors) list.push_back(intake::FormErrorJson(error));
    PrintJson({{"error",
                {{"code", "invalid_form"},
                 {"message", std::to_string(errors.size()) + " bad cells in " + options.file},
                 {"errors", std::move(list)}}}});
  }
  return kExitUsage;
}

int RunImport(const ImportOptions& options) {
  Result<std::string> bytes = ReadFileBytes(options.file);
  if (!bytes.ok()) return ReportFailure("report import", bytes.status(), options.json);
  Result<generator::RegionTable> regions = generator::RegionTable::Hunan();
  if (!regions.ok()) return ReportFailure("report import", regions.status(), options.json);
  Result<intake::FormReading> reading =
      intake::ReadReportForm(*bytes, options.campaign, options.region, *regions);
  if (!reading.ok()) return ReportFailure("report import", reading.status(), options.json);
  if (!reading->errors.empty()) return ReportFormErrors(reading->errors, options);
  Result<crypto::EventSigningKey> key = crypto::EventSigningKey::ReadPemFile(options.key);
  if (!key.ok()) return ReportFailure("report import", key.status(), options.json);
  Result<std::string> event =
      SignReportEvent(*reading->form, *key, options.key_id, options.occurred_at);
  if (!event.ok()) return ReportFailure("report import", event.status(), options.json);
  if (options.url.empty()) {
    std::cout << *event << '\n' << std::flush;
    std::cerr << "signed the report of " << options.region << " (" << reading->form->rows.size()
              << " rows, read from " << reading->form->format << ")\n";
    return kExitOk;
  }
  SubmitTarget target;
  target.url = options.url;
  target.cacert = options.cacert;
  Result<SubmitSummary> submitted = SubmitSignedEvents(target, {*event}, /*progress=*/false);
  if (!submitted.ok()) return ReportFailure("report import", submitted.status(), options.json);
  if (!submitted->rejected.empty()) {
    const SubmitRejection& refused = submitted->rejected[0];
    std::cerr << "fupin-ledger report import: the ledger refused the report of " << options.region
              << ": " << refused.code << ": " << refused.detail << '\n';
    if (options.json) {
      PrintJson({{"error", {{"code", refused.code}, {"message", refused.detail}}}});
    }
    return kExitProblem;
  }
  if (options.json) {
    PrintJson({{"region", options.region},
               {"campaign", options.campaign},
               {"rows", reading->form->rows.size()},
               {"appended", submitted->appended},
               {"duplicates", submitted->duplicates},
               {"tree_size", submitted->tree_size}});
  } else {
    std::cerr << "submitted the report of " << options.region << " (" << reading->form->rows.size()
              << " rows); the log now holds " << submitted->tree_size << " records\n";
  }
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, CommandContext& context) {
  CLI::App* report = app.add_subcommand(
      "report",
      "The 市州's official form (附件统计表): a blank template, and a filled one "
      "read back, checked cell by cell and signed as report.submitted");
  report->require_subcommand(1);

  auto template_options = std::make_shared<TemplateOptions>();
  CLI::App* make = report->add_subcommand(
      "template",
      "Write the blank official form of a 市州: title, the eleven columns with their units, "
      "合计 for the 市州 and one row per 县市区 with name and 区划代码 filled in, the 备注 line");
  make->add_option("--campaign", template_options->campaign, "Campaign id")->required();
  make->add_option("--region", template_options->region, "The 市州's 6-digit code")->required();
  make->add_option("--out", template_options->out, "The file to write")->required();
  make->add_option("--format", template_options->format, "xlsx or csv (UTF-8 with BOM)")
      ->check(CLI::IsMember({"xlsx", "csv"}))
      ->capture_default_str();
  make->add_option("--data", template_options->data,
                   "Read the campaign's name and dates from this ledger (read-only); without "
                   "it only the built-in campaign " +
                       std::string(generator::kCampaignId) + " is known");
  make->add_flag("--json", template_options->json, "A JSON summary on stdout, JSON errors");
  make->callback([template_options, &context] {
    Status done = RunTemplate(*template_options);
    if (!done.ok()) {
      context.exit_code = ReportFailure("report template", done, template_options->json);
    }
  });

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* import = report->add_subcommand(
      "import",
      "Read a filled official form (.xlsx or .csv in UTF-8 or GBK), check every cell and "
      "sign it as one report.submitted: printed on stdout, or submitted with --url. Any bad "
      "cell: exit 2, every bad cell listed (sheet, row, column, reason), nothing signed or "
      "sent");
  import->add_option("--file", import_options->file, "The filled form")->required();
  import->add_option("--campaign", import_options->campaign, "Campaign id")->required();
  import->add_option("--region", import_options->region, "The 市州's 6-digit code")->required();
  import
      ->add_option("--key", import_options->key,
                   "The reporter's PKCS#8 PEM private key (Ed25519 or SM2)")
      ->required();
  import->add_option("--key-id", import_options->key_id, "The key's registered id")->required();
  import->add_option("--url", import_options->url, "Submit to this ledger server");
  import->add_option("--cacert", import_options->cacert,
                     "PEM certificates to trust for an https --url");
  import->add_option("--occurred-at", import_options->occurred_at,
                     "The report's occurred_at (RFC 3339; default: now, +08:00)");
  import->add_flag("--json", import_options->json, "A JSON summary on stdout, JSON errors");
  import->callback([import_options, &context] { context.exit_code = RunImport(*import_options);
});
}  // namespace fupin::cli

}  // namespace fupin::cli
