// The rule configuration (SPEC §4: every threshold lives in a config file,
// not in code): rules/default-rules.json, compiled into the binary, and
// overrides from the server config or `--config FILE`.
//
// File form (docs/rules.md):
//   {"version":1,
//    "business_clock":{"advancing_types":[...]},           (engine.h)
//    "rules":{"FP-03":{"enabled":true,"severity":"warning",
//                      "warning_ratio":1.30,"alert_ratio":1.50}, ...}}
// An override has the same form with any subset of rules and parameters;
// each parameter given replaces the default. Unknown rule ids, unknown
// parameters, wrong types and out-of-range values are errors
// (kInvalidArgument) whose message names the rule and the parameter, e.g.
// "rules config: FP-03.alert_ratio must be a number >= 1, got \"x\"".
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event_types.h"
#include "ledger/status.h"
#include "rules/rule.h"

namespace fupin::rules {

// The text of rules/default-rules.json (generated from the file at build
// time: default_rules.cc.in).
extern const std::string_view kDefaultRulesJson;

// One rule's parameters as configured. Rule factories read them through
// the typed getters, each of which checks range and records that the
// parameter was used; the factory's caller then refuses any parameter
// nobody read (a misspelt threshold must not be silently ignored).
class RuleParams {
 public:
  RuleParams(std::string rule_id, boost::json::object params);

  const std::string& rule_id() const { return rule_id_; }

  // A JSON integer in [min, max].
  Result<int64_t> Int(std::string_view name, int64_t min, int64_t max);
  // A JSON number (integer or fraction) in [min, max].
  Result<double> Number(std::string_view name, double min, double max);
  // "info" | "warning" | "alert".
  Result<FlagSeverity> Severity(std::string_view name);
  // kInvalidArgument naming the first parameter no getter read.
  Status CheckAllRead() const;

 private:
  Result<const boost::json::value*> Find(std::string_view name);

  std::string rule_id_;
  boost::json::object params_;
  std::set<std::string, std::less<>> read_;
};

struct RuleConfig {
  // Event types whose occurred_at advances the business clock.
  std::vector<EventType> clock_types;
  // Per rule id ("FP-01"...), enabled flag and its parameters (without
  // "enabled"), in id order.
  struct Entry {
    bool enabled = true;
    boost::json::object params;
  };
  std::map<std::string, Entry, std::less<>> rules;
};

// Parses a config document (the defaults, or an override). Errors:
// kInvalidArgument with the offending path.
// Text is parsed strictly (fupin::json::ParseStrict: duplicate members
// refused) with fractions allowed.
Result<RuleConfig> ParseRuleConfigText(std::string_view json_text);
Result<RuleConfig> ParseRuleConfig(const boost::json::value& json);
// The defaults with the overrides of the file at `path` (`rules eval
// --config`, `replay what-if --rules`). Errors: kIoError, the parse and
// merge errors prefixed with the path.
Result<RuleConfig> LoadRuleConfigFile(const std::string& path);
// The defaults with `override` applied parameter by parameter. Errors:
// an override naming an unknown rule or a parameter the default lacks.
Result<RuleConfig> MergeRuleConfig(const RuleConfig& defaults, const RuleConfig& override);
// kDefaultRulesJson, parsed (cannot fail for a built binary; a test
// checks it).
Result<RuleConfig> DefaultRuleConfig();

// Builds a rule from its parameters. Reads every parameter it needs
// through `params`; errors are the getters'.
using RuleFactory = Result<std::unique_ptr<Rule>> (*)(RuleParams& params);

struct RuleInfo {
  std::string_view id;    // "FP-03"
  std::string_view name;  // "price_above_reference"
  RuleFactory factory;
};

// The catalog, FP-01 .. FP-20 in id order (rules/catalog.cc).
const std::vector<RuleInfo>& RuleCatalog();

// Instantiates every enabled rule of `config`, in id order. Errors: an id
// not in the catalog, a rule missing from the config, a factory error, a
// parameter no factory read.
Result<std::vector<std::unique_ptr<Rule>>> BuildRules(const RuleConfig& config);

}  // namespace fupin::rules
