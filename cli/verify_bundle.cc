// `verify-bundle`: checks an evidence bundle (docs/bundle.md) offline, with
// no data directory. Exit 0 when every check holds, 1 when one fails (the
// reason names the part), 2 when the file is unreadable or not a bundle.
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "ledger/crypto.h"
#include "ledger/file_io.h"
#include "ledger/time.h"
#include "ledger/witness_policy.h"
#include "replay/bundle.h"

namespace fupin::cli {
namespace {

struct VerifyBundleOptions {
  std::string file;
  std::string log_id;
  std::string system_key;
  std::string witness_policy;
  bool json = false;
};

int RunVerifyBundle(const VerifyBundleOptions& o) {
  constexpr std::string_view kName = "verify-bundle";
  replay::TrustAnchor anchor;
  if (!o.log_id.empty()) anchor.log_id = o.log_id;
  if (!o.system_key.empty()) {
    Result<crypto::Ed25519PublicKey> key = crypto::Ed25519PublicKey::FromBase64(o.system_key);
    if (!key.ok()) {
      return ReportFailure(
          kName, Status(ErrorCode::kInvalidArgument, "--system-key: " + key.status().message()),
          o.json);
    }
    anchor.system_key_b64 = o.system_key;
  }
  std::optional<WitnessPolicy> policy;
  if (!o.witness_policy.empty()) {
    Result<WitnessPolicy> read = ReadWitnessPolicyFile(o.witness_policy);
    if (!read.ok()) return ReportFailure(kName, read.status(), o.json);
    policy = std::move(read).value();
  }
  Result<std::string> text = ReadFileBytes(o.file);
  if (!text.ok()) {
    return ReportFailure(kName, Status(ErrorCode::kIoError, text.status().message()), o.json);
  }
  replay::BundleVerification result =
      replay::VerifyBundle(*text, anchor, policy ? &*policy : nullptr);
  if (o.json) {
    PrintJson(replay::BundleVerificationJson(result));
  } else if (result.ok()) {
    std::cout << "证据包核验通过：" << result.stats.entity << "，轨迹 " << result.stats.trail
              << " 条，哈希链 " << result.stats.chain << " 版，" << result.stats.records
              << " 条记录的签名与包含证明均有效（检查点树大小 " << result.stats.checkpoint_tree_size
              << "）\n";
    if (policy) {
      std::cout << "见证联署：";
      for (std::size_t i = 0; i < result.cosigners.size(); ++i) {
        std::cout << (i > 0 ? "、" : "") << result.cosigners[i].name << "（"
                  << FormatUtcSeconds(static_cast<int64_t>(result.cosigners[i].timestamp)) << "）";
      }
      std::cout << "\n";
    }
  } else {
    std::cout << "证据包核验失败：" << result.reason() << '\n';
    for (std::size_t i = 1; i < result.failures.size(); ++i) {
      std::cout << "  另：" << result.failures[i] << '\n';
    }
  }
  if (!result.anchor_given && result.readable) {
    std::cerr << "fupin-ledger verify-bundle: trust anchor not given: the checkpoint was checked "
                 "against the system key written in the bundle; pass --system-key (and "
                 "--log-id) from a trusted source\n";
  }
  if (!result.readable) {
    std::cerr << "fupin-ledger verify-bundle: " << result.reason() << '\n';
    return kExitUsage;
  }
  return result.ok() ? kExitOk : kExitProblem;
}

}  // namespace

void AddVerifyBundleCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<VerifyBundleOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify-bundle",
      "Check an evidence bundle offline: every signature, every inclusion proof, the "
      "checkpoint signature, the log id and the completeness of the hash chain. Exit 0 ok, 1 a "
      "check failed (the reason names the part), 2 unreadable.");
  cmd->add_option("file", options->file, "Bundle file (replay bundle --out)")->required();
  cmd->add_option("--log-id", options->log_id, "Trusted log id (hex leaf hash of seq 0)");
  cmd->add_option("--system-key", options->system_key,
                  "Trusted system public key (base64); without it the bundle's own key is used");
  cmd->add_option("--witness-policy", options->witness_policy,
                  "Witness policy (docs/trust.md): the bundle's checkpoint must carry its "
                  "quorum of valid cosignatures");
  cmd->add_flag("--json", options->json, "Machine-readable output");
  cmd->callback([options, &context] { context.exit_code = RunVerifyBundle(*options); });
}

}  // namespace fupin::cli
