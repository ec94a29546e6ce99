#include "ledger/crypto_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <new>
#include <utility>

namespace fupin::crypto::internal {
namespace {

// A key file is a few hundred bytes; anything far larger is not a key and
// is refused before it is read into memory.
inline constexpr std::size_t kMaxPemFileSize = std::size_t{64} * 1024;

// Mode of key files: private key material is readable by the owner only.
inline constexpr mode_t kKeyFileMode = 0600;

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

Status IoError(std::string_view what, const std::string& path, int err) {
  return Status(ErrorCode::kIoError, std::string(what) + " " + path + ": " + strerror(err));
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

std::string TakeOpenSslError() {
  unsigned long first = ERR_get_error();
  ERR_clear_error();
  if (first == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(first, buf, sizeof(buf));
  return buf;
}

void CheckAllocation(bool ok) {
  if (!ok) {
    ERR_clear_error();
    throw std::bad_alloc();
  }
}

Status InvalidArgument(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

EvpMdPtr FetchDigest(const char* name) {
  EvpMdPtr md(EVP_MD_fetch(nullptr, name, nullptr));
  CheckAllocation(md != nullptr);
  return md;
}

const EVP_MD* Sha256Md() {
  static const EvpMdPtr md = FetchDigest("SHA256");
  return md.get();
}

const EVP_MD* Sm3Md() {
  static const EvpMdPtr md = FetchDigest("SM3");
  return md.get();
}

EvpMdCtxPtr NewDigestCtx(const EVP_MD* md) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  CheckAllocation(ctx != nullptr);
  CheckAllocation(EVP_DigestInit_ex2(ctx.get(), md, nullptr) == 1);
  return ctx;
}

void DigestUpdate(EVP_MD_CTX* ctx, const void* data, std::size_t size) {
  CheckAllocation(EVP_DigestUpdate(ctx, data, size) == 1);
}

Digest DigestFinal(EVP_MD_CTX* ctx) {
  Digest out;
  unsigned int size = 0;
  CheckAllocation(EVP_DigestFinal_ex(ctx, out.data(), &size) == 1 && size == out.size());
  return out;
}

Digest DigestFinalAndRestart(EVP_MD_CTX* ctx) {
  Digest out = DigestFinal(ctx);
  CheckAllocation(EVP_DigestInit_ex2(ctx, nullptr, nullptr) == 1);
  return out;
}

Digest DigestOf(const EVP_MD* md, std::string_view data) {
  Digest out;
  unsigned int size = 0;
  CheckAllocation(EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) == 1 &&
                  size == out.size());
  return out;
}

Digest DigestWithPrefix(const EVP_MD* md, uint8_t prefix, std::string_view data) {
  EvpMdCtxPtr ctx = NewDigestCtx(md);
  DigestUpdate(ctx.get(), &prefix, 1);
  DigestUpdate(ctx.get(), data.data(), data.size());
  return DigestFinal(ctx.get());
}

Digest DigestWithPrefix(const EVP_MD* md, uint8_t prefix, const Digest& left, const Digest& right) {
  EvpMdCtxPtr ctx = NewDigestCtx(md);
  DigestUpdate(ctx.get(), &prefix, 1);
  DigestUpdate(ctx.get(), left.data(), left.size());
  DigestUpdate(ctx.get(), right.data(), right.size());
  return DigestFinal(ctx.get());
}

CleansedString::~CleansedString() { OPENSSL_cleanse(s_.data(), s_.size()); }

Result<EvpPkeyPtr> ParsePrivateKeyPem(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) {
    return InvalidArgument("PEM text too large to be a key");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  CheckAllocation(bio != nullptr);
  EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, RefusePassphrase, nullptr));
  if (pkey == nullptr) {
    return InvalidArgument("not an unencrypted PKCS#8 PEM private key: " + TakeOpenSslError());
  }
  return pkey;
}

Status WrongKeyType(EVP_PKEY* pkey, std::string_view expected) {
  const char* type = EVP_PKEY_get0_type_name(pkey);
  return InvalidArgument(std::string("key is ") + (type != nullptr ? type : "of an unknown type") +
                         ", expected " + std::string(expected));
}

std::string PrivateKeyPem(EVP_PKEY* pkey) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  CheckAllocation(bio != nullptr);
  CheckAllocation(
      PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  CheckAllocation(size >= 0 && data != nullptr);
  std::string pem(data, static_cast<std::size_t>(size));
  // The memory BIO frees its buffer without clearing it.
  OPENSSL_cleanse(data, static_cast<std::size_t>(size));
  return pem;
}

Status ReadKeyFile(const std::string& path, CleansedString& pem) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("cannot open", path, errno);
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
  return Status::Ok();
}

Status WriteKeyFile(const std::string& path, std::string pem) {
  CleansedString owned(std::move(pem));
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
  if (status.ok()) status = WriteAll(fd.get(), owned.get());
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

}  // namespace fupin::crypto::internal
