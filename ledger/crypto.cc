#include "ledger/crypto.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cassert>
#include <map>
#include <unordered_map>
#include <utility>

#include "ledger/codec.h"
#include "ledger/crypto_internal.h"
#include "ledger/thread_verifier.h"

namespace fupin::crypto {

using internal::CheckAllocation;
using internal::EvpMdCtxPtr;
using internal::EvpPkeyPtr;
using internal::InvalidArgument;
using internal::TakeOpenSslError;

namespace {

using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, internal::OpenSslDeleter<EVP_MAC_CTX_free>>;

std::string RawPublicKey(EVP_PKEY* pkey) {
  std::string raw(kEd25519PublicKeySize, '\0');
  std::size_t size = raw.size();
  CheckAllocation(
      EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &size) == 1 &&
      size == kEd25519PublicKeySize);
  return raw;
}

}  // namespace

struct Ed25519PublicKey::Pkey {
  EvpPkeyPtr pkey;
};

struct Ed25519PrivateKey::Pkey {
  EvpPkeyPtr pkey;
  Ed25519PublicKey public_key;
};

Digest Sha256(std::string_view data) { return internal::DigestOf(internal::Sha256Md(), data); }

struct SipHasher::Impl {
  EvpMacCtxPtr ctx;
};

SipHasher::SipHasher(const Key& key) : impl_(new Impl) {
  // Fetched once per process: fetching looks the algorithm up under a lock.
  static EVP_MAC* const kSipHash = EVP_MAC_fetch(nullptr, "SIPHASH", nullptr);
  CheckAllocation(kSipHash != nullptr);
  impl_->ctx.reset(EVP_MAC_CTX_new(kSipHash));
  CheckAllocation(impl_->ctx != nullptr);
  std::size_t size = sizeof(uint64_t);  // SipHash-2-4 with its 64-bit output
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size),
                               OSSL_PARAM_construct_end()};
  CheckAllocation(EVP_MAC_init(impl_->ctx.get(), key.data(), key.size(), params) == 1);
}

SipHasher::~SipHasher() = default;

void SipHasher::Update(std::string_view data) {
  CheckAllocation(EVP_MAC_update(impl_->ctx.get(),
                                 reinterpret_cast<const unsigned char*>(data.data()),
                                 data.size()) == 1);
}

uint64_t SipHasher::Final() {
  std::array<unsigned char, sizeof(uint64_t)> out{};
  std::size_t size = 0;
  CheckAllocation(EVP_MAC_final(impl_->ctx.get(), out.data(), &size, out.size()) == 1 &&
                  size == out.size());
  // Without a new key, init restarts the MAC with the key it has.
  CheckAllocation(EVP_MAC_init(impl_->ctx.get(), nullptr, 0, nullptr) == 1);
  uint64_t digest = 0;
  for (std::size_t i = out.size(); i-- > 0;) digest = (digest << 8) | out[i];
  return digest;
}

Result<Ed25519PublicKey> Ed25519PublicKey::FromRaw(std::string_view raw32) {
  if (raw32.size() != kEd25519PublicKeySize) {
    return InvalidArgument("Ed25519 public key must be 32 bytes, got " +
                           std::to_string(raw32.size()));
  }
  EvpPkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(raw32.data()),
                                              raw32.size()));
  if (pkey == nullptr) {
    return InvalidArgument("Ed25519 public key rejected: " + TakeOpenSslError());
  }
  Ed25519PublicKey key;
  key.pkey_ = std::make_shared<const Pkey>(Pkey{std::move(pkey)});
  key.raw_ = std::string(raw32);
  return key;
}

Result<Ed25519PublicKey> Ed25519PublicKey::FromBase64(std::string_view b64) {
  Result<std::string> raw = Base64Decode(b64);
  if (!raw.ok()) return raw.status().WithContext("Ed25519 public key");
  return FromRaw(*raw);
}

bool Ed25519PublicKey::Verify(std::string_view message, std::string_view signature) const {
  if (pkey_ == nullptr || signature.size() != kEd25519SignatureSize) {
    return false;
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  CheckAllocation(ctx != nullptr);
  // Ed25519 hashes internally, so no digest is named (md NULL), and only
  // the one-shot EVP_DigestVerify is supported.
  CheckAllocation(EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey_->pkey.get()) ==
                  1);
  const int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  // A bad signature leaves an entry in the error queue; it is an expected
  // answer here, not an error to report later.
  if (rc != 1) ERR_clear_error();
  return rc == 1;
}

struct Ed25519Verifier::Impl {
  struct Context {
    std::shared_ptr<const Ed25519PublicKey::Pkey> key;  // keeps the address taken
    EvpMdCtxPtr ctx;
  };
  // By key object: a verification pass uses a handful of keys.
  std::map<const Ed25519PublicKey::Pkey*, Context> contexts;
};

Ed25519Verifier::Ed25519Verifier() : impl_(new Impl) {}

