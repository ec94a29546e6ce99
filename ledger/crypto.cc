#include "ledger/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <climits>
#include <filesystem>
#include <map>
#include <new>
#include <unordered_map>
#include <utility>

#include "ledger/codec.h"
#include "ledger/thread_verifier.h"

namespace fupin::crypto {
namespace {

// A key file is a few hundred bytes; anything far larger is not a key and
// is refused before it is read into memory.
inline constexpr std::size_t kMaxPemFileSize = std::size_t{64} * 1024;

// Mode of key files: private key material is readable by the owner only.
inline constexpr mode_t kKeyFileMode = 0600;

template <auto kFree>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using EvpMdPtr = std::unique_ptr<EVP_MD, OpenSslDeleter<EVP_MD_free>>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OpenSslDeleter<EVP_MAC_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free>>;

// Closes a POSIX file descriptor on every path out of a function.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  // Closes now so that the caller sees a failing close (it can report a
  // lost write on some file systems).
  int Close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

// Overwrites a buffer that held key material before it is released.
class CleansedString {
 public:
  CleansedString() = default;
  explicit CleansedString(std::string s) : s_(std::move(s)) {}
  ~CleansedString() { OPENSSL_cleanse(s_.data(), s_.size()); }
  CleansedString(const CleansedString&) = delete;
  CleansedString& operator=(const CleansedString&) = delete;

  std::string& get() { return s_; }

