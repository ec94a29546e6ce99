// fupin-ledger: the one binary of the ledger (SPEC §5).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"

int main(int argc, char** argv) {
  using namespace fupin::cli;
  CLI::App app{
      "fupin-ledger: the signed, append-only ledger of a consumption "
      "poverty-alleviation campaign (消费扶贫)"};
  app.require_subcommand(1);
  CommandContext context;
  AddKeygenCommand(app, context);
  AddInitCommand(app, context);
  AddSignCommand(app, context);
  AddServeCommand(app, context);
  AddGenerateCommand(app, context);
  AddSubmitCommand(app, context);
  AddDemoCommand(app, context);
  AddStatsCommand(app, context);
  AddRulesCommand(app, context);
  AddReplayCommand(app, context);
  AddVerifyBundleCommand(app, context);
  AddVerifyCommand(app, context);
  AddBackupCommand(app, context);
  AddRestoreCommand(app, context);
  AddWitnessCommand(app, context);
  AddMirrorCommand(app, context);
  AddImportCommand(app, context);
  AddReportCommand(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return context.exit_code;
}
