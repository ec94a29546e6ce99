#include "ledger/gm_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <array>
#include <cassert>
#include <utility>

#include "ledger/codec.h"
#include "ledger/crypto_internal.h"

namespace fupin::crypto {

using internal::CheckAllocation;
using internal::EvpMdCtxPtr;
using internal::EvpPkeyPtr;
using internal::InvalidArgument;
using internal::TakeOpenSslError;

namespace {

using BignumPtr = std::unique_ptr<BIGNUM, internal::OpenSslDeleter<BN_clear_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, internal::OpenSslDeleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, internal::OpenSslDeleter<EC_POINT_free>>;
using ParamBuilderPtr =
    std::unique_ptr<OSSL_PARAM_BLD, internal::OpenSslDeleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, internal::OpenSslDeleter<OSSL_PARAM_free>>;

// OpenSSL 3's name of SM2's key management, signature and curve. Keys are
// made only through the "SM2" key management: the "EC" one with the SM2
// curve makes a key of type EC whose signatures are ECDSA over SM3, not
// SM2, and do not verify (openssl/openssl#26686).
inline constexpr char kSm2Name[] = "SM2";
inline constexpr char kSm3Name[] = "SM3";
inline constexpr int kSm2CoordinateSize = 32;

// kSm2DefaultId as the parameters of EVP_Digest{Sign,Verify}Init_ex. It is
// passed at every init: a context initialised again without it falls back
// to the empty ID.
std::array<OSSL_PARAM, 2> DefaultIdParams() {
  // OpenSSL only reads the buffer of a parameter it is given.
  return {
      OSSL_PARAM_construct_octet_string(
          OSSL_PKEY_PARAM_DIST_ID, const_cast<char*>(kSm2DefaultId.data()), kSm2DefaultId.size()),
      OSSL_PARAM_construct_end()};
}

// An SM2 key from its public point (any encoding OpenSSL reads) and, for a
// key pair, its scalar d. OpenSSL refuses a point not on the curve or with
// a coordinate >= p, but not the point at infinity (see FromRaw).
Result<EvpPkeyPtr> Sm2KeyFromData(std::string_view point, const BIGNUM* d) {
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  CheckAllocation(builder != nullptr);
  CheckAllocation(
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, kSm2Name, 0) == 1);
  CheckAllocation(OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                                   point.data(), point.size()) == 1);
  // Signing needs the public point too (EVP_PKEY-SM2(7)), so a key pair
  // always carries both.
  if (d != nullptr) {
    CheckAllocation(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d) == 1);
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  CheckAllocation(params != nullptr);
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, kSm2Name, nullptr));
  CheckAllocation(ctx != nullptr && EVP_PKEY_fromdata_init(ctx.get()) == 1);
  EVP_PKEY* pkey = nullptr;
  const int selection = d != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  if (EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) != 1) {
    return InvalidArgument("SM2 key rejected: " + TakeOpenSslError());
  }
  return EvpPkeyPtr(pkey);
}

// The key's public point as 04 ‖ X ‖ Y. Read as coordinates because
// OpenSSL's "pub" parameter keeps the form the key file used (33 bytes
// for a PKCS#8 file written with a compressed point).
Result<std::string> UncompressedPoint(EVP_PKEY* pkey) {
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  const bool found = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
                     EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
  const BignumPtr owned_x(x);
  const BignumPtr owned_y(y);
  if (!found) return InvalidArgument("SM2 key has no public point: " + TakeOpenSslError());
  std::string point(kSm2PublicKeySize, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(point.data());
  bytes[0] = 0x04;
  CheckAllocation(BN_bn2binpad(x, bytes + 1, kSm2CoordinateSize) == kSm2CoordinateSize &&
                  BN_bn2binpad(y, bytes + 1 + kSm2CoordinateSize, kSm2CoordinateSize) ==
                      kSm2CoordinateSize);
  return point;
}

}  // namespace

struct Sm2PublicKey::Pkey {
  EvpPkeyPtr pkey;
};

struct Sm2PrivateKey::Pkey {
  EvpPkeyPtr pkey;
  Sm2PublicKey public_key;
};

Digest Sm3(std::string_view data) { return internal::DigestOf(internal::Sm3Md(), data); }

Result<Sm2PublicKey> Sm2PublicKey::FromRaw(std::string_view point65) {
  if (point65.size() != kSm2PublicKeySize) {
    return InvalidArgument("SM2 public key must be the 65-byte uncompressed point, got " +
                           std::to_string(point65.size()) + " bytes");
  }
  // OpenSSL would also take the hybrid forms 06 and 07 at this length.
  if (point65[0] != '\x04') {
    return InvalidArgument(
        "SM2 public key must be an uncompressed point (04 ‖ X ‖ Y), got first byte " +
        HexEncode(point65.substr(0, 1)));
  }
  FUPIN_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, Sm2KeyFromData(point65, nullptr));
  Sm2PublicKey key;
  key.pkey_ = std::make_shared<const Pkey>(Pkey{std::move(pkey)});
  key.raw_ = std::string(point65);
  return key;
}

Result<Sm2PublicKey> Sm2PublicKey::FromBase64(std::string_view b64) {
  Result<std::string> raw = Base64Decode(b64);
  if (!raw.ok()) return raw.status().WithContext("SM2 public key");
  return FromRaw(*raw);
}

