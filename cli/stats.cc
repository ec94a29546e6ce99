// `stats`: the 附件统计表 of a campaign from a data directory, offline, as
// JSON (SPEC §3), CSV or XLSX, as of any seq.
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/statistics_source.h"
#include "projections/statistics_format.h"
#include "projections/statistics_table.h"

namespace fupin::cli {
namespace {

struct StatsOptions {
  std::string data;
  std::string campaign;
  std::optional<uint64_t> as_of;
  uint64_t as_of_seq = 0;  // --as-of as parsed; as_of is set when given
  std::string region;
  std::string level;
  std::string format = "json";
  std::string out;
  bool rebuild = false;
  bool json = false;
};

Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status(ErrorCode::kIoError, "cannot write " + path);
  return Status::Ok();
}

// Everything but printing: the table, rendered.
Result<std::string> Render(const StatsOptions& options, projections::StatsFormat format,
                           uint64_t& as_of, std::size_t& rows) {
  std::optional<RegionLevel> level;
  if (!options.level.empty()) {
    level = projections::ParseRegionLevel(options.level);
    if (!level) {
      return Status(ErrorCode::kInvalidArgument,
                    "--level must be province, prefecture or county, not " + options.level);
    }
  }
  FUPIN_ASSIGN_OR_RETURN(
      projections::StatisticsTable table,
      LoadStatisticsTable(options.data, options.campaign, options.as_of, options.rebuild));
  FUPIN_ASSIGN_OR_RETURN(projections::StatisticsTable filtered,
                         projections::FilterRows(std::move(table), {options.region, level}));
  as_of = filtered.as_of;
  rows = filtered.rows.size();
  return projections::RenderStatistics(filtered, format);
}

void RunStats(const StatsOptions& options, CommandContext& context) {
  std::optional<projections::StatsFormat> format = projections::ParseStatsFormat(options.format);
  if (!format) {
    context.exit_code =
        ReportFailure("stats",
                      Status(ErrorCode::kInvalidArgument,
                             "--format must be json, csv or xlsx, not " + options.format),
                      options.json);
    return;
  }
  if (*format == projections::StatsFormat::kXlsx && options.out.empty() &&
      isatty(STDOUT_FILENO) == 1) {
    context.exit_code = ReportFailure(
        "stats", Status(ErrorCode::kInvalidArgument, "xlsx is binary: give --out FILE"),
        options.json);
    return;
  }
  uint64_t as_of = 0;
  std::size_t rows = 0;
  Result<std::string> rendered = Render(options, *format, as_of, rows);
  if (!rendered.ok()) {
    context.exit_code = ReportFailure("stats", rendered.status(), options.json);
    return;
  }
  if (options.out.empty()) {
    std::cout << *rendered;
    if (*format == projections::StatsFormat::kJson) std::cout << '\n';
    std::cout << std::flush;
    return;
  }
  Status written = WriteFile(options.out, *rendered);
  if (!written.ok()) {
    context.exit_code = ReportFailure("stats", written, options.json);
    return;
  }
  if (options.json) {
    PrintJson({{"out", options.out},
               {"format", options.format},
               {"campaign", options.campaign},
               {"as_of", as_of},
               {"rows", rows},
               {"bytes", rendered->size()}});
  } else {
    std::cerr << "wrote " << rows << " rows as of seq " << as_of << " to " << options.out << '\n';
  }
}

}  // namespace

void AddStatsCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<StatsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "stats",
      "The statistics table (附件统计表, SPEC §3) of a campaign, from a data directory. "
      "Opens the store read-only (RocksDB read-only mode, no lock), so it also works while "
      "a server runs on the directory; it then sees the log as of the moment it opened. "
      "Starts from the stored projection state or snapshot nearest --as-of and folds the "
      "rest in memory; nothing is written.");
  cmd->add_option("--data", options->data, "Data directory of the ledger")->required();
  cmd->add_option("--campaign", options->campaign, "Campaign id (campaign.defined)")->required();
  CLI::Option* as_of = cmd->add_option("--as-of", options->as_of_seq,
                                       "Figures as of this seq (default: the last record)");
  cmd->add_option("--region", options->region,
                  "Only this region and the regions below it (a 6-digit code)");
  cmd->add_option("--level", options->level, "Only rows of this level")
      ->check(CLI::IsMember({"province", "prefecture", "county"}));
  cmd->add_option("--format", options->format, "json (SPEC §3), csv (UTF-8 with BOM) or xlsx")
      ->check(CLI::IsMember({"json", "csv", "xlsx"}))
      ->capture_default_str();
  cmd->add_option("--out", options->out, "Write the table to this file instead of stdout");
  cmd->add_flag("--rebuild", options->rebuild,
                "Ignore stored projection state and fold from seq 0 (shows progress on a "
                "terminal)");
  cmd->add_flag("--json", options->json,
                "Machine-readable messages: a JSON summary with --out, JSON errors");
  cmd->callback([options, as_of, &context] {
    if (as_of->count() > 0) options->as_of = options->as_of_seq;
    RunStats(*options, context);
  });
}

}  // namespace fupin::cli
