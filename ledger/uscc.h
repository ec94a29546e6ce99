// 统一社会信用代码 (unified social credit code, GB 32100-2015): the one home
// of its alphabet and check character, for validation (supplier.registered)
// and for the generator that makes valid codes. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace fupin {

// The 31 code characters in value order (no I, O, S, V, Z, which are easily
// confused with digits or other letters).
inline constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
inline constexpr std::size_t kUsccLength = 18;

// The check character (the 18th) of the first 17 characters; nullopt when
// `body` is not 17 characters of the alphabet.
std::optional<char> UsccCheckCharacter(std::string_view body);

// 18 characters of the alphabet whose last is the check character of the
// first 17.
bool IsValidUscc(std::string_view uscc);

}  // namespace fupin
