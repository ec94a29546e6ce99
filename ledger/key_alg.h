// The signature algorithms of event keys: SPEC §2.1's Ed25519 and, as an
// extension (docs/format.md, "SM2 keys"), SM2 with SM3 (GB/T 32918). The
// `alg` member of key.registered names one; KeyState carries it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fupin {

// The values are stored (the alg byte of a format-2 KeyState,
// entity_state.cc): never renumber.
enum class KeyAlg : uint8_t { kEd25519 = 1, kSm2 = 2 };

inline constexpr std::string_view kKeyAlgEd25519Name = "ed25519";
inline constexpr std::string_view kKeyAlgSm2Name = "sm2";

// "ed25519" or "sm2", as in key.registered.
constexpr std::string_view KeyAlgName(KeyAlg alg) {
  return alg == KeyAlg::kSm2 ? kKeyAlgSm2Name : kKeyAlgEd25519Name;
}
// nullopt for any other name (names are case-sensitive).
constexpr std::optional<KeyAlg> ParseKeyAlg(std::string_view name) {
  if (name == kKeyAlgEd25519Name) return KeyAlg::kEd25519;
  if (name == kKeyAlgSm2Name) return KeyAlg::kSm2;
  return std::nullopt;
}

}  // namespace fupin
