// `keygen` and `init`: a new Ed25519 or SM2 key, and the genesis of a ledger.
#include "cli/command.h"
#include "ledger/codec.h"
#include "ledger/event_key.h"
#include "ledger/ledger.h"

namespace fupin::cli {

void AddKeygenCommand(CLI::App& app, CommandContext& context) {
  struct Options {
    std::string out;
    std::string alg{kKeyAlgEd25519Name};
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("keygen",
                         "Create a new Ed25519 or SM2 key as a PKCS#8 PEM file (mode 0600) and "
                         "print its alg and public key as key.registered states them");
  cmd->add_option("--out", options->out, "Where to write the private key (must not exist)")
      ->required();
  cmd->add_option("--alg", options->alg,
                  "ed25519, or sm2 (SM2 with SM3, GB/T 32918; docs/format.md)")
      ->check(CLI::IsMember({std::string(kKeyAlgEd25519Name), std::string(kKeyAlgSm2Name)}))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Machine-readable output (always JSON)");
  cmd->callback([options, &context] {
    // --alg is checked against the names above, so it parses.
    const KeyAlg alg = ParseKeyAlg(options->alg).value_or(KeyAlg::kEd25519);
    Result<crypto::EventSigningKey> key = crypto::EventSigningKey::Generate(alg);
    if (!key.ok()) {
      context.exit_code = ReportFailure("keygen", key.status(), options->json);
      return;
    }
    Status written = key->WritePemFile(options->out);
    if (!written.ok()) {
      context.exit_code = ReportFailure("keygen", written, options->json);
      return;
    }
    PrintJson({{"alg", KeyAlgName(alg)}, {"public_key", Base64Encode(key->public_raw())}});
  });
}

void AddInitCommand(CLI::App& app, CommandContext& context) {
  struct Options {
    std::string data;
    std::string admin_public_key;
    std::string admin_key_id = "admin";
    std::string origin;
    std::string hash = "sha256";
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("init",
                                     "Create a new ledger: its system key and the genesis records "
                                     "(seq 0: the system key, seq 1: the admin key)");
  cmd->add_option("--data", options->data, "Data directory (must not hold a ledger)")->required();
  cmd->add_option("--admin-public-key", options->admin_public_key,
                  "Base64 of the admin's public key as keygen prints it: the raw 32-byte "
                  "Ed25519 key or the 65-byte SM2 point")
      ->required();
  cmd->add_option("--admin-key-id", options->admin_key_id, "Key id of the admin key")
      ->capture_default_str();
  cmd->add_option("--origin", options->origin,
                  "The log's name in its C2SP checkpoint notes: a schema-less URL without spaces "
                  "or '+' (default fupin-ledger/<log id>); fixed at genesis");
  cmd->add_option("--hash", options->hash,
                  "The log's hash: sha256, or sm3 (GB/T 32905) for leaf and node hashes, stream "
                  "chains, the log id, checkpoints and proofs; fixed at genesis")
      ->check(CLI::IsMember({"sha256", "sm3"}))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Machine-readable output (always JSON)");
  cmd->callback([options, &context] {
    // --hash is checked against the names above, so it parses.
    const crypto::HashAlg hash =
        crypto::HashAlgFromName(options->hash).value_or(crypto::HashAlg::kSha256);
    Result<GenesisInfo> info =
        Ledger::Init(options->data, options->admin_public_key, options->admin_key_id, SystemClock(),
                     options->origin, hash);
    if (!info.ok()) {
      context.exit_code = ReportFailure("init", info.status(), options->json);
      return;
    }
    PrintJson({{"log_id", info->log_id},
               {"system_key_id", info->system_key_id},
               {"system_public_key", info->system_public_key},
               {"admin_key_id", info->admin_key_id},
               {"hash", crypto::HashAlgName(info->hash)},
               {"origin", info->origin},
               {"vkey", info->vkey}});
  });
}

}  // namespace fupin::cli
