// The witness's add-checkpoint request (witness/witness.h, C2SP
// tlog-witness): the control block ("old <size>", the consistency proof
// lines, an empty line), the signed note after it, its checkpoint text,
// the log's signature, the consistency proof and the state update.
//
// Input: a selector byte, then the request body. Selector bit 0: the
// target signs the body's note with the log's key first (the note is
// everything after the first empty line; a signature line is appended
// after one more empty line), so mutations of the text and of the proof
// reach the consistency check instead of stopping at the signature.
// Bit 1: the witness starts having cosigned size 8 of the log (the RFC
// 6962 tree of the leaves 0x00..0x07, as fuzz/make-seeds.py builds it);
// otherwise it starts empty.
//
// Each input gets a fresh witness over a state file in a private temporary
// directory (removed at exit), with a fixed clock: inputs are independent.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz/fuzz_input.h"
#include "ledger/codec.h"
#include "ledger/signed_note.h"
#include "witness/witness.h"

namespace fupin {
namespace {

// The log's and the witness's Ed25519 seeds (as in the signed_note target).
inline constexpr std::string_view kLogName = "fuzz.example/log";
inline constexpr std::string_view kWitnessName = "fuzz.example/witness";
// Root of the RFC 6962 tree of the eight one-byte leaves 0x00..0x07,
// base64 (fuzz/make-seeds.py computes it the same way).
inline constexpr std::string_view kSize8RootB64 = "739JtiD2x+qbljohTaNLUCHG3tjtV3NDgKMRq3JqqQc=";
// 2020-09-05T00:00:00Z: cosignature timestamps must not follow the clock.
inline constexpr uint64_t kClockSeconds = 1599264000;

struct Fixture {
  std::filesystem::path dir;
  std::string state_path;
  std::string preset_state;  // size 8 cosigned
  crypto::Ed25519PrivateKey log_key;
  note::VerifierKey log_vkey;
};

Fixture* fixture = nullptr;

void RemoveFixture() {
  if (fixture == nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(fixture->dir, ignored);
  delete fixture;
  fixture = nullptr;
}

}  // namespace
}  // namespace fupin

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace fupin;
  std::string pattern = (std::filesystem::temp_directory_path() / "fupin-fuzz-witness-XXXXXX");
  FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr);
  Result<crypto::Ed25519PrivateKey> log =
      crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x11'));
  FUZZ_CHECK(log.ok());
  Result<note::VerifierKey> vkey =
      note::MakeVerifierKey(kLogName, note::kTypeEd25519, log->public_raw());
  FUZZ_CHECK(vkey.ok());
  fixture = new Fixture{pattern, pattern + "/witness-state.json",
                        std::string("{\"logs\":{\"") + std::string(kLogName) + "\":{\"root\":\"" +
                            std::string(kSize8RootB64) + "\",\"size\":8}},\"version\":1}\n",
                        std::move(log).value(), *vkey};
  std::atexit(RemoveFixture);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace fupin;
  const fuzz::SelectedInput in = fuzz::Select(data, size);
  std::string body(in.bytes);
  if ((in.selector & 1) != 0) {
    const std::size_t blank = body.find("\n\n");
    if (blank != std::string::npos) {
      const std::string text = body.substr(blank + 2);
      body += "\n" + note::SignatureLine(note::SignEd25519(kLogName, fixture->log_key, text));
    }
  }
  if ((in.selector & 2) != 0) {
    std::ofstream(fixture->state_path, std::ios::binary | std::ios::trunc) << fixture->preset_state;
  } else {
    std::filesystem::remove(fixture->state_path);
  }

  Result<crypto::Ed25519PrivateKey> witness_key =
      crypto::Ed25519PrivateKey::FromSeed(std::string(32, '\x22'));
  FUZZ_CHECK(witness_key.ok());
  witness::WitnessOptions options;
  options.name = std::string(kWitnessName);
  options.logs = {fixture->log_vkey};
  options.state_path = fixture->state_path;
  options.clock = [] { return kClockSeconds; };
  Result<std::unique_ptr<witness::Witness>> witness =
      witness::Witness::Create(std::move(witness_key).value(), std::move(options));
  FUZZ_CHECK(witness.ok());
  witness::AddCheckpointOutcome outcome = (*witness)->AddCheckpoint(body);
  // FUPIN_FUZZ_TRACE=1 prints each outcome (to check what seeds reach).
  static const bool trace = std::getenv("FUPIN_FUZZ_TRACE") != nullptr;
  if (trace) std::fprintf(stderr, "add-checkpoint: %s\n", outcome.status.ToString().c_str());
  if (outcome.status.ok()) FUZZ_CHECK(!outcome.cosignature_lines.empty());
  return 0;
}
