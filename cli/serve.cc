// `serve`: the ledger's HTTP server (SPEC §5, api/server.h).
#include <iostream>
#include <memory>

#include "api/config.h"
#include "api/server.h"
#include "api/termination_signal.h"
#include "cli/command.h"
#include "ledger/ledger.h"

namespace fupin::cli {
namespace {

struct ServeOptions {
  std::string data;
  std::string listen;
  std::string config;
  bool json = false;
};

int Serve(const ServeOptions& options) {
  // Caught from here on, so a signal during startup still shuts down cleanly.
  api::TerminationSignal termination;

  api::ServerConfig config;
  if (!options.config.empty()) {
    Result<api::ServerConfig> loaded = api::LoadServerConfig(options.config);
    if (!loaded.ok()) return ReportFailure("serve", loaded.status(), options.json);
    config = std::move(loaded).value();
  }
  if (!options.listen.empty()) {
    Result<api::ListenAddress> listen = api::ParseListenAddress(options.listen);
    if (!listen.ok()) return ReportFailure("serve", listen.status(), options.json);
    config.listen = std::move(listen).value();
  }
  if (!config.web_root) config.web_root = BuiltWebRoot();
  if (config.tokens.empty()) {
    std::cerr << "fupin-ledger serve: no read tokens configured (--config); every read "
                 "except /healthz answers 401\n";
  }

  LedgerOptions ledger_options;
  ledger_options.store_memory_bytes = config.store_memory_bytes;
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(options.data, ledger_options);
  if (!ledger.ok()) return ReportFailure("serve", ledger.status(), options.json);
  {
    bool serves_web = config.web_root.has_value();
    api::Server server(**ledger, std::move(config));
    Status started = server.Start();
    if (!started.ok()) return ReportFailure("serve", started, options.json);
    boost::json::value web = nullptr;
    if (serves_web) web = server.url() + "/";
    PrintJson({{"listening", server.url()},
               {"web", web},
               {"tree_size", static_cast<int64_t>((*ledger)->tree_size())}});
    termination.Wait();
    server.Stop();
  }
  // Finishes queued commit groups, writes the last checkpoint, closes RocksDB.
  ledger->reset();
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the ledger over HTTP (SPEC §5) until SIGINT or SIGTERM; prints "
      "{\"listening\":URL,\"web\":URL of the web page|null,\"tree_size\":N} once ready");
  cmd->add_option("--data", options->data, "Data directory of the ledger")->required();
  cmd->add_option("--listen", options->listen,
                  "HOST:PORT to listen on (default 127.0.0.1:8080, or the config's); "
                  "port 0 picks a free port");
  cmd->add_option(
      "--config", options->config,
      "Server configuration (JSON): tokens, limits, TLS, rules, web_root; see api/config.h");
  cmd->add_flag("--json", options->json, "Machine-readable output (always JSON)");
  cmd->callback([options, &context] { context.exit_code = Serve(*options); });
}

}  // namespace fupin::cli
