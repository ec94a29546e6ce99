#include "ledger/uscc.h"

#include <array>

namespace fupin {
namespace {

// Weight of position i is 3^i mod 31 (GB 32100-2015 §4.2).
inline constexpr std::array<int, kUsccLength - 1> kUsccWeights = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

}  // namespace

std::optional<char> UsccCheckCharacter(std::string_view body) {
  if (body.size() != kUsccWeights.size()) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const std::size_t value = kUsccAlphabet.find(body[i]);
    if (value == std::string_view::npos) return std::nullopt;
    sum += static_cast<int>(value) * kUsccWeights[i];
  }
  const int check = (31 - sum % 31) % 31;  // 31 - 0 wraps to character '0'
  return kUsccAlphabet[static_cast<std::size_t>(check)];
}

bool IsValidUscc(std::string_view uscc) {
  if (uscc.size() != kUsccLength) return false;
  const std::optional<char> check = UsccCheckCharacter(uscc.substr(0, kUsccLength - 1));
  return check && uscc.back() == *check;
}

}  // namespace fupin
