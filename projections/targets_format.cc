#include "projections/targets_format.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <string>

#include "ledger/event_types.h"

namespace fupin::projections {
namespace {

// actual / required in percent, two decimals, floored; exact in integers
// (figures stay below 2^53, so * 10000 fits in int64 for any real target).
std::string ProgressPercent(int64_t actual, int64_t required) {
  if (required <= 0) return "100.00";
  const int64_t basis_points = std::max<int64_t>(0, actual) * 10'000 / required;
  std::string fraction = std::to_string(basis_points % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return std::to_string(basis_points / 100) + "." + fraction;
}

boost::json::object CheckJson(const TargetCheck& check) {
  boost::json::object out;
  out["target"] = check.target;
  out["region"] = check.region;
  out["name"] = check.name;
  out["level"] = RegionLevelName(check.level);
  out["required"] = check.required;
  out["actual"] = check.actual;
  out["met"] = check.met();
  out["progress_percent"] = ProgressPercent(check.actual, check.required);
  return out;
}

}  // namespace

boost::json::object TargetsJson(const TargetsReport& report) {
  boost::json::array checks;
  boost::json::array shortfalls;
  for (const TargetCheck& check : report.checks) {
    checks.push_back(CheckJson(check));
    if (!check.met()) shortfalls.push_back(CheckJson(check));
  }
  boost::json::object out;
  out["campaign"] = report.campaign_id;
  out["as_of"] = static_cast<int64_t>(report.as_of);
  out["met"] = report.all_met();
  out["checks"] = std::move(checks);
  out["shortfalls"] = std::move(shortfalls);
  return out;
}

}  // namespace fupin::projections