 private:
  std::string s_;
};

// Drains this thread's OpenSSL error queue so a stale entry cannot be
// mistaken for the cause of a later failure; returns the first reason.
std::string TakeOpenSslError() {
  unsigned long first = ERR_get_error();
  ERR_clear_error();
  if (first == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(first, buf, sizeof(buf));
  return buf;
}

// For a valid, already-parsed key or a fetched digest, OpenSSL fails only
// when it cannot allocate; report that the way every std::string here does.
void CheckAllocation(bool ok) {
  if (!ok) {
    ERR_clear_error();
    throw std::bad_alloc();
  }
}

// Fetched once: an explicit fetch avoids the per-call implicit lookup that
// EVP_sha256() would cost inside every EVP_DigestInit_ex2.
const EVP_MD* Sha256Md() {
  static const EvpMdPtr md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  CheckAllocation(md != nullptr);
  return md.get();
}

EvpMdCtxPtr NewSha256Ctx() {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  CheckAllocation(ctx != nullptr);
  CheckAllocation(EVP_DigestInit_ex2(ctx.get(), Sha256Md(), nullptr) == 1);
  return ctx;
}

void Update(EVP_MD_CTX* ctx, const void* data, std::size_t size) {
  CheckAllocation(EVP_DigestUpdate(ctx, data, size) == 1);
}

Digest Finish(EVP_MD_CTX* ctx) {
  Digest out;
  unsigned int size = 0;
  CheckAllocation(EVP_DigestFinal_ex(ctx, out.data(), &size) == 1 && size == kSha256Size);
  return out;
}

Status InvalidArgument(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

Status IoError(std::string_view what, const std::string& path, int err) {
  return Status(ErrorCode::kIoError, std::string(what) + " " + path + ": " + strerror(err));
}

std::string RawPublicKey(EVP_PKEY* pkey) {
  std::string raw(kEd25519PublicKeySize, '\0');
  std::size_t size = raw.size();
  CheckAllocation(
      EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &size) == 1 &&
      size == kEd25519PublicKeySize);
  return raw;
}

// Refuses encrypted PEM without prompting: the default callback would read
// a passphrase from the terminal, which a server must never do.
int RefusePassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status(ErrorCode::kIoError, strerror(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

// Makes the new directory entry durable; without it a crash could lose the
// key file even though its contents were synced.
Status SyncParentDirectory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  UniqueFd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0) {
    return Status(ErrorCode::kIoError, strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

struct Ed25519PublicKey::Pkey {
  EvpPkeyPtr pkey;
};

struct Ed25519PrivateKey::Pkey {
  EvpPkeyPtr pkey;
  Ed25519PublicKey public_key;
};

struct Sha256Hasher::Impl {
  EvpMdCtxPtr ctx;
};

Digest Sha256(std::string_view data) {
  Digest out;
  unsigned int size = 0;
  CheckAllocation(EVP_Digest(data.data(), data.size(), out.data(), &size, Sha256Md(), nullptr) ==
                      1 &&
                  size == kSha256Size);
  return out;
}

Digest Sha256WithPrefix(uint8_t prefix, std::string_view data) {
  EvpMdCtxPtr ctx = NewSha256Ctx();
  Update(ctx.get(), &prefix, 1);
  Update(ctx.get(), data.data(), data.size());
  return Finish(ctx.get());
}

Digest Sha256WithPrefix(uint8_t prefix, const Digest& left, const Digest& right) {
  EvpMdCtxPtr ctx = NewSha256Ctx();
  Update(ctx.get(), &prefix, 1);
  Update(ctx.get(), left.data(), left.size());
  Update(ctx.get(), right.data(), right.size());
  return Finish(ctx.get());
}

Sha256Hasher::Sha256Hasher() : impl_(new Impl{NewSha256Ctx()}) {}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(std::string_view data) {
  crypto::Update(impl_->ctx.get(), data.data(), data.size());
}

Digest Sha256Hasher::Final() {
  Digest out = Finish(impl_->ctx.get());
  CheckAllocation(EVP_DigestInit_ex2(impl_->ctx.get(), nullptr, nullptr) == 1);
  return out;
}

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
  if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    const char* type = EVP_PKEY_get0_type_name(pkey);
    return InvalidArgument(std::string("key is ") +
                           (type != nullptr ? type : "of an unknown type") + ", expected ED25519");
  }
  FUPIN_ASSIGN_OR_RETURN(Ed25519PublicKey public_key,
                         Ed25519PublicKey::FromRaw(RawPublicKey(pkey)));
  Ed25519PrivateKey key;
  key.public_raw_ = public_key.raw();
  parsed->public_key = std::move(public_key);
  key.pkey_ = std::move(parsed);
  return key;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
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
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) {
    return InvalidArgument("PEM text too large to be a key");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  CheckAllocation(bio != nullptr);
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, RefusePassphrase, nullptr);
  if (raw == nullptr) {
    return InvalidArgument("not an unencrypted PKCS#8 PEM private key: " + TakeOpenSslError());
  }
  return Adopt(std::make_unique<Pkey>(Pkey{EvpPkeyPtr(raw), {}}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::ReadPemFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("cannot open", path, errno);
  CleansedString pem;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      OPENSSL_cleanse(buf, sizeof(buf));
      return IoError("cannot read", path, err);
    }
    if (n == 0) break;
    pem.get().append(buf, static_cast<std::size_t>(n));
    if (pem.get().size() > kMaxPemFileSize) {
      OPENSSL_cleanse(buf, sizeof(buf));
      return InvalidArgument(path + ": larger than " + std::to_string(kMaxPemFileSize) +
                             " bytes, not a key file");
    }
  }
  OPENSSL_cleanse(buf, sizeof(buf));
  Result<Ed25519PrivateKey> key = FromPem(pem.get());
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

std::string Ed25519PrivateKey::ToPem() const {
  assert(pkey_ != nullptr);  // see the contract in crypto.h
  BioPtr bio(BIO_new(BIO_s_mem()));
  CheckAllocation(bio != nullptr);
  CheckAllocation(PEM_write_bio_PrivateKey(bio.get(), pkey_->pkey.get(), nullptr, nullptr, 0,
                                           nullptr, nullptr) == 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  CheckAllocation(size >= 0 && data != nullptr);
  std::string pem(data, static_cast<std::size_t>(size));
  // The memory BIO frees its buffer without clearing it.
  OPENSSL_cleanse(data, static_cast<std::size_t>(size));
  return pem;
}

Status Ed25519PrivateKey::WritePemFile(const std::string& path) const {
  CleansedString pem(ToPem());
  // O_EXCL: an existing key is never replaced. The mode is applied at
  // creation and again with fchmod, since umask can only narrow the first.
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kKeyFileMode));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      return Status(ErrorCode::kAlreadyExists,
                    path + " already exists; refusing to overwrite a key");
    }
    return IoError("cannot create", path, errno);
  }
  Status status;
  if (::fchmod(fd.get(), kKeyFileMode) != 0) {
    status = Status(ErrorCode::kIoError, strerror(errno));
  }
  if (status.ok()) status = WriteAll(fd.get(), pem.get());
  if (status.ok() && ::fsync(fd.get()) != 0) {
    status = Status(ErrorCode::kIoError, strerror(errno));
  }
  if (fd.Close() != 0 && status.ok()) {
    status = Status(ErrorCode::kIoError, strerror(errno));
  }
  if (status.ok()) status = SyncParentDirectory(path);
  if (!status.ok()) {
    ::unlink(path.c_str());
    return status.WithContext("cannot write " + path);
  }
  return Status::Ok();
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
