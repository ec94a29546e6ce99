// `submit`: posts signed events (JSON lines on stdin) to a ledger server in
// batches, safely retried (event ids make appends idempotent); the posting
// itself is cli/event_submitter.h's.
#include <iostream>

#include "cli/command.h"
#include "cli/event_submitter.h"

namespace fupin::cli {
namespace {

boost::json::object SummaryJson(const SubmitSummary& summary) {
  boost::json::array rejected;
  for (const SubmitRejection& r : summary.rejected) {
    rejected.push_back({{"line", r.number}, {"code", r.code}, {"detail", r.detail}});
  }
  return {{"lines", summary.events},
          {"appended", summary.appended},
          {"duplicates", summary.duplicates},
          {"rejected", std::move(rejected)},
          {"tree_size", summary.tree_size}};
}

}  // namespace

void AddSubmitCommand(CLI::App& app, CommandContext& context) {
  struct Options {
    SubmitTarget target;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("submit",
                         "Post signed events (JSON lines on stdin) to a ledger server in batches. "
                         "Retries are safe: the same event id is acknowledged as a duplicate. "
                         "Events the server refuses are reported with their line and reason; "
                         "the others are still submitted. Exit 1 when any event was refused.");
  cmd->add_option("--url", options->target.url,
                  "Server base URL, e.g. http://127.0.0.1:8080 or https://ledger.example:8443")
      ->required();
  cmd->add_option("--cacert", options->target.cacert,
                  "PEM certificates to trust for an https URL instead of the system's CA store "
                  "(a server with a self-signed certificate)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--token", options->target.token, "Bearer token sent with each request");
  cmd->add_option("--batch", options->target.batch, "Events per request (1-1000)")
      ->check(CLI::Range(std::size_t{1}, kMaxSubmitBatch))
      ->capture_default_str();
  cmd->add_option("--retries", options->target.retries,
                  "Retries of a request on network or 5xx errors")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Machine-readable output (the summary is always JSON)");
  cmd->callback([options, &context] {
    Result<std::unique_ptr<EventSubmitter>> submitter =
        EventSubmitter::Create(options->target, /*progress=*/true);
    if (!submitter.ok()) {
      context.exit_code = ReportFailure("submit", submitter.status(), options->json);
      return;
    }
    std::string text;
    std::size_t number = 0;
    Status sent = Status::Ok();
    while (sent.ok() && std::getline(std::cin, text)) {
      ++number;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      sent = (*submitter)->Add(number, std::move(text));
    }
    if (sent.ok()) sent = (*submitter)->Finish();
    PrintJson(SummaryJson((*submitter)->summary()));
    if (!sent.ok()) {
      context.exit_code = ReportFailure("submit", sent, options->json);
      return;
    }
    context.exit_code = (*submitter)->summary().rejected.empty() ? kExitOk : kExitProblem;
  });
}

}  // namespace fupin::cli
