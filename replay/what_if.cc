#include "replay/what_if.h"

#include <sstream>
#include <tuple>

#include "projections/record_scan.h"
#include "replay/labels.h"
#include "rules/engine.h"

namespace fupin::replay {
namespace {

namespace bj = boost::json;

FlagSide SideOf(const FlagRaised& body, uint64_t seq) {
  return {body.flag_id, body.rule, body.subject, body.region, body.severity, body.summary, seq};
}

bj::object FlagJson(const FlagSide& f) {
  return {{"flag_id", f.flag_id},
          {"rule", f.rule},
          {"subject", f.subject},
          {"region", f.region},
          {"severity", FlagSeverityName(f.severity)},
          {"summary", f.summary},
          {"seq", f.seq}};
}

std::string_view SeverityLabel(FlagSeverity s) {
  switch (s) {
    case FlagSeverity::kInfo:
      return "提示";
    case FlagSeverity::kWarning:
      return "警告";
    case FlagSeverity::kAlert:
      return "严重";
  }
  return "";
}

}  // namespace

Result<WhatIfReport> WhatIf(const Ledger& ledger, const rules::RuleConfig& config, uint64_t as_of,
                            const std::function<void(uint64_t, uint64_t)>& progress) {
  if (as_of >= ledger.tree_size()) {
    return Status(ErrorCode::kInvalidArgument,
                  "as_of " + std::to_string(as_of) + " is beyond the log");
  }
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<rules::RuleEngine> engine,
                         rules::RuleEngine::Create(config));
  std::map<std::string, FlagSide> actual;
  std::map<std::string, FlagSide> replayed;
  std::vector<rules::RaisedFlag> raised;
  const uint64_t end = as_of + 1;
  Status scanned = projections::ScanDecoded(
      ledger.store(), 0, end, projections::ScanOptions{},
      [&](std::span<const projections::DecodedRecord> batch) {
        for (const projections::DecodedRecord& record : batch) {
          if (const auto* flag = std::get_if<FlagRaised>(&record.body)) {
            actual.emplace(flag->flag_id, SideOf(*flag, record.seq));
          }
          engine->Apply(record, raised);
        }
        for (const rules::RaisedFlag& flag : raised) {
          replayed.emplace(flag.body.flag_id, SideOf(flag.body, flag.decided_at));
        }
        raised.clear();
        if (progress) progress(batch.back().seq + 1, end);
        return Status::Ok();
      });
  if (!scanned.ok()) return scanned;
  WhatIfReport report;
  report.as_of = as_of;
  report.actual_flags = actual.size();
  report.replayed_flags = replayed.size();
  for (const auto& [id, flag] : replayed) {
    auto it = actual.find(id);
    if (it == actual.end()) {
      report.added.push_back(flag);
    } else if (it->second.severity != flag.severity) {
      report.changed.push_back({it->second, flag});
    }
  }
  for (const auto& [id, flag] : actual) {
    if (!replayed.contains(id)) report.vanished.push_back(flag);
  }
  return report;
}

bj::object WhatIfJson(const WhatIfReport& report) {
  bj::array added;
  bj::array vanished;
  bj::array changed;
  // (rule, region) -> new, vanished, changed
  std::map<std::pair<std::string, std::string>, std::tuple<int64_t, int64_t, int64_t>> tally;
  for (const FlagSide& f : report.added) {
    added.push_back(FlagJson(f));
    ++std::get<0>(tally[{f.rule, f.region}]);
  }
  for (const FlagSide& f : report.vanished) {
    vanished.push_back(FlagJson(f));
    ++std::get<1>(tally[{f.rule, f.region}]);
  }
  for (const FlagChange& c : report.changed) {
    changed.push_back({{"flag_id", c.actual.flag_id},
                       {"rule", c.actual.rule},
                       {"subject", c.actual.subject},
                       {"region", c.actual.region},
                       {"severity_before", FlagSeverityName(c.actual.severity)},
                       {"severity_after", FlagSeverityName(c.replayed.severity)},
                       {"seq", c.actual.seq}});
    ++std::get<2>(tally[{c.actual.rule, c.actual.region}]);
  }
  bj::array by_rule_region;
  for (const auto& [key, counts] : tally) {
    by_rule_region.push_back({{"rule", key.first},
                              {"region", key.second},
                              {"new", std::get<0>(counts)},
                              {"vanished", std::get<1>(counts)},
                              {"changed", std::get<2>(counts)}});
  }
  return {{"as_of", report.as_of},
          {"actual_flags", report.actual_flags},
          {"replayed_flags", report.replayed_flags},
          {"identical", report.empty()},
          {"new", std::move(added)},
          {"vanished", std::move(vanished)},
          {"changed", std::move(changed)},
          {"by_rule_region", std::move(by_rule_region)}};
}

std::string RenderWhatIfText(const WhatIfReport& report) {
  std::ostringstream out;
  out << "假设分析：截至序号 " << report.as_of << "，账本中的预警 " << report.actual_flags
      << " 条，新配置下的预警 " << report.replayed_flags << " 条\n";
  if (report.empty()) {
    out << "结论：两者完全一致\n";
    return out.str();
  }
  out << "新增 " << report.added.size() << " 条，消失 " << report.vanished.size()
      << " 条，等级变化 " << report.changed.size() << " 条\n\n";
  out << PadRight("变化", 10) << PadRight("规则", 8) << PadRight("地区", 8) << PadRight("等级", 14)
      << PadRight("对象", 28) << "预警编号\n";
  auto line = [&](std::string_view what, const FlagSide& f, const std::string& severity) {
    out << PadRight(what, 10) << PadRight(f.rule, 8) << PadRight(f.region, 8)
        << PadRight(severity, 14) << PadRight(f.subject, 28) << f.flag_id << '\n';
  };
  for (const FlagSide& f : report.added) line("新增", f, std::string(SeverityLabel(f.severity)));
  for (const FlagSide& f : report.vanished) line("消失", f, std::string(SeverityLabel(f.severity)));
  for (const FlagChange& c : report.changed) {
    line("等级变化", c.actual,
         std::string(SeverityLabel(c.actual.severity)) + "→" +
             std::string(SeverityLabel(c.replayed.severity)));
  }
  return out.str();
}

}  // namespace fupin::replay
