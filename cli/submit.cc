// `submit`: posts signed events (JSON lines on stdin) to a ledger server in
// batches, safely retried (event ids make appends idempotent).
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "api/client.h"
#include "cli/command.h"

namespace fupin::cli {
namespace {

// SPEC §5: the server takes at most 1000 events per request.
inline constexpr std::size_t kMaxBatch = 1000;

struct Line {
  std::size_t number = 0;  // 1-based line number on stdin
  std::string text;
};

struct Rejection {
  std::size_t line = 0;
  std::string code;
  std::string detail;
};

struct Summary {
  std::size_t lines = 0;
  std::size_t appended = 0;
  std::size_t duplicates = 0;
  std::vector<Rejection> rejected;
  uint64_t tree_size = 0;
};

std::string BatchBody(const std::vector<Line>& batch) {
  std::string body = "{\"events\":[";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i > 0) body += ',';
    body += batch[i].text;
  }
  body += "]}";
  return body;
}

class Submitter {
 public:
  Submitter(api::HttpClient& client, int retries, bool progress)
      : client_(client), retries_(retries), progress_(progress) {}

  // Submits one batch; events refused by the server are recorded and the
  // rest resubmitted, so one bad line never blocks its neighbours.
  Status Submit(std::vector<Line> batch) {
    while (!batch.empty()) {
      FUPIN_ASSIGN_OR_RETURN(api::ClientResponse response, PostWithRetries(BatchBody(batch)));
      boost::system::error_code ec;
      boost::json::value parsed = boost::json::parse(response.body, ec);
      const boost::json::object* object = ec ? nullptr : parsed.if_object();
      if (response.status == 200 || response.status == 201) {
        if (object == nullptr) return Status(ErrorCode::kIoError, "unreadable server answer");
        Count(*object);
        break;
      }
      if (response.status == 413 && batch.size() > 1) {
        std::vector<Line> tail(batch.begin() + batch.size() / 2, batch.end());
        batch.resize(batch.size() / 2);
        FUPIN_RETURN_IF_ERROR(Submit(std::move(tail)));
        continue;
      }
      std::string code = "http_" + std::to_string(response.status);
      std::string detail = response.body;
      std::optional<std::size_t> index;
      if (object != nullptr) {
        if (const auto* c = object->if_contains("code"); c && c->is_string()) code = c->as_string();
        if (const auto* d = object->if_contains("detail"); d && d->is_string())
          detail = d->as_string();
        if (const auto* i = object->if_contains("index");
            i && i->is_int64() && i->as_int64() >= 0 &&
            static_cast<std::size_t>(i->as_int64()) < batch.size()) {
          index = static_cast<std::size_t>(i->as_int64());
        }
      }
      if (!index && batch.size() == 1) index = 0;
      if (!index) {
        // The request as a whole was refused: every line shares the reason.
        for (const Line& line : batch) summary_.rejected.push_back({line.number, code, detail});
        break;
      }
      summary_.rejected.push_back({batch[*index].number, code, detail});
      batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(*index));
    }
    ShowProgress();
    return Status::Ok();
  }

  Summary& summary() { return summary_; }

  void ShowProgress(bool final = false) const {
    if (!progress_) return;
    std::cerr << "\rsubmit: " << summary_.lines << " lines, " << summary_.appended << " appended, "
              << summary_.duplicates << " duplicates, " << summary_.rejected.size()
              << " rejected, tree size " << summary_.tree_size << (final ? "\n" : "") << std::flush;
  }

 private:
  Result<api::ClientResponse> PostWithRetries(const std::string& body) {
    std::chrono::milliseconds backoff(200);
    for (int attempt = 0;; ++attempt) {
      Result<api::ClientResponse> response = client_.Post("/v1/events", body);
      bool transient = !response.ok() || response->status == 503 || response->status >= 500;
      if (!transient || attempt >= retries_) {
        if (!response.ok()) return response.status();
        if (response->status >= 500) {
          return Status(ErrorCode::kIoError, "server answered " + std::to_string(response->status) +
                                                 ": " + response->body);
        }
        return response;
      }
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }

  void Count(const boost::json::object& answer) {
    if (const auto* size = answer.if_contains("tree_size"); size && size->is_int64()) {
      summary_.tree_size = static_cast<uint64_t>(size->as_int64());
    }
    const auto* results = answer.if_contains("results");
    if (results == nullptr || !results->is_array()) return;
    for (const boost::json::value& result : results->as_array()) {
      const auto* status = result.is_object() ? result.as_object().if_contains("status") : nullptr;
      if (status != nullptr && status->is_string() && status->as_string() == "duplicate") {
        ++summary_.duplicates;
      } else {
        ++summary_.appended;
      }
    }
  }

  api::HttpClient& client_;
  int retries_;
  bool progress_;
  Summary summary_;
};

