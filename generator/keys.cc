#include "generator/keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "ledger/codec.h"
#include "ledger/crypto.h"

namespace fupin::generator {
namespace {

inline constexpr std::string_view kReadme =
    "TEST ONLY - DO NOT USE THESE KEYS FOR ANYTHING REAL.\n"
    "\n"
    "These Ed25519 keys (SM2 keys with --key-alg sm2 or mixed) were\n"
    "derived by `fupin-ledger generate` from its --seed: Ed25519 private\n"
    "key = FromSeed(SHA-256(seed as 8 big-endian bytes || key id)); an SM2\n"
    "key's scalar is SHA-256(\"sm2\" || the same bytes). Anyone who knows\n"
    "the seed knows every key. They sign the\n"
    "generated events.jsonl; admin.pem's public key is the one to give to\n"
    "`fupin-ledger init --admin-public-key` (key id \"admin\").\n"
    "\n"
    "keys.json lists every key: id, roles, regions (scope), public_key\n"
    "(base64 of the raw 32 bytes; of the 65-byte point for SM2), alg (SM2\n"
    "keys only), supplier_id (supplier keys) and file.\n";

// Creates `path` with exactly `mode` (no window with wider permissions)
// and writes `bytes`.
Status WriteFile(const std::string& path, std::string_view bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status(ErrorCode::kIoError, "cannot create " + path);
  bool ok = ::fchmod(fd, mode) == 0;  // whatever the umask
  std::size_t done = 0;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ok = false;
    } else {
      done += static_cast<std::size_t>(n);
    }
  }
  ok = ::close(fd) == 0 && ok;
  return ok ? Status::Ok() : Status(ErrorCode::kIoError, "cannot write " + path);
}

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

// The seed as 8 big-endian bytes followed by the key id.
std::string SeedInput(uint64_t seed, std::string_view key_id) {
  std::string input(8, '\0');
  for (int i = 0; i < 8; ++i) {
    input[static_cast<std::size_t>(i)] = static_cast<char>((seed >> (56 - 8 * i)) & 0xFF);
  }
  input += key_id;
  return input;
}

crypto::Sm2PrivateKey DeriveSm2Key(uint64_t seed, std::string_view key_id) {
  crypto::Digest digest = crypto::Sha256("sm2" + SeedInput(seed, key_id));
  for (;;) {
    Result<crypto::Sm2PrivateKey> key = crypto::Sm2PrivateKey::FromScalar(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
    if (key.ok()) return std::move(key).value();
    // Out of [1, n - 2] (about 2^-32 of all digests): the next one.
    digest = crypto::Sha256(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  }
}

}  // namespace

std::optional<KeyAlgMix> ParseKeyAlgMix(std::string_view name) {
  if (name == "ed25519") return KeyAlgMix::kEd25519;
  if (name == "sm2") return KeyAlgMix::kSm2;
  if (name == "mixed") return KeyAlgMix::kMixed;
  return std::nullopt;
}

void ApplyKeyAlgMix(uint64_t seed, KeyAlgMix mix, std::vector<KeyEntry>& keys) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool sm2 = mix == KeyAlgMix::kSm2 || (mix == KeyAlgMix::kMixed && i % 2 == 1);
    if (!sm2) continue;
    keys[i].key = DeriveSm2Key(seed, keys[i].id);
    keys[i].public_b64 = Base64Encode(keys[i].key.public_raw());
  }
}

KeyEntry DeriveKey(uint64_t seed, std::string key_id, std::vector<std::string> roles,
                   std::vector<std::string> regions, std::string supplier_id) {
  const crypto::Digest digest = crypto::Sha256(SeedInput(seed, key_id));
  const std::string secret(reinterpret_cast<const char*>(digest.data()), digest.size());
  KeyEntry entry;
  // A 32-byte seed always makes a key: FromSeed fails only on the length.
  entry.key = std::move(crypto::Ed25519PrivateKey::FromSeed(secret)).value();
  entry.public_b64 = Base64Encode(entry.key.public_raw());
  entry.id = std::move(key_id);
  entry.roles = std::move(roles);
  entry.regions = std::move(regions);
  entry.supplier_id = std::move(supplier_id);
  return entry;
}

Status WriteKeys(const std::string& dir, const std::vector<KeyEntry>& keys) {
  if (::mkdir(dir.c_str(), 0700) != 0) {
    return Status(ErrorCode::kIoError, "cannot create " + dir);
  }
  std::string listing = "[\n";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const KeyEntry& k = keys[i];
    const std::string file = k.id + ".pem";
    FUPIN_RETURN_IF_ERROR(WriteFile(dir + "/" + file, k.key.ToPem(), 0600));
    boost::json::object entry;
    entry["id"] = k.id;
    entry["roles"] = Strings(k.roles);
    entry["regions"] = Strings(k.regions);
    // Only SM2 keys say so: Ed25519 campaigns keep their bytes.
    if (k.key.alg() != KeyAlg::kEd25519) entry["alg"] = KeyAlgName(k.key.alg());
    entry["public_key"] = k.public_b64;
    if (!k.supplier_id.empty()) entry["supplier_id"] = k.supplier_id;
    entry["file"] = file;
    listing += boost::json::serialize(entry);
    listing += i + 1 < keys.size() ? ",\n" : "\n";
  }
  listing += "]\n";
  FUPIN_RETURN_IF_ERROR(WriteFile(dir + "/keys.json", listing, 0644));
  return WriteFile(dir + "/README.txt", kReadme, 0644);
}

}  // namespace fupin::generator
