// `import sales`: a platform's sales export (CSV, UTF-8 or GBK) and its map
// to signed `sale.recorded` events, on stdout or submitted (docs/intake.md,
// "## import sales"). A file with a bad row is refused whole, every bad
// cell named, unless --skip-bad-rows leaves those rows out.
#include <boost/json/serialize.hpp>
#include <iostream>
#include <map>

#include "cli/command.h"
#include "cli/event_submitter.h"
#include "cli/progress.h"
#include "intake/csv_reader.h"
#include "intake/sales_import.h"
#include "intake/text_encoding.h"
#include "ledger/file_io.h"

namespace fupin::cli {
namespace {

inline constexpr std::string_view kCommand = "import sales";

struct ImportOptions {
  std::string file;
  std::string map;
  std::string key;
  std::string key_id;
  SubmitTarget target;  // its url empty: the events go to stdout
  bool skip_bad_rows = false;
  bool json = false;
};

// The file read as far as rows: what the command knows before signing.
struct ReadExport {
  intake::TextEncoding encoding = intake::TextEncoding::kUtf8;
  intake::SalesMap map;
  intake::SalesConversion conversion;
};

Result<ReadExport> ReadAndConvert(const ImportOptions& options) {
  ReadExport out;
  FUPIN_ASSIGN_OR_RETURN(std::string map_text, ReadFileBytes(options.map));
  Result<intake::SalesMap> map = intake::ParseSalesMap(map_text);
  if (!map.ok()) return map.status().WithContext(options.map);
  out.map = std::move(map).value();
  FUPIN_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(options.file));
  Result<intake::DecodedText> text = intake::DecodeText(bytes);
  if (!text.ok()) return text.status().WithContext(options.file);
  out.encoding = text->encoding;
  Result<std::vector<intake::CsvRow>> rows = intake::ParseCsv(text->utf8);
  if (!rows.ok()) return rows.status().WithContext(options.file);
  Result<intake::SalesConversion> conversion = intake::ConvertSales(*rows, out.map);
  if (!conversion.ok()) return conversion.status().WithContext(options.file);
  out.conversion = std::move(conversion).value();
  return out;
}

boost::json::array ErrorsJson(const std::vector<intake::RowError>& errors) {
  boost::json::array out;
  for (const intake::RowError& e : errors) {
    out.push_back(
        {{"line", e.line}, {"column", e.column}, {"value", e.value}, {"reason", e.reason}});
  }
  return out;
}

// One line per problem on stderr, for the person fixing the file.
void PrintRowErrors(const std::string& file, const std::vector<intake::RowError>& errors) {
  for (const intake::RowError& e : errors) {
    std::cerr << "fupin-ledger " << kCommand << ": " << file << " line " << e.line;
    if (!e.column.empty()) {
      std::cerr << ", column \"" << e.column << "\", value \"" << e.value << "\"";
    }
    std::cerr << ": " << e.reason << '\n';
  }
}

boost::json::object SummaryJson(const ImportOptions& options, const ReadExport& read) {
  return {{"file", options.file},
          {"encoding", intake::TextEncodingName(read.encoding)},
          {"platform", read.map.platform},
          {"rows", read.conversion.rows},
          {"bad_rows", read.conversion.bad_rows}};
}

void PrintJsonTo(std::ostream& out, const boost::json::object& object) {
  out << boost::json::serialize(object) << '\n' << std::flush;
}

// The refusal: every problem, then the summary as the last line of stderr;
// stdout stays empty.
int Refuse(const ImportOptions& options, const ReadExport& read) {
  const intake::SalesConversion& c = read.conversion;
  PrintRowErrors(options.file, c.errors);
  const std::string message = std::to_string(c.bad_rows) + " of " + std::to_string(c.rows) +
                              " rows are bad; nothing was signed (--skip-bad-rows leaves them "
                              "out)";
  std::cerr << "fupin-ledger " << kCommand << ": " << message << '\n';
  boost::json::object summary = SummaryJson(options, read);
  summary["error"] = {{"code", ErrorCodeName(ErrorCode::kInvalidField)}, {"message", message}};
  summary["errors"] = ErrorsJson(c.errors);
  PrintJsonTo(std::cerr, summary);
  return kExitUsage;
}

int Submit(const ImportOptions& options, const std::vector<intake::SignedSale>& sales,
           boost::json::object summary) {
  std::vector<std::string> events;
  std::map<std::size_t, std::size_t> line_of;  // position (1-based) -> CSV line
  for (const intake::SignedSale& sale : sales) {
    events.push_back(sale.canonical);
    line_of[events.size()] = sale.line;
  }
  Result<SubmitSummary> submitted = SubmitSignedEvents(options.target, std::move(events), true);
  if (!submitted.ok()) return ReportFailure(kCommand, submitted.status(), false);
  boost::json::array rejected;
  for (const SubmitRejection& r : submitted->rejected) {
    rejected.push_back({{"line", line_of[r.number]}, {"code", r.code}, {"detail", r.detail}});
    std::cerr << "fupin-ledger " << kCommand << ": " << options.file << " line "
              << line_of[r.number] << ": refused by the ledger: " << r.code << ": " << r.detail
              << '\n';
  }
  summary["appended"] = submitted->appended;
  summary["duplicates"] = submitted->duplicates;
  summary["rejected"] = std::move(rejected);
  summary["tree_size"] = submitted->tree_size;
  PrintJsonTo(std::cout, summary);
  return submitted->rejected.empty() ? kExitOk : kExitProblem;
}

int RunImportSales(const ImportOptions& options) {
  Result<crypto::EventSigningKey> key = crypto::EventSigningKey::ReadPemFile(options.key);
  if (!key.ok()) return ReportFailure(kCommand, key.status().WithContext(options.key), false);
  Result<ReadExport> read = ReadAndConvert(options);
  if (!read.ok()) return ReportFailure(kCommand, read.status(), false);
  const intake::SalesConversion& c = read->conversion;
  if (!c.errors.empty() && !options.skip_bad_rows) return Refuse(options, *read);
  PrintRowErrors(options.file, c.errors);

  Result<std::vector<intake::SignedSale>> sales = [&] {
    ProgressMeter meter("import sales: signing");
    return intake::SignSales(c.sales, *key, options.key_id,
                             [&meter](std::size_t done, std::size_t total) { meter(done, total); });
  }();
  if (!sales.ok()) return ReportFailure(kCommand, sales.status(), false);

  boost::json::object summary = SummaryJson(options, *read);
  summary["signed"] = sales->size();
  summary["left_out"] = ErrorsJson(c.errors);
  if (!options.target.url.empty()) return Submit(options, *sales, std::move(summary));
  std::string out;
  for (const intake::SignedSale& sale : *sales) out += sale.canonical + '\n';
  std::cout << out << std::flush;
  PrintJsonTo(std::cerr, summary);
  return kExitOk;
}

}  // namespace

