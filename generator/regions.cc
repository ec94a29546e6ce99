#include "generator/regions.h"

#include <algorithm>
#include <array>

#include "generator/hunan_regions.h"

namespace fupin::generator {
namespace {

std::vector<std::string_view> SplitLine(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

Status Malformed(std::size_t line_no, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument,
                "regions table line " + std::to_string(line_no) + ": " + std::string(what));
}

}  // namespace

Result<RegionTable> RegionTable::Parse(std::string_view csv) {
  std::vector<Region> parsed;
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start < csv.size()) {
    std::size_t end = csv.find('\n', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;  // header, blank
    const std::vector<std::string_view> f = SplitLine(line);
    if (f.size() != 6) return Malformed(line_no, "expected 6 fields");
    Region r;
    r.code = f[0];
    r.name = f[1];
    if (f[2] == "province") {
      r.level = RegionLevel::kProvince;
    } else if (f[2] == "prefecture") {
      r.level = RegionLevel::kPrefecture;
    } else if (f[2] == "county") {
      r.level = RegionLevel::kCounty;
    } else {
      return Malformed(line_no, "unknown level");
    }
    r.parent = f[3];
    r.poverty_county = f[4] == "1";
    parsed.push_back(std::move(r));
  }
  // Parents first: by level, then by code.
  std::stable_sort(parsed.begin(), parsed.end(), [](const Region& a, const Region& b) {
    if (a.level != b.level) return a.level < b.level;
    return a.code < b.code;
  });
  RegionTable table;
  table.regions_ = std::move(parsed);
  if (table.regions_.empty() || table.regions_[0].level != RegionLevel::kProvince ||
      (table.regions_.size() > 1 && table.regions_[1].level == RegionLevel::kProvince)) {
    return Status(ErrorCode::kInvalidArgument, "regions table: exactly one province expected");
  }
  for (std::size_t i = 0; i < table.regions_.size(); ++i) {
    Region& r = table.regions_[i];
    r.index = static_cast<int>(i);
    if (r.level == RegionLevel::kProvince) continue;
    const int parent = table.Find(r.parent);
    if (parent < 0 || parent >= r.index) {
      return Status(ErrorCode::kInvalidArgument, "regions table: unknown parent of " + r.code);
    }
    if (r.level == RegionLevel::kPrefecture) {
      r.prefecture = r.index;
      table.prefectures_.push_back(r.index);
      table.counties_of_.emplace_back();
    } else {
      r.prefecture = parent;
      table.counties_.push_back(r.index);
      if (r.poverty_county) table.poverty_.push_back(r.index);
    }
  }
  for (int county : table.counties_) {
    const int pref = table.regions_[county].prefecture;
    const auto pos = std::find(table.prefectures_.begin(), table.prefectures_.end(), pref);
    table.counties_of_[pos - table.prefectures_.begin()].push_back(county);
  }
  return table;
}

Result<RegionTable> RegionTable::Hunan() { return Parse(kHunanRegionsCsv); }

const std::vector<int>& RegionTable::CountiesOf(int prefecture) const {
  const auto pos = std::find(prefectures_.begin(), prefectures_.end(), prefecture);
  return counties_of_[pos - prefectures_.begin()];
}

int RegionTable::Find(std::string_view code) const {
  for (const Region& r : regions_) {
    if (r.code == code) return r.index;
  }
  return -1;
}

std::string RegionTable::ShortName(std::string_view name) {
  // Longest suffixes first, so "苗族侗族自治县" wins over "自治县".
  static constexpr std::array<std::string_view, 12> kSuffixes = {"土家族苗族自治州",
                                                                 "苗族侗族自治县",
                                                                 "苗族自治县",
                                                                 "侗族自治县",
                                                                 "瑶族自治县",
                                                                 "洪江管理区",
                                                                 "管理区",
                                                                 "市",
                                                                 "县",
                                                                 "区",
                                                                 "州",
                                                                 "省"};
  if (name == "怀化市洪江管理区") return "洪江区";
  for (std::string_view suffix : kSuffixes) {
    if (name.size() > suffix.size() + 3 && name.ends_with(suffix)) {
      return std::string(name.substr(0, name.size() - suffix.size()));
    }
  }
  return std::string(name);
}

}  // namespace fupin::generator
