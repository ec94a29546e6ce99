#include "ledger/signed_note.h"

#include <array>
#include <cstdio>

#include "ledger/codec.h"
#include "ledger/utf8.h"

namespace fupin::note {
namespace {

Status Malformed(std::string message) {
  return Status(ErrorCode::kMalformedEvent, "signed note: " + std::move(message));
}

// The code points of valid UTF-8 (checked by the caller), one at a time.
char32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  char32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  i += static_cast<std::size_t>(length);
  return code;
}

// Go's unicode.IsSpace, which the reference implementation applies to key
// names: the ASCII white space, U+0085, U+00A0 and the Unicode Zs, Zl and
// Zp characters.
bool IsUnicodeSpace(char32_t c) {
  return c == U' ' || (c >= U'\t' && c <= U'\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

std::string BigEndian32(uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

uint32_t ReadBigEndian32(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::string TypeAndKey(uint8_t type, std::string_view public_key) {
  std::string blob(1, static_cast<char>(type));
  blob += public_key;
  return blob;
}

Result<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (!line.starts_with(kSignatureLinePrefix)) {
    return Malformed("a signature line must start with \"— \"");
  }
  line.remove_prefix(kSignatureLinePrefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return Malformed("a signature line has no signature");
  NoteSignature signature;
  signature.name = std::string(line.substr(0, space));
  if (!IsValidKeyName(signature.name)) {
    return Malformed("invalid key name \"" + signature.name + "\"");
  }
  Result<std::string> blob = Base64Decode(line.substr(space + 1));
  if (!blob.ok()) return Malformed("signature of " + signature.name + " is not base64");
  if (blob->size() < 5) return Malformed("signature of " + signature.name + " is too short");
  signature.key_id = ReadBigEndian32(*blob);
  signature.signature = blob->substr(4);
  return signature;
}

}  // namespace

uint32_t KeyId(std::string_view name, uint8_t type, std::string_view public_key) {
  std::string preimage(name);
  preimage += '\n';
  preimage += TypeAndKey(type, public_key);
  const crypto::Digest digest = crypto::Sha256(preimage);
  return ReadBigEndian32(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string KeyIdHex(uint32_t key_id) {
  std::array<char, 9> hex{};
  std::snprintf(hex.data(), hex.size(), "%08x", key_id);
  return std::string(hex.data(), 8);
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name)) return false;
  for (std::size_t i = 0; i < name.size();) {
    const char32_t c = NextCodePoint(name, i);
    if (c < 0x20 || c == 0x7F || c == U'+' || IsUnicodeSpace(c)) return false;
  }
  return true;
}

Result<VerifierKey> MakeVerifierKey(std::string_view name, uint8_t type,
                                    std::string_view public_key) {
  if (!IsValidKeyName(name)) {
    return Status(ErrorCode::kInvalidArgument,
                  "key name \"" + std::string(name) +
                      "\" must be non-empty UTF-8 without spaces, '+' or control characters");
  }
  if (type != kTypeEd25519 && type != kTypeCosignatureV1) {
    return Status(ErrorCode::kInvalidArgument, "unknown verifier key type");
  }
  if (public_key.size() != crypto::kEd25519PublicKeySize) {
    return Status(ErrorCode::kInvalidArgument, "an Ed25519 public key has 32 bytes");
  }
  return VerifierKey{std::string(name), type, std::string(public_key),
                     KeyId(name, type, public_key)};
}

Result<VerifierKey> ParseVerifierKey(std::string_view vkey) {
  const std::size_t first = vkey.find('+');
  const std::size_t second = first == std::string_view::npos ? first : vkey.find('+', first + 1);
  if (second == std::string_view::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  "verifier key must be <name>+<hex key id>+<base64 key>");
  }
  const std::string_view name = vkey.substr(0, first);
  const std::string_view hex = vkey.substr(first + 1, second - first - 1);
  Result<std::string> id = HexDecode(hex);
  if (hex.size() != 8 || !id.ok()) {
    return Status(
        ErrorCode::kInvalidArgument,
        "verifier key id must be 8 lower-case hex digits, got \"" + std::string(hex) + "\"");
  }
  Result<std::string> blob = Base64Decode(vkey.substr(second + 1));
  if (!blob.ok() || blob->empty()) {
    return Status(ErrorCode::kInvalidArgument, "verifier key material is not base64");
  }
  FUPIN_ASSIGN_OR_RETURN(VerifierKey key, MakeVerifierKey(name, static_cast<uint8_t>((*blob)[0]),
                                                          std::string_view(*blob).substr(1)));
  if (key.key_id != ReadBigEndian32(*id)) {
    return Status(ErrorCode::kInvalidArgument, "verifier key id " + std::string(hex) +
                                                   " does not match its name and key (" +
                                                   KeyIdHex(key.key_id) + ")");
  }
  return key;
}

std::string FormatVerifierKey(const VerifierKey& key) {
  return key.name + "+" + KeyIdHex(key.key_id) + "+" +
         Base64Encode(TypeAndKey(key.type, key.public_key));
}

Result<Note> ParseNote(std::string_view bytes) {
  if (bytes.size() > kMaxNoteBytes) return Malformed("longer than 64 KiB");
  if (!IsValidUtf8(bytes)) return Malformed("not valid UTF-8");
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return Malformed("holds a control character other than newline");
    }
  }
  // §"Format": "the text is separated from the signatures by the last
  // empty line in the note".
  const std::size_t blank = bytes.rfind("\n\n");
  if (blank == std::string_view::npos) return Malformed("no blank line before the signatures");
  Note note;
  note.text = std::string(bytes.substr(0, blank + 1));
  std::string_view rest = bytes.substr(blank + 2);
  if (rest.empty() || rest.back() != '\n') {
    return Malformed("the signature lines must end with a newline");
  }
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    if (note.signatures.size() == kMaxSignatures) {
      return Malformed("more than " + std::to_string(kMaxSignatures) + " signatures");
    }
    FUPIN_ASSIGN_OR_RETURN(NoteSignature signature, ParseSignatureLine(rest.substr(0, end)));
    note.signatures.push_back(std::move(signature));
    rest.remove_prefix(end + 1);
  }
  return note;
}

std::string SignatureLine(const NoteSignature& signature) {
  return std::string(kSignatureLinePrefix) + signature.name + " " +
         Base64Encode(BigEndian32(signature.key_id) + signature.signature) + "\n";
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& signature : note.signatures) out += SignatureLine(signature);
  return out;
}

NoteSignature SignEd25519(std::string_view name, const crypto::Ed25519PrivateKey& key,
                          std::string_view text) {
  return {std::string(name), KeyId(name, kTypeEd25519, key.public_raw()), key.Sign(text)};
}

bool VerifyEd25519(const VerifierKey& key, std::string_view text, const NoteSignature& signature) {
  if (key.type != kTypeEd25519 || signature.name != key.name || signature.key_id != key.key_id) {
    return false;
  }
  Result<crypto::Ed25519PublicKey> public_key = crypto::Ed25519PublicKey::FromRaw(key.public_key);
  return public_key.ok() && public_key->Verify(text, signature.signature);
}

std::vector<const NoteSignature*> SignaturesBy(const Note& note, const VerifierKey& key) {
  std::vector<const NoteSignature*> found;
  for (const NoteSignature& signature : note.signatures) {
    if (signature.name == key.name && signature.key_id == key.key_id) found.push_back(&signature);
  }
  return found;
}

}  // namespace fupin::note
