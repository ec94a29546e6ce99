#include "ledger/tlog_checkpoint.h"

#include <charconv>
#include <cstring>
#include <limits>

#include "ledger/codec.h"

namespace fupin::tlog {
namespace {

// tlog-cosignature §"Format": "It MUST NOT exceed 2^63 - 1".
inline constexpr uint64_t kMaxTimestamp = std::numeric_limits<int64_t>::max();
inline constexpr std::size_t kMaxOriginBytes = 255;
inline constexpr std::size_t kTimestampBytes = 8;

Status Malformed(std::string message) {
  return Status(ErrorCode::kMalformedEvent, "checkpoint note: " + std::move(message));
}

// "0" or [1-9][0-9]*, at most 2^63-1.
std::optional<uint64_t> ParseCanonicalSize(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return value;
}

}  // namespace

std::string CheckpointText(const TreeHead& head) {
  return head.origin + "\n" + std::to_string(head.size) + "\n" +
         Base64Encode(
             std::string_view(reinterpret_cast<const char*>(head.root.data()), head.root.size())) +
         "\n";
}

Result<TreeHead> ParseCheckpointText(std::string_view text) {
  std::string_view lines[3];
  std::string_view rest = text;
  for (std::string_view& line : lines) {
    const std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) return Malformed("fewer than three lines");
    line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
  }
  if (!rest.empty()) return Malformed("extension lines are not accepted");
  TreeHead head;
  if (lines[0].empty()) return Malformed("empty origin line");
  head.origin = std::string(lines[0]);
  std::optional<uint64_t> size = ParseCanonicalSize(lines[1]);
  if (!size) return Malformed("tree size \"" + std::string(lines[1]) + "\" is not a decimal");
  head.size = *size;
  Result<std::string> root = Base64Decode(lines[2]);
  if (!root.ok() || root->size() != head.root.size()) {
    return Malformed("root hash is not the base64 of 32 bytes");
  }
  std::memcpy(head.root.data(), root->data(), head.root.size());
  return head;
}

bool IsValidOrigin(std::string_view origin) {
  return origin.size() <= kMaxOriginBytes && note::IsValidKeyName(origin);
}

std::string DefaultOrigin(std::string_view log_id_hex) {
  return "fupin-ledger/" + std::string(log_id_hex);
}

std::string CosignatureMessage(uint64_t timestamp, std::string_view checkpoint_text) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpoint_text);
}

note::NoteSignature Cosign(std::string_view name, const crypto::Ed25519PrivateKey& key,
                           uint64_t timestamp, std::string_view checkpoint_text) {
  std::string field(kTimestampBytes, '\0');
  for (std::size_t i = 0; i < kTimestampBytes; ++i) {
    field[i] = static_cast<char>(timestamp >> (8 * (kTimestampBytes - 1 - i)));
  }
  field += key.Sign(CosignatureMessage(timestamp, checkpoint_text));
  return {std::string(name), note::KeyId(name, note::kTypeCosignatureV1, key.public_raw()),
          std::move(field)};
}

std::optional<Cosignature> VerifyCosignature(const note::VerifierKey& key,
                                             std::string_view checkpoint_text,
                                             const note::NoteSignature& signature) {
  if (key.type != note::kTypeCosignatureV1 || signature.name != key.name ||
      signature.key_id != key.key_id ||
      signature.signature.size() != kTimestampBytes + crypto::kEd25519SignatureSize) {
    return std::nullopt;
  }
  Cosignature out;
  for (std::size_t i = 0; i < kTimestampBytes; ++i) {
    out.timestamp = (out.timestamp << 8) | static_cast<unsigned char>(signature.signature[i]);
  }
  if (out.timestamp > kMaxTimestamp) return std::nullopt;
  out.signature = signature.signature.substr(kTimestampBytes);
  Result<crypto::Ed25519PublicKey> public_key = crypto::Ed25519PublicKey::FromRaw(key.public_key);
  if (!public_key.ok() ||
      !public_key->Verify(CosignatureMessage(out.timestamp, checkpoint_text), out.signature)) {
    return std::nullopt;
  }
  return out;
}

std::string CheckSignedCheckpointNote(std::string_view note, const note::VerifierKey& log_key,
                                      uint64_t size, const merkle::Hash& root) {
  Result<note::Note> parsed = note::ParseNote(note);
  if (!parsed.ok()) return parsed.status().message();
  const std::string text = CheckpointText({log_key.name, size, root});
  if (parsed->text != text) return "its text is not this checkpoint's";
  std::vector<const note::NoteSignature*> own = note::SignaturesBy(*parsed, log_key);
  if (own.empty() || !std::all_of(own.begin(), own.end(), [&](const note::NoteSignature* s) {
        return note::VerifyEd25519(log_key, text, *s);
      })) {
    return "no valid signature of the system key";
  }
  return "";
}

}  // namespace fupin::tlog