void AddImportCommand(CLI::App& app, CommandContext& context) {
  CLI::App* cmd = app.add_subcommand(
      "import", "Bring exports people already have into the ledger as signed events");
  cmd->require_subcommand(1);
  auto options = std::make_shared<ImportOptions>();
  CLI::App* sales = cmd->add_subcommand(
      "sales",
      "A platform's sales export (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030) to signed "
      "sale.recorded events, as JSON lines on stdout or submitted with --url. Event ids derive "
      "from the platform and its order numbers, so importing a file again is harmless. Any bad "
      "row: every problem is listed (line, column, value, reason) on stderr, exit 2, nothing "
      "signed; --skip-bad-rows leaves those rows out instead. Exit 1 when the ledger refused "
      "an event (--url).");
  sales->add_option("--file", options->file, "The platform's export (CSV)")
      ->required()
      ->check(CLI::ExistingFile);
  sales->add_option("--map", options->map, "The export's map (JSON, docs/intake.md)")
      ->required()
      ->check(CLI::ExistingFile);
  sales
      ->add_option("--key", options->key,
                   "The operator's PKCS#8 PEM private key file (Ed25519 or SM2)")
      ->required();
  sales->add_option("--key-id", options->key_id, "The key's registered id")->required();
  sales->add_option("--url", options->target.url,
                    "Submit to this ledger server (e.g. http://127.0.0.1:8080) instead of "
                    "printing the events; the summary is then JSON on stdout");
  sales->add_option("--token", options->target.token, "Bearer token sent with each request");
  sales
      ->add_option("--cacert", options->target.cacert,
                   "PEM certificates to trust for an https URL instead of the system's CA store")
      ->check(CLI::ExistingFile);
  sales->add_flag("--skip-bad-rows", options->skip_bad_rows,
                  "Sign the good rows and list the bad ones left out (stderr and the summary)");
  // SPEC §5: every subcommand takes --json; this one's summary always is.
  sales->add_flag("--json", options->json,
                  "Accepted for every command's sake: the summary is always JSON (stdout with "
                  "--url, else the last line of stderr)");
  sales->callback([options, &context] { context.exit_code = RunImportSales(*options); });
}

}  // namespace fupin::cli
