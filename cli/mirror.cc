// `mirror`: a verifying copy of a source ledger (docs/trust.md, "Mirrors";
// docs/operations.md). The first run creates the data directory from the
// source's genesis; every run then follows the source, re-verifying each
// record, and serves the read API over what it verified. `--once` catches
// up once and exits: 0 caught up (or nothing to follow), 1 the source
// contradicted a verified checkpoint (evidence stored), 2 an error.
//
// `verify-evidence FILE`: checks a mirror's fork evidence offline.
#include <boost/json/parse.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "api/config.h"
#include "api/server.h"
#include "api/termination_signal.h"
#include "cli/command.h"
#include "ledger/crypto.h"
#include "ledger/file_io.h"
#include "ledger/signed_note.h"
#include "mirror/evidence.h"
#include "mirror/follower.h"
#include "mirror/served_mirror.h"
#include "mirror/source.h"

namespace fupin::cli {
namespace {

constexpr std::string_view kMirror = "mirror";

struct MirrorOptions {
  std::string from;
  std::string data;
  std::string token;
  std::string cacert;
  std::string listen;
  std::string config;
  std::string witness_policy;
  std::string public_key;
  int64_t interval_ms = 1000;
  std::size_t stretch = 10000;
  std::string witness_key;
  std::string witness_name;
  std::string witness_listen = "127.0.0.1:7381";
  bool once = false;
  bool json = false;
};

int RunOnce(mirror::Follower& follower, const MirrorOptions& o) {
  Result<mirror::RoundOutcome> outcome = follower.Round();
  if (!outcome.ok()) return ReportFailure(kMirror, outcome.status(), o.json);
  PrintJson(boost::json::parse(follower.StatusJson()).as_object());
  return *outcome == mirror::RoundOutcome::kForkDetected ? kExitProblem : kExitOk;
}

int Mirror(const MirrorOptions& o) {
  api::TerminationSignal termination;
  api::ServerConfig config;
  if (!o.config.empty()) {
    Result<api::ServerConfig> loaded = api::LoadServerConfig(o.config);
    if (!loaded.ok()) return ReportFailure(kMirror, loaded.status(), o.json);
    config = std::move(loaded).value();
  }
  if (!config.witnesses.witnesses.empty()) {
    return ReportFailure(kMirror,
                         Status(ErrorCode::kInvalidArgument,
                                "a mirror collects no cosignatures: remove \"witnesses\" from " +
                                    o.config + " (--witness-policy sets whose it requires)"),
                         o.json);
  }
  if (!o.listen.empty()) {
    Result<api::ListenAddress> listen = api::ParseListenAddress(o.listen);
    if (!listen.ok()) return ReportFailure(kMirror, listen.status(), o.json);
    config.listen = std::move(listen).value();
  }
  if (!config.web_root) config.web_root = BuiltWebRoot();
  if (o.interval_ms <= 0 || o.stretch == 0) {
    return ReportFailure(
        kMirror,
        Status(ErrorCode::kInvalidArgument, "--interval-ms and --stretch must be positive"),
        o.json);
  }

  mirror::FollowerOptions options;
  options.source = {o.from, o.token, o.cacert, o.public_key};
  options.interval = std::chrono::milliseconds(o.interval_ms);
  options.stretch_records = o.stretch;
  options.log = [](const std::string& line) { std::cerr << line << "\n"; };
  if (!o.witness_policy.empty()) {
    Result<WitnessPolicy> policy = ReadWitnessPolicyFile(o.witness_policy);
    if (!policy.ok()) {
      return ReportFailure(kMirror, policy.status().WithContext("--witness-policy"), o.json);
    }
    options.witness_policy = std::move(policy).value();
  }
  auto created = [&o](const GenesisInfo& info) {
    std::cerr << "fupin-ledger mirror: created " << o.data << " for " << info.origin << " (log "
              << info.log_id << ", system key " << info.vkey << ")\n";
  };
  if (o.once) {
    Result<std::unique_ptr<Ledger>> ledger = mirror::OpenMirror(o.data, options.source, created);
    if (!ledger.ok()) return ReportFailure(kMirror, ledger.status(), o.json);
    Result<std::unique_ptr<mirror::Follower>> follower =
        mirror::Follower::Create(**ledger, std::move(options));
    if (!follower.ok()) return ReportFailure(kMirror, follower.status(), o.json);
    return RunOnce(**follower, o);
  }
  std::optional<mirror::MirrorWitnessOptions> witness;
  if (!o.witness_key.empty()) {
    Result<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::ReadPemFile(o.witness_key);
    if (!key.ok()) return ReportFailure(kMirror, key.status().WithContext("--witness-key"), o.json);
    Result<api::ListenAddress> listen = api::ParseListenAddress(o.witness_listen);
    if (!listen.ok()) {
      return ReportFailure(kMirror, listen.status().WithContext("--witness-listen"), o.json);
    }
    if (o.witness_name.empty()) {
      return ReportFailure(kMirror,
                           Status(ErrorCode::kInvalidArgument,
                                  "--witness-key needs --witness-name (its cosigner name)"),
                           o.json);
    }
    witness = mirror::MirrorWitnessOptions{std::move(key).value(), o.witness_name, *listen};
  }
  const bool serves_web = config.web_root.has_value();
  Result<std::unique_ptr<mirror::ServedMirror>> served = mirror::ServedMirror::Start(
      o.data, std::move(options), std::move(config), created, std::move(witness));
  if (!served.ok()) return ReportFailure(kMirror, served.status(), o.json);
  mirror::ServedMirror& m = **served;
  if (m.ledger().info().mirror_source != o.from) {
    std::cerr << "fupin-ledger mirror: " << o.data << " was created from "
              << m.ledger().info().mirror_source << "; following " << o.from
              << " (the log id and system key must be the same)\n";
  }
  if (m.follower().forked()) {
    std::cerr << "fupin-ledger mirror: following stopped: fork evidence in "
              << (std::filesystem::path(o.data) / mirror::kEvidenceFile).string()
              << "; serving what was verified before it\n";
  }
  const std::string url = m.server().url();
  boost::json::value witness_json = nullptr;
  if (const api::ServedWitness* w = m.witness()) {
    witness_json = boost::json::object{
        {"url", w->server->url()}, {"vkey", note::FormatVerifierKey(w->witness->verifier_key())}};
  }
  PrintJson({{"listening", url},
             {"web", serves_web ? boost::json::value(url + "/") : nullptr},
             {"mirror_of", o.from},
             {"witness", std::move(witness_json)},
             {"tree_size", static_cast<int64_t>(m.ledger().tree_size())}});
  termination.Wait();
  served->reset();
  return kExitOk;
}

struct VerifyEvidenceOptions {
  std::string file;
  std::string public_key;
  bool json = false;
};

int VerifyEvidenceFile(const VerifyEvidenceOptions& o) {
  constexpr std::string_view kName = "verify-evidence";
  Result<std::string> bytes = ReadFileBytes(o.file);
  if (!bytes.ok()) return ReportFailure(kName, bytes.status(), o.json);
  Result<mirror::Evidence> evidence = mirror::ParseEvidence(*bytes);
  if (!evidence.ok()) return ReportFailure(kName, evidence.status(), o.json);
  Result<mirror::EvidenceVerdict> verdict = mirror::VerifyEvidence(*evidence, o.public_key);
  if (!verdict.ok()) return ReportFailure(kName, verdict.status(), o.json);
  boost::json::array findings;
  for (const std::string& line : verdict->findings) findings.push_back(boost::json::string(line));
  if (o.json) {
    PrintJson({{"proven", verdict->proven},
               {"log_id", evidence->log.log_id},
               {"system_public_key", evidence->log.system_public_key},
               {"source", evidence->source},
               {"summary", evidence->summary},
               {"findings", std::move(findings)}});
  } else {
    std::cout << "log " << evidence->log.origin << " (" << evidence->log.vkey << ")\n"
              << "source " << evidence->source << ", detected " << evidence->detected_at << "\n"
              << evidence->summary << "\n";
    for (const std::string& line : verdict->findings) std::cout << "  " << line << "\n";
    std::cout << (verdict->proven ? "PROVEN: the log's key signed two histories that cannot both "
                                    "be true\n"
                                  : "NOT PROVEN: this evidence does not show a fork by itself\n");
  }
  return verdict->proven ? kExitOk : kExitProblem;
}

}  // namespace

void AddMirrorCommand(CLI::App& app, CommandContext& context) {
  auto o = std::make_shared<MirrorOptions>();
  CLI::App* cmd = app.add_subcommand(
      "mirror",
      "Keep a verifying copy of a source ledger: re-verify every record, serve the read API, "
      "keep fork evidence; prints {\"listening\",\"web\",\"mirror_of\",\"witness\","
      "\"tree_size\"} once serving (docs/operations.md, \"Mirrors\")");
  cmd->add_option("--from", o->from, "The source ledger's URL (http://HOST:PORT or https://…)")
      ->required();
  cmd->add_option("--data", o->data,
                  "The mirror's data directory (created from the source on the first run)")
      ->required();
  cmd->add_option("--token", o->token,
                  "Bearer token for the source, with read access to every region");
  cmd->add_option("--cacert", o->cacert, "PEM certificates to trust for an https source");
  cmd->add_option("--listen", o->listen,
                  "HOST:PORT the mirror serves on (default the config's, 127.0.0.1:8080)");
  cmd->add_option("--config", o->config,
                  "Server configuration (JSON) of the mirror's own API: tokens, limits, TLS, "
                  "rules, web_root (api/config.h)");
  cmd->add_option("--public-key", o->public_key,
                  "The log's system public key (base64) as the operator published it: a source "
                  "of another key is refused (without it, the first run trusts the source's "
                  "genesis and prints its key)");
  cmd->add_option("--witness-policy", o->witness_policy,
                  "Follow only checkpoints cosigned by this policy's quorum of witnesses");
  cmd->add_option("--interval-ms", o->interval_ms,
                  "Pause between rounds once caught up (default 1000)");
  cmd->add_option("--stretch", o->stretch,
                  "Records verified and written durably at once, each stretch proven a prefix of "
                  "the source's checkpoint first (default 10000)");
  cmd->add_option("--witness-key", o->witness_key,
                  "Also witness the source (C2SP tlog-witness) with this Ed25519 key (PEM), "
                  "cosigning only checkpoints whose records the mirror verified");
  cmd->add_option("--witness-name", o->witness_name, "The witness's cosigner name");
  cmd->add_option("--witness-listen", o->witness_listen,
                  "HOST:PORT the witness serves add-checkpoint on")
      ->capture_default_str();
  cmd->add_flag("--once", o->once,
                "Catch up once, print the status and exit: 0 caught up, 1 fork detected, 2 error");
  cmd->add_flag("--json", o->json, "Machine-readable output (always JSON)");
  cmd->callback([o, &context] { context.exit_code = Mirror(*o); });

  auto v = std::make_shared<VerifyEvidenceOptions>();
  CLI::App* verify = app.add_subcommand(
      "verify-evidence",
      "Check a mirror's fork evidence offline (signatures and proofs); exit 0 when it proves "
      "that the log's key signed two contradicting histories, 1 when it does not");
  verify->add_option("file", v->file, "The evidence (mirror-evidence.json)")->required();
  verify->add_option("--public-key", v->public_key,
                     "The log's system public key (base64) as known independently");
  verify->add_flag("--json", v->json, "Machine-readable output");
  verify->callback([v, &context] { context.exit_code = VerifyEvidenceFile(*v); });
}

}  // namespace fupin::cli
