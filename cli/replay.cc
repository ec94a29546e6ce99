// `replay`: the investigators' tool (SPEC §6, docs/replay.md). Every
// subcommand opens the data directory read-only, so it works beside a
// running server and sees the log as it was when it opened.
//   replay state    --as-of SEQ|TIME [--campaign ID] [--region CODE]
//   replay timeline KIND/ID [--from SEQ] [--to SEQ]
//   replay what-if  --rules FILE [--as-of SEQ|TIME]
//   replay diff     --from SEQ --to SEQ [--campaign ID]
//   replay bundle   KIND/ID --out FILE
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>

#include "cli/command.h"
#include "cli/progress.h"
#include "ledger/file_io.h"
#include "ledger/witness_policy.h"
#include "replay/bundle.h"
#include "replay/diff.h"
#include "replay/replay_source.h"
#include "replay/state.h"
#include "replay/timeline.h"
#include "replay/what_if.h"
#include "rules/rule_config.h"

namespace fupin::cli {
namespace {

struct ReplayOptions {
  std::string data;
  std::string as_of;
  std::string campaign;
  std::string region;
  std::string entity;
  std::string rules;
  std::string out;
  uint64_t from = 0;
  uint64_t to = std::numeric_limits<uint64_t>::max();
  std::string witness_policy;
  bool json = false;
};

// Progress on stderr for a terminal; a lambda the library calls.
auto Meter(ProgressMeter& meter) {
  return [&meter](uint64_t done, uint64_t target) { meter(done, target); };
}

int RunState(const ReplayOptions& o) {
  constexpr std::string_view kName = "replay state";
  Result<std::unique_ptr<Ledger>> ledger = replay::OpenReadOnly(o.data);
  if (!ledger.ok()) return ReportFailure(kName, ledger.status(), o.json);
  Result<uint64_t> as_of = replay::ResolveAsOf(**ledger, o.as_of);
  if (!as_of.ok()) return ReportFailure(kName, as_of.status(), o.json);
  replay::StateQuery query{*as_of, o.campaign, o.region};
  ProgressMeter meter("replaying state");
  Result<replay::ReplayState> state = replay::StateAt(**ledger, query, Meter(meter));
  if (!state.ok()) return ReportFailure(kName, state.status(), o.json);
  if (o.json) {
    PrintJson(replay::StateJson(*state, query));
  } else {
    std::cout << replay::RenderStateText(*state, query) << std::flush;
  }
  return kExitOk;
}

int RunTimeline(const ReplayOptions& o) {
  constexpr std::string_view kName = "replay timeline";
  Result<std::string> entity = replay::ParseEntity(o.entity);
  if (!entity.ok()) return ReportFailure(kName, entity.status(), o.json);
  if (o.from > o.to) {
    return ReportFailure(kName, Status(ErrorCode::kInvalidArgument, "--from is above --to"),
                         o.json);
  }
  Result<std::unique_ptr<Ledger>> ledger = replay::OpenReadOnly(o.data);
  if (!ledger.ok()) return ReportFailure(kName, ledger.status(), o.json);
  ProgressMeter meter("checking records");
  Result<replay::Timeline> timeline =
      replay::BuildTimeline(**ledger, *entity, o.from, o.to, Meter(meter));
  if (!timeline.ok()) return ReportFailure(kName, timeline.status(), o.json);
  if (o.json) {
    PrintJson(replay::TimelineJson(*timeline));
  } else {
    std::cout << replay::RenderTimelineText(*timeline) << std::flush;
  }
  return timeline->ok() ? kExitOk : kExitProblem;
}

int RunWhatIf(const ReplayOptions& o) {
  constexpr std::string_view kName = "replay what-if";
  Result<rules::RuleConfig> config = rules::LoadRuleConfigFile(o.rules);
  if (!config.ok()) return ReportFailure(kName, config.status(), o.json);
  Result<std::unique_ptr<Ledger>> ledger = replay::OpenReadOnly(o.data);
  if (!ledger.ok()) return ReportFailure(kName, ledger.status(), o.json);
  Result<uint64_t> as_of = o.as_of.empty() ? Result<uint64_t>((*ledger)->tree_size() - 1)
                                           : replay::ResolveAsOf(**ledger, o.as_of);
  if (!as_of.ok()) return ReportFailure(kName, as_of.status(), o.json);
  ProgressMeter meter("re-running rules");
  Result<replay::WhatIfReport> report = replay::WhatIf(**ledger, *config, *as_of, Meter(meter));
  if (!report.ok()) return ReportFailure(kName, report.status(), o.json);
  if (o.json) {
    PrintJson(replay::WhatIfJson(*report));
  } else {
    std::cout << replay::RenderWhatIfText(*report) << std::flush;
  }
  return kExitOk;
}

int RunDiff(const ReplayOptions& o) {
  constexpr std::string_view kName = "replay diff";
  Result<std::unique_ptr<Ledger>> ledger = replay::OpenReadOnly(o.data);
  if (!ledger.ok()) return ReportFailure(kName, ledger.status(), o.json);
  ProgressMeter meter("diffing statistics");
  Result<replay::StatisticsDiff> diff =
      replay::DiffStatistics(**ledger, o.from, o.to, o.campaign, Meter(meter));
  if (!diff.ok()) return ReportFailure(kName, diff.status(), o.json);
  if (o.json) {
    PrintJson(replay::DiffJson(*diff));
  } else {
    std::cout << replay::RenderDiffText(*diff) << std::flush;
  }
  return kExitOk;
}

int RunBundle(const ReplayOptions& o) {
  constexpr std::string_view kName = "replay bundle";
  Result<std::string> entity = replay::ParseEntity(o.entity);
  if (!entity.ok()) return ReportFailure(kName, entity.status(), o.json);
  Result<std::unique_ptr<Ledger>> ledger = replay::OpenReadOnly(o.data);
  if (!ledger.ok()) return ReportFailure(kName, ledger.status(), o.json);
  replay::BundleStats stats;
  ProgressMeter meter("collecting proofs");
  std::optional<WitnessPolicy> policy;
  if (!o.witness_policy.empty()) {
    Result<WitnessPolicy> read = ReadWitnessPolicyFile(o.witness_policy);
    if (!read.ok()) return ReportFailure(kName, read.status(), o.json);
    policy = std::move(read).value();
  }
  Result<std::string> bundle =
      replay::BuildBundle(**ledger, *entity, &stats, Meter(meter), policy ? &*policy : nullptr);
  if (!bundle.ok()) return ReportFailure(kName, bundle.status(), o.json);
  // Renamed into place: a failed write never leaves a partial bundle.
  Status written = WriteFileDurably(o.out, *bundle);
  if (!written.ok()) return ReportFailure(kName, written, o.json);
  if (o.json) {
    PrintJson({{"out", o.out},
               {"entity", stats.entity},
               {"checkpoint_tree_size", stats.checkpoint_tree_size},
               {"records", stats.records},
               {"trail", stats.trail},
               {"chain", stats.chain},
               {"keys", stats.keys},
               {"bytes", bundle->size()}});
  } else {
    std::cout << "证据包已写入 " << o.out << "：" << stats.entity << "，轨迹 " << stats.trail
              << " 条，哈希链 " << stats.chain << " 版，密钥 " << stats.keys << " 把，共 "
              << stats.records << " 条记录，检查点树大小 " << stats.checkpoint_tree_size << '\n';
  }
  return kExitOk;
}

CLI::App* Sub(CLI::App* parent, const char* name, const char* help, ReplayOptions& o) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--data", o.data, "Data directory of the ledger (opened read-only)")->required();
  cmd->add_flag("--json", o.json, "Machine-readable output");
  return cmd;
}

}  // namespace

