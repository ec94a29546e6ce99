#include "ledger/hash_alg.h"

#include "ledger/crypto_internal.h"

namespace fupin::crypto {
namespace {

const EVP_MD* MdOf(HashAlg alg) {
  return alg == HashAlg::kSm3 ? internal::Sm3Md() : internal::Sha256Md();
}

}  // namespace

std::string_view HashAlgName(HashAlg alg) { return alg == HashAlg::kSm3 ? "sm3" : "sha256"; }

std::optional<HashAlg> HashAlgFromName(std::string_view name) {
  if (name == "sha256") return HashAlg::kSha256;
  if (name == "sm3") return HashAlg::kSm3;
  return std::nullopt;
}

Digest HashOf(HashAlg alg, std::string_view data) { return internal::DigestOf(MdOf(alg), data); }

Digest HashWithPrefix(HashAlg alg, uint8_t prefix, std::string_view data) {
  return internal::DigestWithPrefix(MdOf(alg), prefix, data);
}

Digest HashWithPrefix(HashAlg alg, uint8_t prefix, const Digest& left, const Digest& right) {
  return internal::DigestWithPrefix(MdOf(alg), prefix, left, right);
}

struct Hasher::Impl {
  internal::EvpMdCtxPtr ctx;
};

Hasher::Hasher(HashAlg alg) : alg_(alg), impl_(new Impl{internal::NewDigestCtx(MdOf(alg))}) {}

Hasher::~Hasher() = default;

void Hasher::Update(std::string_view data) {
  internal::DigestUpdate(impl_->ctx.get(), data.data(), data.size());
}

Digest Hasher::Final() { return internal::DigestFinalAndRestart(impl_->ctx.get()); }

}  // namespace fupin::crypto
