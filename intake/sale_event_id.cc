// The one file of intake that calls OpenSSL (SHA-1 for UUIDv5).
#include "intake/sale_event_id.h"

#include <openssl/evp.h>

#include <memory>
#include <new>
#include <string>

#include "ledger/codec.h"

namespace fupin::intake {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// SHA-1 is what RFC 4122 §4.3 names for version 5; it is used here to name
// an id, never to protect anything (forging a collision gains nothing the
// signer could not do by choosing an id).
std::array<uint8_t, 20> Sha1(const UuidBytes& prefix, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::array<uint8_t, 20> out{};
  unsigned int size = 0;
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), prefix.data(), prefix.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &size) != 1 || size != out.size()) {
    // Hashing fails only when OpenSSL cannot allocate (as ledger/crypto.h).
    throw std::bad_alloc();
  }
  return out;
}

}  // namespace

std::string NameBasedUuid(const UuidBytes& name_space, std::string_view name) {
  std::array<uint8_t, 20> digest = Sha1(name_space, name);
  digest[6] = static_cast<uint8_t>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<uint8_t>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  const std::string hex = HexEncode(std::span<const uint8_t>(digest.data(), 16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string SaleEventId(std::string_view platform, std::string_view order_key) {
  std::string name;
  name.reserve(platform.size() + 1 + order_key.size());
  name.append(platform).append("\n").append(order_key);
  return NameBasedUuid(kSaleEventIdNamespace, name);
}

}  // namespace fupin::intake
