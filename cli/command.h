// The `fupin-ledger` command line: each subcommand lives in its own file and
// registers itself on the top-level CLI11 app.
//
// Exit codes (SPEC §5): 0 success, 1 a problem was found (tampering, a
// failed check), 2 usage or I/O errors.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "ledger/status.h"

namespace fupin::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblem = 1;
inline constexpr int kExitUsage = 2;

// Where a subcommand's callback leaves its exit code.
struct CommandContext {
  int exit_code = kExitOk;
};

void AddKeygenCommand(CLI::App& app, CommandContext& context);
void AddInitCommand(CLI::App& app, CommandContext& context);
void AddSignCommand(CLI::App& app, CommandContext& context);
void AddServeCommand(CLI::App&, CommandContext&);
void AddGenerateCommand(CLI::App& app, CommandContext& context);
void AddSubmitCommand(CLI::App& app, CommandContext& context);
void AddDemoCommand(CLI::App& app, CommandContext& context);
void AddStatsCommand(CLI::App& app, CommandContext& context);
void AddRulesCommand(CLI::App& app, CommandContext& context);
void AddReplayCommand(CLI::App& app, CommandContext& context);
void AddVerifyBundleCommand(CLI::App& app, CommandContext& context);
void AddVerifyCommand(CLI::App& app, CommandContext& context);
void AddBackupCommand(CLI::App& app, CommandContext& context);
void AddRestoreCommand(CLI::App& app, CommandContext& context);
void AddWitnessCommand(CLI::App& app, CommandContext& context);
// `mirror` and `verify-evidence`.
void AddMirrorCommand(CLI::App& app, CommandContext& context);
// `import` and its `sales` (platform exports to signed sales).
void AddImportCommand(CLI::App& app, CommandContext& context);
// `report template` and `report import` (docs/intake.md).
void AddReportCommand(CLI::App& app, CommandContext& context);

// Prints one JSON object on its own line on stdout.
void PrintJson(const boost::json::object& object);

// Reports a failed status on stderr ("fupin-ledger <command>: code: message"),
// and as {"error":{"code","message"}} on stdout when json is set. Returns
// the exit code: kExitProblem for integrity failures (kDataLoss,
// kBadSignature), kExitUsage for everything else.
int ReportFailure(std::string_view command, const Status& status, bool json);

// The web page built in the source tree (web/dist, scripts/build-web.sh)
// when it has been built; `serve` and `demo` serve it unless the config
// names another web_root.
std::optional<std::string> BuiltWebRoot();

}  // namespace fupin::cli
