#include "ledger/random.h"

#include <openssl/rand.h>

#include "ledger/codec.h"

namespace fupin {

Result<std::string> RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return Status(ErrorCode::kInternal, "the random number generator failed");
  }
  return out;
}

Result<std::string> NewUuid() {
  FUPIN_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(16));
  std::string& b = bytes;
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace fupin
