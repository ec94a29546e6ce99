// `rules`: the rule engine offline.
//   rules eval  --data DIR --labels FILE [--config FILE]: evaluates every
//               rule over the log (read-only, nothing is appended) and
//               compares the flagged subjects with labelled cases:
//               true/false positives, false negatives, precision, recall.
//   rules check [--config FILE]: validates a rule configuration.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <span>
#include <sstream>

#include "cli/command.h"
#include "cli/progress.h"
#include "ledger/ledger.h"
#include "projections/record_scan.h"
#include "rules/engine.h"
#include "rules/rule_config.h"

namespace fupin::cli {
namespace {

namespace bj = boost::json;

// False positives and negatives listed per rule in the report.
inline constexpr std::size_t kListedSubjects = 20;

// The defaults, with the file's overrides when a path is given.
Result<rules::RuleConfig> LoadConfig(const std::string& path) {
  return path.empty() ? rules::DefaultRuleConfig() : rules::LoadRuleConfigFile(path);
}

using SubjectsByRule = std::map<std::string, std::set<std::string>>;

// labels.jsonl: one {"rule":"FP-xx","subject":"kind:id",...} per line.
Result<SubjectsByRule> ReadLabels(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status(ErrorCode::kIoError, "cannot read labels " + path);
  SubjectsByRule labels;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    boost::system::error_code ec;
    bj::value value = bj::parse(line, ec);
    const bj::object* object = ec ? nullptr : value.if_object();
    const bj::value* rule = object ? object->if_contains("rule") : nullptr;
    const bj::value* subject = object ? object->if_contains("subject") : nullptr;
    if (rule == nullptr || subject == nullptr || !rule->is_string() || !subject->is_string()) {
      return Status(ErrorCode::kInvalidArgument,
                    path + ":" + std::to_string(number) +
                        ": not a label {\"rule\":\"FP-xx\",\"subject\":\"kind:id\",...}");
    }
    labels[std::string(rule->get_string())].insert(std::string(subject->get_string()));
  }
  if (in.bad()) return Status(ErrorCode::kIoError, "cannot read labels " + path);
  return labels;
}

struct RuleScore {
  std::string rule;
  std::size_t labels = 0;
  std::size_t flagged = 0;
  std::size_t true_positives = 0;
  std::vector<std::string> false_positives;
  std::vector<std::string> false_negatives;
  // 1 when there is nothing to find and nothing was flagged.
  double precision() const {
    return flagged == 0 ? (labels == 0 ? 1.0 : 0.0)
                        : static_cast<double>(true_positives) / static_cast<double>(flagged);
  }
  double recall() const {
    return labels == 0 ? (flagged == 0 ? 1.0 : 0.0)
                       : static_cast<double>(true_positives) / static_cast<double>(labels);
  }
};

std::vector<RuleScore> Score(const SubjectsByRule& flagged, const SubjectsByRule& labels) {
  std::set<std::string> rules;
  for (const rules::RuleInfo& info : rules::RuleCatalog()) rules.insert(std::string(info.id));
  for (const auto& [rule, subjects] : labels) rules.insert(rule);
  std::vector<RuleScore> scores;
  static const std::set<std::string> kNone;
  for (const std::string& rule : rules) {
    auto f = flagged.find(rule);
    auto l = labels.find(rule);
    const std::set<std::string>& got = f == flagged.end() ? kNone : f->second;
    const std::set<std::string>& want = l == labels.end() ? kNone : l->second;
    RuleScore score{rule, want.size(), got.size()};
    for (const std::string& subject : got) {
      if (want.contains(subject)) {
        ++score.true_positives;
      } else {
        score.false_positives.push_back(subject);
      }
    }
    for (const std::string& subject : want) {
      if (!got.contains(subject)) score.false_negatives.push_back(subject);
    }
    scores.push_back(std::move(score));
  }
  return scores;
}

std::string Fixed(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << value;
  return out.str();
}

bj::array Listed(const std::vector<std::string>& subjects) {
  bj::array out;
  for (std::size_t i = 0; i < subjects.size() && i < kListedSubjects; ++i) {
    out.emplace_back(subjects[i]);
  }
  return out;
}

struct EvalOptions {
  std::string data;
  std::string labels;
  std::string config;
  double min_precision = 0;
  double min_recall = 0;
  bool json = false;
};

int RunEval(const EvalOptions& options) {
  Result<rules::RuleConfig> config = LoadConfig(options.config);
  if (!config.ok()) return ReportFailure("rules eval", config.status(), options.json);
  Result<SubjectsByRule> labels = ReadLabels(options.labels);
  if (!labels.ok()) return ReportFailure("rules eval", labels.status(), options.json);
  Result<std::unique_ptr<rules::RuleEngine>> engine = rules::RuleEngine::Create(*config);
  if (!engine.ok()) return ReportFailure("rules eval", engine.status(), options.json);
  LedgerOptions ledger_options;
  ledger_options.read_only = true;
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(options.data, ledger_options);
  if (!ledger.ok()) return ReportFailure("rules eval", ledger.status(), options.json);

  const uint64_t size = (*ledger)->tree_size();
  SubjectsByRule flagged;
  uint64_t raised_total = 0;
  std::vector<rules::RaisedFlag> raised;
  ProgressMeter progress("evaluating rules");
  Status scanned =
      projections::ScanDecoded((*ledger)->store(), 0, size, projections::ScanOptions{},
                               [&](std::span<const projections::DecodedRecord> batch) {
                                 for (const projections::DecodedRecord& record : batch) {
                                   (*engine)->Apply(record, raised);
                                 }
                                 for (const rules::RaisedFlag& flag : raised) {
                                   flagged[flag.body.rule].insert(flag.body.subject);
                                 }
                                 raised_total += raised.size();
                                 raised.clear();
                                 progress(batch.back().seq + 1, size);
                                 return Status::Ok();
                               });
  if (!scanned.ok()) return ReportFailure("rules eval", scanned, options.json);

  std::vector<RuleScore> scores = Score(flagged, *labels);
  bool passed = true;
  bj::array rows;
  for (const RuleScore& s : scores) {
    const bool ok = s.precision() >= options.min_precision && s.recall() >= options.min_recall;
    passed = passed && ok;
    rows.push_back({{"rule", s.rule},
                    {"labels", s.labels},
                    {"flagged", s.flagged},
                    {"true_positives", s.true_positives},
                    {"false_positives", s.false_positives.size()},
                    {"false_negatives", s.false_negatives.size()},
                    {"precision", Fixed(s.precision())},
                    {"recall", Fixed(s.recall())},
                    {"passed", ok},
                    {"false_positive_subjects", Listed(s.false_positives)},
                    {"false_negative_subjects", Listed(s.false_negatives)}});
  }
  if (options.json) {
    PrintJson({{"records", size},
               {"flags_raised", raised_total},
               {"min_precision", Fixed(options.min_precision)},
               {"min_recall", Fixed(options.min_recall)},
               {"passed", passed},
               {"rules", std::move(rows)}});
  } else {
    std::cout << "rule    labels  flagged     TP     FP     FN  precision  recall\n";
    for (const RuleScore& s : scores) {
      const bool ok = s.precision() >= options.min_precision && s.recall() >= options.min_recall;
      std::cout << std::left << std::setw(6) << s.rule << std::right << std::setw(8) << s.labels
                << std::setw(9) << s.flagged << std::setw(7) << s.true_positives << std::setw(7)
                << s.false_positives.size() << std::setw(7) << s.false_negatives.size()
                << std::setw(11) << Fixed(s.precision()) << std::setw(8) << Fixed(s.recall())
                << (ok ? "" : "  below the bar") << '\n';
    }
    std::cout << size << " records evaluated, " << raised_total << " flags raised\n";
  }
  return passed ? kExitOk : kExitProblem;
}

int RunCheck(const std::string& path, bool json) {
  Result<rules::RuleConfig> config = LoadConfig(path);
  Result<std::vector<std::unique_ptr<rules::Rule>>> built =
      config.ok() ? rules::BuildRules(*config)
                  : Result<std::vector<std::unique_ptr<rules::Rule>>>(config.status());
  if (!built.ok()) {
    const int code = ReportFailure("rules check", built.status(), json);
    // An unreadable file is an I/O error (2); a readable but invalid
    // configuration is the problem this command looks for (1).
    return built.status().code() == ErrorCode::kIoError ? code : kExitProblem;
  }
  bj::array enabled;
  for (const auto& rule : *built) enabled.emplace_back(std::string(rule->id()));
  if (json) {
    PrintJson({{"config", path.empty() ? "defaults" : path}, {"enabled", enabled}});
  } else {
    std::cout << (path.empty() ? std::string("the default configuration") : path)
              << " is valid; enabled rules: " << bj::serialize(enabled) << '\n';
  }
  return kExitOk;
}

}  // namespace