std::optional<bool> VerifyWithThreadCache(std::string_view raw_public_key, std::string_view message,
                                          std::string_view signature) {
  struct ThreadCache {
    std::unordered_map<std::string, Ed25519PublicKey> keys;
    std::unique_ptr<Ed25519Verifier> verifier = std::make_unique<Ed25519Verifier>();
  };
  thread_local ThreadCache cache;
  auto found = cache.keys.find(std::string(raw_public_key));
  if (found == cache.keys.end()) {
    Result<Ed25519PublicKey> key = Ed25519PublicKey::FromRaw(raw_public_key);
    if (!key.ok()) return std::nullopt;
    if (cache.keys.size() >= kThreadKeyCacheSize) {
      // The verifier holds a context per key it has seen: start both over.
      cache.keys.clear();
      cache.verifier = std::make_unique<Ed25519Verifier>();
    }
    found = cache.keys.emplace(std::string(raw_public_key), std::move(key).value()).first;
  }
  return cache.verifier->Verify(found->second, message, signature);
}

Ed25519Verifier::~Ed25519Verifier() = default;

bool Ed25519Verifier::Verify(const Ed25519PublicKey& key, std::string_view message,
                             std::string_view signature) {
  if (key.pkey_ == nullptr || signature.size() != kEd25519SignatureSize) {
    return false;
  }
  auto [it, fresh] = impl_->contexts.try_emplace(key.pkey_.get());
  Impl::Context& context = it->second;
  if (fresh) {
    context.key = key.pkey_;
    context.ctx.reset(EVP_MD_CTX_new());
    CheckAllocation(context.ctx != nullptr);
    CheckAllocation(EVP_DigestVerifyInit(context.ctx.get(), nullptr, nullptr, nullptr,
                                         key.pkey_->pkey.get()) == 1);
  }
  // Ed25519's one-shot EVP_DigestVerify leaves the context as it found it,
  // so it serves the next signature of the key (as in `openssl speed`).
  const int rc = EVP_DigestVerify(
      context.ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (rc != 1) {
    ERR_clear_error();
    // Set up afresh next time rather than rely on a context a failure
    // went through.
    impl_->contexts.erase(it);
  }
  return rc == 1;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::Adopt(std::unique_ptr<Pkey> parsed) {
  EVP_PKEY* pkey = parsed->pkey.get();
  if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) return internal::WrongKeyType(pkey, "ED25519");
  FUPIN_ASSIGN_OR_RETURN(Ed25519PublicKey public_key,
                         Ed25519PublicKey::FromRaw(RawPublicKey(pkey)));
  Ed25519PrivateKey key;
  key.public_raw_ = public_key.raw();
  parsed->public_key = std::move(public_key);
  key.pkey_ = std::move(parsed);
  return key;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return Status(ErrorCode::kInternal, "Ed25519 key generation failed: " + TakeOpenSslError());
  }
  return Adopt(std::make_unique<Pkey>(Pkey{EvpPkeyPtr(raw), {}}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(std::string_view seed32) {
  if (seed32.size() != kEd25519SeedSize) {
    return InvalidArgument("Ed25519 seed must be 32 bytes, got " + std::to_string(seed32.size()));
  }
  EVP_PKEY* raw = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed32.data()),
      seed32.size());
  if (raw == nullptr) {
    return InvalidArgument("Ed25519 seed rejected: " + TakeOpenSslError());
  }
  return Adopt(std::make_unique<Pkey>(Pkey{EvpPkeyPtr(raw), {}}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromPem(std::string_view pem) {
  FUPIN_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, internal::ParsePrivateKeyPem(pem));
  return Adopt(std::make_unique<Pkey>(Pkey{std::move(pkey), {}}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::ReadPemFile(const std::string& path) {
  return internal::ReadPrivateKeyFile<Ed25519PrivateKey>(path);
}

std::string Ed25519PrivateKey::ToPem() const {
  assert(pkey_ != nullptr);  // see the contract in crypto.h
  return internal::PrivateKeyPem(pkey_->pkey.get());
}

Status Ed25519PrivateKey::WritePemFile(const std::string& path) const {
  return internal::WriteKeyFile(path, ToPem());
}

std::string Ed25519PrivateKey::Sign(std::string_view message) const {
  assert(pkey_ != nullptr);  // see the contract in crypto.h
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  CheckAllocation(ctx != nullptr);
  CheckAllocation(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_->pkey.get()) == 1);
  std::string signature(kEd25519SignatureSize, '\0');
  std::size_t size = signature.size();
  CheckAllocation(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
                                 &size, reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size()) == 1 &&
                  size == kEd25519SignatureSize);
  return signature;
}

Ed25519PublicKey Ed25519PrivateKey::public_key() const {
  assert(pkey_ != nullptr);  // see the contract in crypto.h
  return pkey_->public_key;
}

}  // namespace fupin::crypto
