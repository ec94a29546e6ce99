#include "generator/uscc.h"

#include <array>

#include "ledger/uscc.h"

namespace fupin::generator {
namespace {

// GB 11714 organisation code: weights of the 8 body characters.
inline constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

// GB 11714 values: digits 0-9, letters A=10 .. Z=35.
int OrgValue(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

}  // namespace

std::string MakeUscc(std::string_view prefix, std::string_view county, uint64_t entropy) {
  std::string org = "MA4";
  for (int i = 0; i < 5; ++i) {
    org += kUsccAlphabet[entropy % kUsccAlphabet.size()];
    entropy /= kUsccAlphabet.size();
  }
  int sum = 0;
  for (std::size_t i = 0; i < kOrgWeights.size(); ++i) {
    sum += OrgValue(org[i]) * kOrgWeights[i];
  }
  const int check = 11 - sum % 11;
  org += check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);

  std::string code = std::string(prefix) + std::string(county) + org;
  // Every character above is of the alphabet and the body is 17 long.
  code += UsccCheckCharacter(code).value();
  return code;
}

}  // namespace fupin::generator
