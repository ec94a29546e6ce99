// Parsing, merging and instantiating the rule configuration
// (rule_config.h). Every error is kInvalidArgument with a message that
// starts "rules config: " and names the offending path.
#include "rules/rule_config.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <utility>

#include "ledger/canonical_json.h"
#include "rules/catalog.h"

namespace fupin::rules {
namespace {

Status ConfigError(std::string message) {
  return Status(ErrorCode::kInvalidArgument, "rules config: " + std::move(message));
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Shortest text of a number ("1.3", not Boost.JSON's "1.3E0").
template <typename T>
std::string NumberText(T number) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

// A configured value as the user would have written it, for messages.
std::string JsonText(const boost::json::value& value) {
  if (value.is_double()) return NumberText(value.get_double());
  return boost::json::serialize(value);
}

// "in [1, 100]", or ">= 1" when the upper end is no real limit.
template <typename T>
std::string RangeText(T min, T max) {
  if (max == std::numeric_limits<T>::max()) return ">= " + NumberText(min);
  return "in [" + NumberText(min) + ", " + NumberText(max) + "]";
}

bool IsCatalogRule(std::string_view id) {
  for (const RuleInfo& info : RuleCatalog()) {
    if (info.id == id) return true;
  }
  return false;
}

// A parameter in an override must keep the JSON kind of its default, so a
// disabled rule's parameters are checked too (its factory never runs).
bool SameKind(const boost::json::value& given, const boost::json::value& default_value) {
  if (default_value.is_int64() || default_value.is_uint64()) {
    return given.is_int64() || given.is_uint64();
  }
  if (default_value.is_double()) return given.is_number();
  return given.kind() == default_value.kind();
}

Result<std::vector<EventType>> ParseClockTypes(const boost::json::value& section) {
  const boost::json::object* object = section.if_object();
  if (object == nullptr) return ConfigError("business_clock must be an object");
  std::vector<EventType> types;
  for (const auto& [name, value] : *object) {
    if (name != "advancing_types") {
      return ConfigError("business_clock." + std::string(name) + " is not a known member");
    }
    const boost::json::array* list = value.if_array();
    if (list == nullptr || list->empty()) {
      return ConfigError(
          "business_clock.advancing_types must be a non-empty array of "
          "event types, got " +
          JsonText(value));
    }
    for (const boost::json::value& item : *list) {
      const boost::json::string* type_name = item.if_string();
      std::optional<EventType> type =
          type_name != nullptr ? ParseEventType(*type_name) : std::nullopt;
      // flag.raised never advances the clock (engine.h): the engine's own
      // output must not close windows.
      if (!type || *type == EventType::kFlagRaised) {
        return ConfigError("business_clock.advancing_types: " + JsonText(item) +
                           " is not an event type that can advance the clock");
      }
      types.push_back(*type);
    }
  }
  return types;
}

Result<RuleConfig::Entry> ParseRuleEntry(std::string_view id, const boost::json::value& value) {
  const boost::json::object* object = value.if_object();
  if (object == nullptr) return ConfigError(std::string(id) + " must be an object");
  RuleConfig::Entry entry;
  for (const auto& [name, param] : *object) {
    if (name == "enabled") {
      if (!param.is_bool()) {
        return ConfigError(std::string(id) + ".enabled must be true or false, got " +
                           JsonText(param));
      }
      entry.enabled = param.get_bool();
    } else {
      entry.params[name] = param;
    }
  }
  return entry;
}

}  // namespace

RuleParams::RuleParams(std::string rule_id, boost::json::object params)
    : rule_id_(std::move(rule_id)), params_(std::move(params)) {}

Result<const boost::json::value*> RuleParams::Find(std::string_view name) {
  const boost::json::value* value = params_.if_contains(name);
  if (value == nullptr) return ConfigError(rule_id_ + "." + std::string(name) + " is missing");
  read_.emplace(name);
  return value;
}

Result<int64_t> RuleParams::Int(std::string_view name, int64_t min, int64_t max) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* found, Find(name));
  const boost::json::value& value = *found;
  if (value.is_int64() && min <= value.get_int64() && value.get_int64() <= max) {
    return value.get_int64();
  }
  return ConfigError(rule_id_ + "." + std::string(name) + " must be an integer " +
                     RangeText(min, max) + ", got " + JsonText(value));
}

Result<double> RuleParams::Number(std::string_view name, double min, double max) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* found, Find(name));
  const boost::json::value& value = *found;
  if (value.is_number()) {
    const double number = value.to_number<double>();
    if (min <= number && number <= max) return number;
  }
  return ConfigError(rule_id_ + "." + std::string(name) + " must be a number " +
                     RangeText(min, max) + ", got " + JsonText(value));
}

