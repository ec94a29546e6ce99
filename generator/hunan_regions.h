// The reference table of Hunan's regions (GB/T 2260, 2020 vintage, with the
// 51 poverty counties), compiled in from fixtures/regions/hunan-regions.csv.
#pragma once

#include <string_view>

namespace fupin::generator {

// CSV text: code,name,level,parent,poverty_county,poverty_exit_year
extern const std::string_view kHunanRegionsCsv;

}  // namespace fupin::generator
