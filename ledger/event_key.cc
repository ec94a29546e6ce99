#include "ledger/event_key.h"

#include <memory>
#include <unordered_map>

#include "ledger/crypto_internal.h"
#include "ledger/thread_verifier.h"

namespace fupin::crypto {

std::size_t PublicKeySize(KeyAlg alg) {
  return alg == KeyAlg::kSm2 ? kSm2PublicKeySize : kEd25519PublicKeySize;
}

Result<EventPublicKey> EventPublicKey::FromRaw(KeyAlg alg, std::string_view raw) {
  if (alg == KeyAlg::kSm2) {
    FUPIN_ASSIGN_OR_RETURN(Sm2PublicKey key, Sm2PublicKey::FromRaw(raw));
    return EventPublicKey(std::move(key));
  }
  FUPIN_ASSIGN_OR_RETURN(Ed25519PublicKey key, Ed25519PublicKey::FromRaw(raw));
  return EventPublicKey(std::move(key));
}

Result<EventPublicKey> EventPublicKey::FromBase64(KeyAlg alg, std::string_view b64) {
  if (alg == KeyAlg::kSm2) {
    FUPIN_ASSIGN_OR_RETURN(Sm2PublicKey key, Sm2PublicKey::FromBase64(b64));
    return EventPublicKey(std::move(key));
  }
  FUPIN_ASSIGN_OR_RETURN(Ed25519PublicKey key, Ed25519PublicKey::FromBase64(b64));
  return EventPublicKey(std::move(key));
}

bool EventPublicKey::Verify(std::string_view message, std::string_view signature) const {
  return std::visit([&](const auto& key) { return key.Verify(message, signature); }, key_);
}

const std::string& EventPublicKey::raw() const {
  return std::visit([](const auto& key) -> const std::string& { return key.raw(); }, key_);
}

bool EventVerifier::Verify(const EventPublicKey& key, std::string_view message,
                           std::string_view signature) {
  if (const Ed25519PublicKey* ed25519 = key.ed25519()) {
    return ed25519_.Verify(*ed25519, message, signature);
  }
  return key.Verify(message, signature);
}

namespace {

std::optional<bool> Sm2VerifyWithThreadCache(std::string_view raw, std::string_view message,
                                             std::string_view signature) {
  thread_local std::unordered_map<std::string, Sm2PublicKey> keys;
  auto found = keys.find(std::string(raw));
  if (found == keys.end()) {
    Result<Sm2PublicKey> key = Sm2PublicKey::FromRaw(raw);
    if (!key.ok()) return std::nullopt;
    if (keys.size() >= kThreadKeyCacheSize) keys.clear();
    found = keys.emplace(std::string(raw), std::move(key).value()).first;
  }
  return found->second.Verify(message, signature);
}

}  // namespace

std::optional<bool> VerifyEventSignatureWithThreadCache(KeyAlg alg, std::string_view raw,
                                                        std::string_view message,
                                                        std::string_view signature) {
  if (alg == KeyAlg::kSm2) return Sm2VerifyWithThreadCache(raw, message, signature);
  return VerifyWithThreadCache(raw, message, signature);
}

Result<EventSigningKey> EventSigningKey::Generate(KeyAlg alg) {
  if (alg == KeyAlg::kSm2) {
    FUPIN_ASSIGN_OR_RETURN(Sm2PrivateKey key, Sm2PrivateKey::Generate());
    return EventSigningKey(std::move(key));
  }
  FUPIN_ASSIGN_OR_RETURN(Ed25519PrivateKey key, Ed25519PrivateKey::Generate());
  return EventSigningKey(std::move(key));
}

Result<EventSigningKey> EventSigningKey::FromPem(std::string_view pem) {
  Result<Ed25519PrivateKey> ed25519 = Ed25519PrivateKey::FromPem(pem);
  if (ed25519.ok()) return EventSigningKey(std::move(ed25519).value());
  Result<Sm2PrivateKey> sm2 = Sm2PrivateKey::FromPem(pem);
  if (sm2.ok()) return EventSigningKey(std::move(sm2).value());
  // Text that is no key at all gets the same answer from both parsers,
  // passed on as is; a key of a third type is named by the SM2 parser
  // ("key is RSA, expected SM2").
  if (sm2.status().message() == ed25519.status().message()) return sm2.status();
  return Status(ErrorCode::kInvalidArgument,
                "not an Ed25519 or SM2 private key (" + sm2.status().message() + ")");
}

Result<EventSigningKey> EventSigningKey::ReadPemFile(const std::string& path) {
  return internal::ReadPrivateKeyFile<EventSigningKey>(path);
}

std::string EventSigningKey::Sign(std::string_view message) const {
  return std::visit([&](const auto& key) { return key.Sign(message); }, key_);
}

const std::string& EventSigningKey::public_raw() const {
  return std::visit([](const auto& key) -> const std::string& { return key.public_raw(); }, key_);
}

EventPublicKey EventSigningKey::public_key() const {
  return std::visit([](const auto& key) { return EventPublicKey(key.public_key()); }, key_);
}

std::string EventSigningKey::ToPem() const {
  return std::visit([](const auto& key) { return key.ToPem(); }, key_);
}

Status EventSigningKey::WritePemFile(const std::string& path) const {
  return std::visit([&](const auto& key) { return key.WritePemFile(path); }, key_);
}

}  // namespace fupin::crypto
