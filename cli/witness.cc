// `witness serve` and `witness vkey`: a witness (C2SP tlog-witness v1.0.0,
// witness/witness.h) served over HTTP (api/witness_server.h), and the
// verifier key of its cosignatures.
#include "witness/witness.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "api/config.h"
#include "api/termination_signal.h"
#include "api/witness_server.h"
#include "cli/command.h"
#include "ledger/crypto.h"
#include "ledger/signed_note.h"

namespace fupin::cli {
namespace {

// Where the witness keeps its state inside --data.
inline constexpr std::string_view kWitnessStateFile = "witness-state.json";

struct WitnessOptions {
  std::string key;
  std::string name;
  std::string data;
  std::string listen = "127.0.0.1:7380";
  std::vector<std::string> logs;
  std::vector<std::string> sm3_logs;
  bool json = false;
};

Result<note::VerifierKey> LoadCosignerKey(const WitnessOptions& o,
                                          crypto::Ed25519PrivateKey* private_key) {
  FUPIN_ASSIGN_OR_RETURN(*private_key, crypto::Ed25519PrivateKey::ReadPemFile(o.key));
  return witness::CosignerKey(o.name, *private_key);
}

int Serve(const WitnessOptions& o) {
  constexpr std::string_view kName = "witness serve";
  api::TerminationSignal termination;
  crypto::Ed25519PrivateKey key;
  Result<note::VerifierKey> vkey = LoadCosignerKey(o, &key);
  if (!vkey.ok()) return ReportFailure(kName, vkey.status(), o.json);
  witness::WitnessOptions options;
  options.name = o.name;
  for (const std::string& text : o.logs) {
    Result<note::VerifierKey> log = note::ParseVerifierKey(text);
    if (!log.ok()) return ReportFailure(kName, log.status().WithContext("--log"), o.json);
    options.logs.push_back(std::move(log).value());
  }
  for (const std::string& text : o.sm3_logs) {
    Result<note::VerifierKey> log = note::ParseVerifierKey(text);
    if (!log.ok()) return ReportFailure(kName, log.status().WithContext("--sm3-log"), o.json);
    options.sm3_logs.insert(log->name);
    options.logs.push_back(std::move(log).value());
  }
  if (options.logs.empty()) {
    return ReportFailure(
        kName, Status(ErrorCode::kInvalidArgument, "name at least one --log or --sm3-log"), o.json);
  }
  std::error_code ec;
  std::filesystem::create_directories(o.data, ec);
  if (ec) {
    return ReportFailure(kName, Status(ErrorCode::kIoError, "cannot create " + o.data), o.json);
  }
  options.state_path = (std::filesystem::path(o.data) / kWitnessStateFile).string();
  Result<api::ListenAddress> listen = api::ParseListenAddress(o.listen);
  if (!listen.ok()) return ReportFailure(kName, listen.status(), o.json);
  Result<api::ServedWitness> served = api::ServeWitness(std::move(key), options, *listen);
  if (!served.ok()) return ReportFailure(kName, served.status(), o.json);
  api::WitnessServer& server = *served->server;
  boost::json::array logs;
  for (const note::VerifierKey& log : options.logs) logs.push_back(boost::json::string(log.name));
  PrintJson({{"listening", server.url()},
             {"name", o.name},
             {"vkey", note::FormatVerifierKey(*vkey)},
             {"logs", std::move(logs)}});
  termination.Wait();
  server.Stop();
  return kExitOk;
}

int PrintVkey(const WitnessOptions& o) {
  crypto::Ed25519PrivateKey key;
  Result<note::VerifierKey> vkey = LoadCosignerKey(o, &key);
  if (!vkey.ok()) return ReportFailure("witness vkey", vkey.status(), o.json);
  PrintJson({{"name", o.name}, {"vkey", note::FormatVerifierKey(*vkey)}});
  return kExitOk;
}

}  // namespace

void AddWitnessCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<WitnessOptions>();
  CLI::App* cmd = app.add_subcommand(
      "witness",
      "A witness (C2SP tlog-witness): cosigns a ledger's checkpoints only when they are "
      "consistent with everything it cosigned before (docs/trust.md)");
  cmd->require_subcommand(1);

  CLI::App* serve =
      cmd->add_subcommand("serve",
                          "Serve POST /add-checkpoint until SIGINT or SIGTERM; prints "
                          "{\"listening\",\"name\",\"vkey\",\"logs\"} once ready");
  serve->add_option("--key", options->key, "The witness's Ed25519 key (PKCS#8 PEM, keygen)")
      ->required();
  serve
      ->add_option("--name", options->name,
                   "The witness's name in its cosignatures (no spaces or '+'), e.g. 省审计厅")
      ->required();
  serve
      ->add_option("--data", options->data,
                   "Directory of the witness's durable state (witness-state.json)")
      ->required();
  serve->add_option("--listen", options->listen, "HOST:PORT to listen on; port 0 picks a free one")
      ->capture_default_str();
  serve->add_option("--log", options->logs,
                    "The verifier key of a log to witness (`init` prints it as vkey); repeat "
                    "for several logs");
  serve->add_option("--sm3-log", options->sm3_logs,
                    "As --log, for a log whose tree hashes with SM3 (init --hash sm3)");
  serve->add_flag("--json", options->json, "Machine-readable output (always JSON)");
  serve->callback([options, &context] { context.exit_code = Serve(*options); });

  CLI::App* vkey = cmd->add_subcommand(
      "vkey", "Print the witness's cosigner verifier key (for witness policies and the server)");
  vkey->add_option("--key", options->key, "The witness's Ed25519 key (PKCS#8 PEM)")->required();
  vkey->add_option("--name", options->name, "The witness's name")->required();
  vkey->add_flag("--json", options->json, "Machine-readable output (always JSON)");
  vkey->callback([options, &context] { context.exit_code = PrintVkey(*options); });
}

}  // namespace fupin::cli
