#include "generator/uscc.h"

#include <array>

namespace fupin::generator {
namespace {

// GB 32100-2015 code characters in value order (no I, O, S, V, Z).
inline constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// GB 11714 organisation code: weights of the 8 body characters.
inline constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

// GB 11714 values: digits 0-9, letters A=10 .. Z=35.
int OrgValue(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

}  // namespace

std::string MakeUscc(std::string_view prefix, std::string_view county, uint64_t entropy) {
  std::string org = "MA4";
  for (int i = 0; i < 5; ++i) {
    org += kAlphabet[entropy % kAlphabet.size()];
    entropy /= kAlphabet.size();
  }
  int sum = 0;
  for (std::size_t i = 0; i < kOrgWeights.size(); ++i) {
    sum += OrgValue(org[i]) * kOrgWeights[i];
  }
  const int check = 11 - sum % 11;
  org += check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);

  std::string code = std::string(prefix) + std::string(county) + org;
  int total = 0;
  int weight = 1;  // 3^i mod 31
  for (char c : code) {
    total += static_cast<int>(kAlphabet.find(c)) * weight;
    weight = weight * 3 % 31;
  }
  code += kAlphabet[static_cast<std::size_t>((31 - total % 31) % 31)];
  return code;
}

}  // namespace fupin::generator
