#include "api/gzip.h"

#include <zlib.h>

namespace fupin::api {
namespace {

// Low levels already take JSON most of the way; the server's CPU is better
// spent verifying signatures than on the last few percent.
inline constexpr int kGzipLevel = 4;
// windowBits 15 (a 32 KiB window) + 16: write a gzip header and trailer
// instead of a zlib one.
inline constexpr int kGzipWindowBits = 15 + 16;
// zlib's default: 128 KiB of state per stream.
inline constexpr int kGzipMemLevel = 8;

// Owns an initialized deflate stream.
class Deflater {
 public:
  Deflater() {
    ok_ = deflateInit2(&stream_, kGzipLevel, Z_DEFLATED, kGzipWindowBits, kGzipMemLevel,
                       Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ok_) deflateEnd(&stream_);
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

Result<std::string> Gzip(std::string_view data) {
  Deflater deflater;
  if (!deflater.ok()) return Status(ErrorCode::kInternal, "gzip: cannot initialize zlib");
  z_stream& z = deflater.stream();
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  // zlib's interface is not const-correct; it only reads next_in.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  // deflateBound leaves room for the whole stream: one call finishes it.
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
    return Status(ErrorCode::kInternal, "gzip: deflate did not finish");
  }
  out.resize(z.total_out);
  return out;
}

}  // namespace fupin::api