Result<FlagSeverity> RuleParams::Severity(std::string_view name) {
  FUPIN_ASSIGN_OR_RETURN(const boost::json::value* found, Find(name));
  const boost::json::value& value = *found;
  if (const boost::json::string* text = value.if_string()) {
    for (FlagSeverity severity :
         {FlagSeverity::kInfo, FlagSeverity::kWarning, FlagSeverity::kAlert}) {
      if (*text == FlagSeverityName(severity)) return severity;
    }
  }
  return ConfigError(rule_id_ + "." + std::string(name) +
                     " must be \"info\", \"warning\" or \"alert\", got " + JsonText(value));
}

Status RuleParams::CheckAllRead() const {
  for (const auto& [name, value] : params_) {
    if (!read_.contains(name)) {
      return ConfigError(rule_id_ + "." + std::string(name) + " is not a parameter of the rule");
    }
  }
  return Status::Ok();
}

Result<RuleConfig> ParseRuleConfigText(std::string_view json_text) {
  // Strict: a duplicated threshold is refused, not silently overwritten.
  fupin::json::ParseLimits limits;
  limits.allow_fractions = true;
  Result<boost::json::value> json = fupin::json::ParseStrict(json_text, limits);
  if (!json.ok()) return json.status().WithContext("rules config");
  return ParseRuleConfig(*json);
}

Result<RuleConfig> LoadRuleConfigFile(const std::string& path) {
  FUPIN_ASSIGN_OR_RETURN(RuleConfig defaults, DefaultRuleConfig());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot read rule configuration " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::kIoError, "cannot read rule configuration " + path);
  Result<RuleConfig> override = ParseRuleConfigText(text.str());
  if (!override.ok()) return override.status().WithContext(path);
  Result<RuleConfig> merged = MergeRuleConfig(defaults, *override);
  if (!merged.ok()) return merged.status().WithContext(path);
  return merged;
}

Result<RuleConfig> ParseRuleConfig(const boost::json::value& json) {
  const boost::json::object* root = json.if_object();
  if (root == nullptr) return ConfigError("the document must be a JSON object");
  RuleConfig config;
  for (const auto& [member, value] : *root) {
    if (member == "version") {
      if (!value.is_int64() || value.get_int64() != 1) {
        return ConfigError("version must be 1, got " + JsonText(value));
      }
    } else if (member == "business_clock") {
      FUPIN_ASSIGN_OR_RETURN(std::vector<EventType> types, ParseClockTypes(value));
      config.clock_types = std::move(types);
    } else if (member == "rules") {
      const boost::json::object* rules = value.if_object();
      if (rules == nullptr) return ConfigError("rules must be an object");
      for (const auto& [id, entry_json] : *rules) {
        if (!IsCatalogRule(id)) return ConfigError("unknown rule " + Quoted(id));
        FUPIN_ASSIGN_OR_RETURN(RuleConfig::Entry entry, ParseRuleEntry(id, entry_json));
        config.rules.emplace(std::string(id), std::move(entry));
      }
    } else {
      return ConfigError(Quoted(member) + " is not a known member");
    }
  }
  return config;
}

Result<RuleConfig> MergeRuleConfig(const RuleConfig& defaults, const RuleConfig& override) {
  RuleConfig merged = defaults;
  if (!override.clock_types.empty()) merged.clock_types = override.clock_types;
  for (const auto& [id, given] : override.rules) {
    auto target = merged.rules.find(id);
    if (target == merged.rules.end()) return ConfigError("unknown rule " + Quoted(id));
    target->second.enabled = given.enabled;
    for (const auto& [name, value] : given.params) {
      boost::json::value* default_value = target->second.params.if_contains(name);
      if (default_value == nullptr) {
        return ConfigError(id + "." + std::string(name) + " is not a parameter of the rule");
      }
      if (!SameKind(value, *default_value)) {
        return ConfigError(id + "." + std::string(name) +
                           " must be of the same type as its "
                           "default " +
                           JsonText(*default_value) + ", got " + JsonText(value));
      }
      *default_value = value;
    }
  }
  return merged;
}

Result<RuleConfig> DefaultRuleConfig() { return ParseRuleConfigText(kDefaultRulesJson); }

Result<std::vector<std::unique_ptr<Rule>>> BuildRules(const RuleConfig& config) {
  for (const auto& [id, entry] : config.rules) {
    if (!IsCatalogRule(id)) return ConfigError("unknown rule " + Quoted(id));
  }
  std::vector<std::unique_ptr<Rule>> rules;
  for (const RuleInfo& info : RuleCatalog()) {
    auto entry = config.rules.find(info.id);
    if (entry == config.rules.end()) {
      return ConfigError(std::string(info.id) + " is missing from the configuration");
    }
    if (!entry->second.enabled) continue;
    RuleParams params(std::string(info.id), entry->second.params);
    FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<Rule> rule, info.factory(params));
    FUPIN_RETURN_IF_ERROR(params.CheckAllRead());
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace fupin::rules