bool Sm2PublicKey::Verify(std::string_view message, std::string_view der_signature) const {
  if (pkey_ == nullptr || der_signature.size() > kSm2MaxSignatureSize) return false;
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  CheckAllocation(ctx != nullptr);
  const std::array<OSSL_PARAM, 2> id = DefaultIdParams();
  CheckAllocation(EVP_DigestVerifyInit_ex(ctx.get(), nullptr, kSm3Name, nullptr, nullptr,
                                          pkey_->pkey.get(), id.data()) == 1);
  // 1 is a valid signature, 0 an invalid one and -1 one that is not strict
  // DER SEQUENCE { r, s } (OpenSSL re-encodes it and compares).
  const int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(der_signature.data()), der_signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  // A bad signature leaves an entry in the error queue; it is an expected
  // answer here, not an error to report later.
  if (rc != 1) ERR_clear_error();
  return rc == 1;
}

Result<Sm2PrivateKey> Sm2PrivateKey::Adopt(std::unique_ptr<Pkey> parsed) {
  EVP_PKEY* pkey = parsed->pkey.get();
  // Not EVP_PKEY_get_id: it is -1 for an SM2 key read from PEM, which
  // exists in the provider only.
  if (EVP_PKEY_is_a(pkey, kSm2Name) != 1) return internal::WrongKeyType(pkey, kSm2Name);
  FUPIN_ASSIGN_OR_RETURN(std::string point, UncompressedPoint(pkey));
  FUPIN_ASSIGN_OR_RETURN(Sm2PublicKey public_key, Sm2PublicKey::FromRaw(point));
  Sm2PrivateKey key;
  key.public_raw_ = public_key.raw();
  parsed->public_key = std::move(public_key);
  key.pkey_ = std::move(parsed);
  return key;
}

Result<Sm2PrivateKey> Sm2PrivateKey::Generate() {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, kSm2Name);
  if (raw == nullptr) {
    return Status(ErrorCode::kInternal, "SM2 key generation failed: " + TakeOpenSslError());
  }
  return Adopt(std::make_unique<Pkey>(Pkey{EvpPkeyPtr(raw), {}}));
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromScalar(std::string_view d32) {
  if (d32.size() != kSm2PrivateKeySize) {
    return InvalidArgument("SM2 private key must be 32 bytes, got " + std::to_string(d32.size()));
  }
  const EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_sm2));
  CheckAllocation(group != nullptr);
  // Secure, so that the parameter builder's copy of d goes to the secure
  // block, which OSSL_PARAM_free clears.
  BignumPtr d(BN_secure_new());
  CheckAllocation(d != nullptr && BN_bin2bn(reinterpret_cast<const unsigned char*>(d32.data()),
                                            static_cast<int>(d32.size()), d.get()) != nullptr);
  BignumPtr n_minus_one(BN_dup(EC_GROUP_get0_order(group.get())));
  CheckAllocation(n_minus_one != nullptr && BN_sub_word(n_minus_one.get(), 1) == 1);
  // GB/T 32918.1 §6.1: signing divides by 1 + d, so d = n - 1 is excluded.
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), n_minus_one.get()) >= 0) {
    return InvalidArgument("SM2 private key out of range: d must be in [1, n - 2]");
  }
  const EcPointPtr q(EC_POINT_new(group.get()));
  CheckAllocation(q != nullptr &&
                  EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, nullptr) == 1);
  std::string point(kSm2PublicKeySize, '\0');
  CheckAllocation(EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED,
                                     reinterpret_cast<unsigned char*>(point.data()), point.size(),
                                     nullptr) == point.size());
  FUPIN_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, Sm2KeyFromData(point, d.get()));
  return Adopt(std::make_unique<Pkey>(Pkey{std::move(pkey), {}}));
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromPem(std::string_view pem) {
  FUPIN_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, internal::ParsePrivateKeyPem(pem));
  return Adopt(std::make_unique<Pkey>(Pkey{std::move(pkey), {}}));
}

Result<Sm2PrivateKey> Sm2PrivateKey::ReadPemFile(const std::string& path) {
  return internal::ReadPrivateKeyFile<Sm2PrivateKey>(path);
}

std::string Sm2PrivateKey::ToPem() const {
  assert(pkey_ != nullptr);  // see the contract in gm_crypto.h
  return internal::PrivateKeyPem(pkey_->pkey.get());
}

Status Sm2PrivateKey::WritePemFile(const std::string& path) const {
  return internal::WriteKeyFile(path, ToPem());
}

std::string Sm2PrivateKey::Sign(std::string_view message) const {
  assert(pkey_ != nullptr);  // see the contract in gm_crypto.h
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  CheckAllocation(ctx != nullptr);
  const std::array<OSSL_PARAM, 2> id = DefaultIdParams();
  CheckAllocation(EVP_DigestSignInit_ex(ctx.get(), nullptr, kSm3Name, nullptr, nullptr,
                                        pkey_->pkey.get(), id.data()) == 1);
  std::string signature(kSm2MaxSignatureSize, '\0');
  std::size_t size = signature.size();
  CheckAllocation(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
                                 &size, reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size()) == 1 &&
                  size <= kSm2MaxSignatureSize);
  signature.resize(size);
  return signature;
}

Sm2PublicKey Sm2PrivateKey::public_key() const {
  assert(pkey_ != nullptr);  // see the contract in gm_crypto.h
  return pkey_->public_key;
}

}  // namespace fupin::crypto
