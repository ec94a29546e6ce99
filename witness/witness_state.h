// What a witness must never forget (tlog-witness v1.0.0 §"add-checkpoint"):
// per log origin, the size and root of the latest checkpoint it cosigned.
// Kept in one file, replaced durably (ledger/file_io.h) on every change, so
// a restart never forgets a size it cosigned and a crash leaves the old or
// the new state, never a mix.
//
// The file is JSON: {"version":1,"logs":{"<origin>":{"size":N,"root":"<b64>"}}}.
//
// Thread-safety: none; the Witness serializes access under its mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/merkle.h"
#include "ledger/status.h"

namespace fupin::witness {

struct CosignedHead {
  uint64_t size = 0;
  merkle::Hash root{};
};

class WitnessState {
 public:
  // Loads `path`, or starts empty when it does not exist. kDataLoss when
  // the file exists but is not a state this version wrote; kIoError when
  // it cannot be read.
  static Result<WitnessState> Load(std::string path);

  // The latest cosigned head of `origin`; nullopt when never cosigned (the
  // spec's size 0).
  std::optional<CosignedHead> Latest(std::string_view origin) const;
  // Records `head` as the latest of `origin` and writes the file durably
  // before returning; on failure the state in memory stays as it was.
  Status Update(const std::string& origin, const CosignedHead& head);

 private:
  explicit WitnessState(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::map<std::string, CosignedHead, std::less<>> logs_;
};

}  // namespace fupin::witness
