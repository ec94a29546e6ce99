// Hunan's regions as the generator uses them: parsed from the compiled-in
// reference table (hunan_regions.h), with the hierarchy and the 51 poverty
// counties at hand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ledger/entity_state.h"
#include "ledger/status.h"

namespace fupin::generator {

struct Region {
  std::string code;  // GB/T 2260, 6 digits
  std::string name;
  RegionLevel level = RegionLevel::kCounty;
  std::string parent;  // empty for the province
  bool poverty_county = false;
  int index = 0;        // position in RegionTable::all()
  int prefecture = -1;  // index of the own (or containing) prefecture
};

// The province, its prefectures and counties, in definition order
// (province, prefectures, then counties by code), so that every parent
// comes before its children. Immutable after Parse; thread-safe to read.
class RegionTable {
 public:
  // Parses "code,name,level,parent,poverty_county,poverty_exit_year" with a
  // header line. kInvalidArgument on a malformed line, an unknown level or
  // parent, or a table without exactly one province.
  static Result<RegionTable> Parse(std::string_view csv);
  // The compiled-in table (kHunanRegionsCsv).
  static Result<RegionTable> Hunan();

  const std::vector<Region>& all() const { return regions_; }
  const Region& province() const { return regions_[0]; }
  // Indexes into all().
  const std::vector<int>& prefectures() const { return prefectures_; }
  const std::vector<int>& counties() const { return counties_; }
  const std::vector<int>& poverty_counties() const { return poverty_; }
  // Counties of a prefecture (index of the prefecture).
  const std::vector<int>& CountiesOf(int prefecture) const;
  // Index of a code, or -1.
  int Find(std::string_view code) const;
  // The name without its administrative suffix, for product and venue
  // names: "城步苗族自治县" -> "城步", "长沙市" -> "长沙".
  static std::string ShortName(std::string_view name);

 private:
  std::vector<Region> regions_;
  std::vector<int> prefectures_;
  std::vector<int> counties_;
  std::vector<int> poverty_;
  std::vector<std::vector<int>> counties_of_;  // by index of prefecture
};

}  // namespace fupin::generator
