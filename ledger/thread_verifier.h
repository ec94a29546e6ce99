// Ed25519 verification on the ingest path, with a per-thread cache of
// parsed keys and their OpenSSL contexts (implemented in crypto.cc, the
// OpenSSL room).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace fupin::crypto {

// Verifies `signature` over `message` with the Ed25519 key whose raw 32
// bytes are `raw_public_key`, on the calling thread, with that thread's
// cache of parsed keys and their set-up OpenSSL contexts (at most
// kThreadKeyCacheSize keys; past it the cache starts over). The ingest path
// checks many signatures by few keys on a few dozen threads; parsing the
// key and setting a context up (provider look-ups, EVP_DigestVerifyInit)
// for every signature shows in its profile (docs/performance.md, "Ingest:
// where the time goes"). nullopt when the raw key is not a usable Ed25519 key;
// otherwise the same answer as FromRaw(raw)->Verify(message, signature).
inline constexpr std::size_t kThreadKeyCacheSize = 4096;
std::optional<bool> VerifyWithThreadCache(std::string_view raw_public_key, std::string_view message,
                                          std::string_view signature);

}  // namespace fupin::crypto
