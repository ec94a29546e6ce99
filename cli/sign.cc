// `sign`: unsigned events as JSON lines on stdin, signed events on stdout.
#include <boost/json/serialize.hpp>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "ledger/canonical_json.h"
#include "ledger/event.h"
#include "ledger/event_key.h"
#include "ledger/random.h"
#include "ledger/signing.h"

namespace fupin::cli {
namespace {

// Completes and signs one event: fills a missing id (a new UUID), v (1) and
// key (the signing key's id); refuses an event naming another key.
Result<std::string> SignLine(std::string_view line, const crypto::EventSigningKey& key,
                             const std::string& key_id) {
  FUPIN_ASSIGN_OR_RETURN(boost::json::object event, json::ParseStrictObject(line));
  if (!event.contains("id")) {
    FUPIN_ASSIGN_OR_RETURN(std::string id, NewUuid());
    (event)["id"] = id;
  }
  if (!event.contains("v")) (event)["v"] = 1;
  if (const boost::json::value* named = event.if_contains("key")) {
    if (!named->is_string() || named->get_string() != key_id) {
      return Status(ErrorCode::kInvalidArgument, "event names key " +
                                                     boost::json::serialize(*named) +
                                                     " but is signed with --key-id " + key_id);
    }
  } else {
    (event)["key"] = key_id;
  }
  FUPIN_ASSIGN_OR_RETURN(boost::json::object signed_event, SignEvent(std::move(event), key));
  // Refuse to emit what the ledger would refuse as malformed.
  std::string out = json::Canonicalize(signed_event);
  FUPIN_RETURN_IF_ERROR(ParseEnvelope(out).status());
  return out;
}

}  // namespace

void AddSignCommand(CLI::App& app, CommandContext& context) {
  struct Options {
    std::string key;
    std::string key_id;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("sign",
                         "Sign unsigned events (JSON lines on stdin) and write them signed "
                         "(JSON lines on stdout). Missing id, v and key are filled in. "
                         "Nothing is written unless every line signs.");
  cmd->add_option("--key", options->key, "PKCS#8 PEM private key file (Ed25519 or SM2)")
      ->required();
  cmd->add_option("--key-id", options->key_id, "The key's registered id")->required();
  cmd->add_flag("--json", options->json, "Report errors as JSON on stdout");
  cmd->callback([options, &context] {
    Result<crypto::EventSigningKey> key = crypto::EventSigningKey::ReadPemFile(options->key);
    if (!key.ok()) {
      context.exit_code = ReportFailure("sign", key.status(), options->json);
      return;
    }
    std::ostringstream out;
    std::string line;
    std::size_t line_no = 0;
    while (std::getline(std::cin, line)) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      Result<std::string> signed_line = SignLine(line, *key, options->key_id);
      if (!signed_line.ok()) {
        context.exit_code = ReportFailure(
            "sign", signed_line.status().WithContext("line " + std::to_string(line_no)),
            options->json);
        return;
      }
      out << *signed_line << '\n';
    }
    if (std::cin.bad()) {
      context.exit_code =
          ReportFailure("sign", Status(ErrorCode::kIoError, "reading stdin failed"), options->json);
      return;
    }
    std::cout << out.str() << std::flush;
  });
}

}  // namespace fupin::cli