void AddReplayCommand(CLI::App& app, CommandContext& context) {
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Reconstruct the ledger as of any point, follow an entity, test other rule thresholds, "
      "and export evidence bundles. Opens the data directory read-only (works beside a "
      "running server; sees the log as of opening).");
  cmd->require_subcommand(1);

  auto state = std::make_shared<ReplayOptions>();
  CLI::App* state_cmd = Sub(cmd, "state",
                            "Statistics table, targets and entity states exactly as at a seq or "
                            "time (a time resolves to the last seq recorded at or before it)",
                            *state);
  state_cmd->add_option("--as-of", state->as_of, "SEQ or RFC 3339 time")->required();
  state_cmd->add_option("--campaign", state->campaign, "Only this campaign (default: all)");
  state_cmd->add_option("--region", state->region,
                        "Only rows at or below this region, and list its entities");
  state_cmd->callback([state, &context] { context.exit_code = RunState(*state); });

  auto timeline = std::make_shared<ReplayOptions>();
  CLI::App* timeline_cmd = Sub(cmd, "timeline",
                               "Every record about an entity, each with its signature and "
                               "inclusion proof checked (exit 1 if a check fails)",
                               *timeline);
  timeline_cmd->add_option("entity", timeline->entity, "KIND/ID, e.g. product/P-1")->required();
  timeline_cmd->add_option("--from", timeline->from, "First seq (default 0)");
  timeline_cmd->add_option("--to", timeline->to, "Last seq (default: the end of the log)");
  timeline_cmd->callback([timeline, &context] { context.exit_code = RunTimeline(*timeline); });

  auto what_if = std::make_shared<ReplayOptions>();
  CLI::App* what_if_cmd = Sub(cmd, "what-if",
                              "Re-run the rules with another configuration and show the "
                              "difference against the flags the log raised",
                              *what_if);
  what_if_cmd
      ->add_option("--rules", what_if->rules,
                   "Rule configuration overriding rules/default-rules.json")
      ->required();
  what_if_cmd->add_option("--as-of", what_if->as_of, "SEQ or RFC 3339 time (default: the end)");
  what_if_cmd->callback([what_if, &context] { context.exit_code = RunWhatIf(*what_if); });

  auto diff = std::make_shared<ReplayOptions>();
  CLI::App* diff_cmd = Sub(cmd, "diff",
                           "What changed in the statistics table between two seqs, per row and "
                           "column, and which records caused each change",
                           *diff);
  diff_cmd->add_option("--from", diff->from, "Earlier seq")->required();
  diff_cmd->add_option("--to", diff->to, "Later seq")->required();
  diff_cmd->add_option("--campaign", diff->campaign, "Only this campaign (default: all)");
  diff_cmd->callback([diff, &context] { context.exit_code = RunDiff(*diff); });

  auto bundle = std::make_shared<ReplayOptions>();
  CLI::App* bundle_cmd = Sub(cmd, "bundle",
                             "Write an evidence bundle of an entity (docs/bundle.md), checkable "
                             "offline with verify-bundle",
                             *bundle);
  bundle_cmd->add_option("entity", bundle->entity, "KIND/ID, e.g. product/P-1")->required();
  bundle_cmd->add_option("--out", bundle->out, "Bundle file to write")->required();
  bundle_cmd->add_option("--witness-policy", bundle->witness_policy,
                         "Witness policy (docs/trust.md): prove against the newest checkpoint "
                         "that carries its quorum of cosignatures");
  bundle_cmd->callback([bundle, &context] { context.exit_code = RunBundle(*bundle); });
}

}  // namespace fupin::cli
