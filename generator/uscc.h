// 统一社会信用代码 (GB 32100-2015) for generated suppliers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fupin::generator {

// An 18-character code: the 2-character registration prefix ("91" company,
// "93" cooperative), the 6-digit county code, a 9-character organisation
// code ("MA4" + 5 characters + its GB 11714 check character) drawn from
// `entropy`, and the GB 32100 check character. Always valid
// (IsValidUscc).
std::string MakeUscc(std::string_view prefix, std::string_view county, uint64_t entropy);

}  // namespace fupin::generator
