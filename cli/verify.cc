// `verify`: the integrity verification job (verify/verify.h). Opens the
// store read-only, so it runs beside a server; stores its result in the
// meta column family, or in DIR/verify-last.json while a server holds the
// database (docs/operations.md, "Verification").
#include "verify/verify.h"

#include <boost/json/serialize.hpp>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/progress.h"
#include "ledger/time.h"
#include "ledger/witness_policy.h"
#include "verify/projection_check.h"

namespace fupin::cli {
namespace {

struct VerifyCommandOptions {
  std::string data;
  bool full = false;
  bool since_last = false;
  bool hash_only = false;
  unsigned threads = 0;
  std::string witness_policy;
  bool json = false;
};

void PrintSummary(const verify::VerifyReport& report) {
  const double seconds = static_cast<double>(report.durations.total_ms) / 1000.0;
  if (report.clean()) {
    std::cout << "clean: " << report.tree_size << " records, " << report.counts.signatures
              << " signatures, " << report.counts.checkpoints << " checkpoints verified ("
              << verify::VerifyModeName(report.mode) << ", " << seconds << " s)\n";
  } else {
    const verify::IntegrityFailure& first = report.failures.front();
    std::cout << "TAMPERED: " << report.failures_total << " failure(s); first at seq "
              << (first.seq ? std::to_string(*first.seq) : std::string("-")) << " ("
              << verify::FailureKindName(first.kind) << "): " << first.detail << '\n';
  }
  if (report.witnessed) {
    std::cout << "witnessed: checkpoint " << report.witnessed->tree_size << " cosigned by";
    for (const WitnessCosignature& c : report.witnessed->cosigners) {
      std::cout << ' ' << c.name << " (" << FormatUtcSeconds(static_cast<int64_t>(c.timestamp))
                << ')';
    }
    std::cout << "; " << report.tree_size - report.witnessed->tree_size
              << " later records not witnessed yet\n";
  }
  if (!report.note.empty()) std::cout << report.note << '\n';
}

int RunVerify(const VerifyCommandOptions& options) {
  verify::VerifyOptions verify_options;
  verify_options.mode = options.since_last  ? verify::VerifyMode::kSinceLast
                        : options.hash_only ? verify::VerifyMode::kHashOnly
                                            : verify::VerifyMode::kFull;
  verify_options.threads = options.threads;
  ProgressMeter progress("verifying");
  verify_options.progress = [&](uint64_t done, uint64_t total) { progress(done, total); };
  verify::ProjectionStateCheck projection_check;
  verify_options.derived.push_back(&projection_check);
  if (!options.witness_policy.empty()) {
    Result<WitnessPolicy> policy = ReadWitnessPolicyFile(options.witness_policy);
    if (!policy.ok()) return ReportFailure("verify", policy.status(), options.json);
    verify_options.witness_policy = std::move(policy).value();
  }

  Result<verify::VerifyReport> report = verify::VerifyDataDir(options.data, verify_options);
  if (!report.ok()) {
    // Could not run at all (no ledger, I/O): never "tampered".
    Status status = report.status();
    if (status.code() == ErrorCode::kDataLoss) {
      status = Status(ErrorCode::kIoError, "cannot read the ledger: " + status.message());
    }
    return ReportFailure("verify", status, options.json);
  }
  boost::json::object out = verify::ReportJson(*report, /*for_storage=*/false);
  // A hash-only run checks less than the job promises; it is never the
  // stored result (nor the anchor of --since-last).
  if (verify_options.mode != verify::VerifyMode::kHashOnly) {
    Result<verify::SavedTo> saved = verify::SaveLastVerification(options.data, *report);
    if (saved.ok()) {
      out["saved_to"] = *saved == verify::SavedTo::kMeta ? "meta" : "file";
    } else {
      std::cerr << "fupin-ledger verify: result not stored: " << saved.status().ToString() << '\n';
      out["saved_to"] = nullptr;
    }
  }
  if (options.json) {
    PrintJson(out);
  } else {
    PrintSummary(*report);
  }
  return report->clean() ? kExitOk : kExitProblem;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<VerifyCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Integrity verification: recomputes every leaf hash and Merkle root, checks every "
      "checkpoint and event signature against the key registry as of its seq, the stream "
      "chains, the indexes, entity state and projections. Runs beside a server (read-only "
      "open). Exit 0 clean, 1 tampering or inconsistency found, 2 could not run. The result "
      "is kept in the ledger's meta column family, or in DIR/verify-last.json while a server "
      "holds the database.");
  cmd->add_option("--data", options->data, "Data directory of the ledger")->required();
  CLI::Option* full = cmd->add_flag("--full", options->full, "Verify everything (default)");
  CLI::Option* since = cmd->add_flag(
      "--since-last", options->since_last,
      "Start from the checkpoint of the last clean verification: signatures before it are "
      "not checked again; consistency from it to every later checkpoint is proven");
  CLI::Option* hash = cmd->add_flag(
      "--hash-only", options->hash_only,
      "Only records, leaf hashes, Merkle nodes and checkpoints (no event signatures, no "
      "indexes); the result is not stored");
  full->excludes(since)->excludes(hash);
  since->excludes(hash);
  cmd->add_option("--threads", options->threads,
                  "Threads for signature checks (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  cmd->add_option("--witness-policy", options->witness_policy,
                  "Witness policy (JSON: witness_quorum and witnesses' vkeys, docs/trust.md): "
                  "some checkpoint must carry the quorum of valid cosignatures");
  cmd->add_flag("--json", options->json, "Print the JSON report");
  cmd->callback([options, &context] { context.exit_code = RunVerify(*options); });
}

}  // namespace fupin::cli