void AddRulesCommand(CLI::App& app, CommandContext& context) {
  CLI::App* cmd = app.add_subcommand("rules", "The rule engine (SPEC §4) offline");
  cmd->require_subcommand(1);

  auto eval = std::make_shared<EvalOptions>();
  CLI::App* eval_cmd = cmd->add_subcommand(
      "eval",
      "Evaluate every rule over a ledger's log (opened read-only; nothing is appended) and "
      "compare the flagged subjects with labelled cases: per rule, true and false positives, "
      "false negatives, precision and recall. Exit 1 when a rule is below --min-precision or "
      "--min-recall.");
  eval_cmd->add_option("--data", eval->data, "Data directory of the ledger")->required();
  eval_cmd->add_option("--labels", eval->labels, "labels.jsonl of a generated campaign")
      ->required();
  eval_cmd->add_option("--config", eval->config,
                       "Rule configuration overriding rules/default-rules.json");
  eval_cmd->add_option("--min-precision", eval->min_precision, "Required precision per rule")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_option("--min-recall", eval->min_recall, "Required recall per rule")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_flag("--json", eval->json, "Print the report as JSON");
  eval_cmd->callback([eval, &context] { context.exit_code = RunEval(*eval); });

  auto check_config = std::make_shared<std::string>();
  auto check_json = std::make_shared<bool>(false);
  CLI::App* check_cmd = cmd->add_subcommand(
      "check", "Validate a rule configuration (exit 1 with the reason when it is invalid)");
  check_cmd->add_option("--config", *check_config,
                        "Rule configuration overriding rules/default-rules.json (default: "
                        "check the defaults)");
  check_cmd->add_flag("--json", *check_json, "Machine-readable output");
  check_cmd->callback([check_config, check_json, &context] {
    context.exit_code = RunCheck(*check_config, *check_json);
  });
}

}  // namespace fupin::cli