boost::json::object SummaryJson(const Summary& summary) {
  boost::json::array rejected;
  for (const Rejection& r : summary.rejected) {
    rejected.push_back({{"line", r.line}, {"code", r.code}, {"detail", r.detail}});
  }
  return {{"lines", summary.lines},
          {"appended", summary.appended},
          {"duplicates", summary.duplicates},
          {"rejected", std::move(rejected)},
          {"tree_size", summary.tree_size}};
}

}  // namespace

void AddSubmitCommand(CLI::App& app, CommandContext& context) {
  struct Options {
    std::string url;
    std::string token;
    std::string cacert;
    std::size_t batch = 500;
    int retries = 5;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("submit",
                         "Post signed events (JSON lines on stdin) to a ledger server in batches. "
                         "Retries are safe: the same event id is acknowledged as a duplicate. "
                         "Events the server refuses are reported with their line and reason; "
                         "the others are still submitted. Exit 1 when any event was refused.");
  cmd->add_option("--url", options->url,
                  "Server base URL, e.g. http://127.0.0.1:8080 or https://ledger.example:8443")
      ->required();
  cmd->add_option("--cacert", options->cacert,
                  "PEM certificates to trust for an https URL instead of the system's CA store "
                  "(a server with a self-signed certificate)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--token", options->token, "Bearer token sent with each request");
  cmd->add_option("--batch", options->batch, "Events per request (1-1000)")
      ->check(CLI::Range(std::size_t{1}, kMaxBatch))
      ->capture_default_str();
  cmd->add_option("--retries", options->retries, "Retries of a request on network or 5xx errors")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Machine-readable output (the summary is always JSON)");
  cmd->callback([options, &context] {
    Result<std::unique_ptr<api::HttpClient>> client =
        api::HttpClient::Create(options->url, options->token, options->cacert);
    if (!client.ok()) {
      context.exit_code = ReportFailure("submit", client.status(), options->json);
      return;
    }
    Submitter submitter(**client, options->retries, isatty(STDERR_FILENO) == 1);
    std::vector<Line> batch;
    std::string text;
    std::size_t number = 0;
    while (std::getline(std::cin, text)) {
      ++number;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      ++submitter.summary().lines;
      batch.push_back({number, std::move(text)});
      if (batch.size() == options->batch) {
        Status sent = submitter.Submit(std::move(batch));
        batch.clear();
        if (!sent.ok()) {
          PrintJson(SummaryJson(submitter.summary()));
          context.exit_code = ReportFailure("submit", sent, options->json);
          return;
        }
      }
    }
    if (!batch.empty()) {
      Status sent = submitter.Submit(std::move(batch));
      if (!sent.ok()) {
        PrintJson(SummaryJson(submitter.summary()));
        context.exit_code = ReportFailure("submit", sent, options->json);
        return;
      }
    }
    submitter.ShowProgress(/*final=*/true);
    PrintJson(SummaryJson(submitter.summary()));
    context.exit_code = submitter.summary().rejected.empty() ? kExitOk : kExitProblem;
  });
}

}  // namespace fupin::cli
