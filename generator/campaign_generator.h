// `fupin-ledger generate`: a whole Hunan campaign, written to a directory.
//
//   DIR/events.jsonl         signed events, one canonical JSON per line, in
//                            an order the ledger accepts right after `init`
//   DIR/labels.jsonl         the injected frauds (labels.h)
//   DIR/expected/stats.json  the statistics table as of the last event
//   DIR/expected/stats.csv   the same table as CSV
//   DIR/keys/                every key used (TEST ONLY), keys.json
//   DIR/manifest.json        seed, scale, counts, the admin key
//
// Deterministic: the same seed and scale give byte-identical files, with
// any number of signing threads. See docs/generator.md for the model.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "generator/keys.h"
#include "generator/params.h"
#include "ledger/status.h"

namespace fupin::generator {

struct GenerateOptions {
  uint64_t seed = 0;
  Scale scale;
  std::string out_dir;
  int threads = 2;                          // signing threads, >= 1
  KeyAlgMix key_alg = KeyAlgMix::kEd25519;  // generate --key-alg
  // Called on the generator's thread at each phase and trading day with
  // the events emitted so far; may be empty.
  std::function<void(std::string_view phase, uint64_t events)> progress;
};

struct GenerateSummary {
  uint64_t events = 0;  // lines of events.jsonl
  // The seq of the last event when events.jsonl is appended in order right
  // after `init` (which writes seqs 0 and 1): events + 1.
  int64_t as_of = 0;
  std::size_t labels = 0;
  std::size_t keys = 0;
  std::string admin_public_key;  // base64, for `init --admin-public-key`
};

// Errors: kInvalidArgument (bad options, a scale too small for the
// world), kAlreadyExists (out_dir exists and is not empty), kIoError.
Result<GenerateSummary> GenerateCampaign(const GenerateOptions& options);

}  // namespace fupin::generator
