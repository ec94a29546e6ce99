#include "ledger/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace fupin {
namespace {

Status IoError(std::string_view what, const std::string& path, int error) {
  return Status(ErrorCode::kIoError, std::string(what) + " " + path + ": " + std::strerror(error));
}

// Closes the descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd);
  }

 private:
  int fd_;
};

Status WriteAndSync(const std::string& path, std::string_view bytes, mode_t mode) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) return IoError("cannot create", path, errno);
  if (::fchmod(fd.get(), mode) != 0) return IoError("cannot set the mode of", path, errno);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd.get(), bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd.get()) != 0) return IoError("cannot sync", path, errno);
  if (fd.Release() != 0) return IoError("cannot close", path, errno);
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadFileBytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status(ErrorCode::kNotFound, "no file " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot read " + path);
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) return Status(ErrorCode::kIoError, "cannot read " + path);
  return bytes;
}

Status WriteFileDurably(const std::string& path, std::string_view bytes, mode_t mode) {
  const std::string temp = path + ".tmp";
  Status written = WriteAndSync(temp, bytes, mode);
  if (written.ok() && std::rename(temp.c_str(), path.c_str()) != 0) {
    written = IoError("cannot rename into", path, errno);
  }
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return written;
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  Fd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0) {
    return IoError("cannot sync the directory of", path, errno);
  }
  return Status::Ok();
}

}  // namespace fupin
