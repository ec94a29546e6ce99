#include "api/auth.h"

#include <cstdint>

#include "ledger/crypto.h"

namespace fupin::api {
namespace {

// RFC 6750 §2.1: the scheme is case-insensitive, followed by one space.
inline constexpr std::string_view kBearerScheme = "bearer ";

bool StartsWithCaseInsensitive(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Compares two digests without an early exit.
bool DigestsEqual(const crypto::Digest& a, const crypto::Digest& b) {
  uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

TokenTable::TokenTable(std::vector<TokenConfig> tokens) : tokens_(std::move(tokens)) {}

Result<Principal> TokenTable::Authenticate(std::string_view authorization) const {
  if (authorization.empty()) {
    return Status(ErrorCode::kUnauthenticated, "this route needs an Authorization: Bearer token");
  }
  if (!StartsWithCaseInsensitive(authorization, kBearerScheme)) {
    return Status(ErrorCode::kUnauthenticated, "the Authorization header is not a Bearer token");
  }
  std::string_view token = authorization.substr(kBearerScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return Status(ErrorCode::kUnauthenticated, "empty bearer token");

  crypto::Digest presented = crypto::Sha256(token);
  const TokenConfig* match = nullptr;
  // Every configured hash is compared, matched or not.
  for (const TokenConfig& candidate : tokens_) {
    bool equal = DigestsEqual(presented, candidate.sha256);
    if (equal) match = &candidate;
  }
  if (match == nullptr) return Status(ErrorCode::kUnauthenticated, "unknown bearer token");
  return Principal{match->id, match->role, match->regions};
}

Status Authorize(const Principal& principal, Access access) {
  switch (access) {
    case Access::kOpen:
    case Access::kPublic:
      return Status::Ok();
    case Access::kAuditor:
      if (principal.role != Role::kPublic) return Status::Ok();
      return Status(ErrorCode::kPermissionDenied,
                    "the public role may read statistics, checkpoints and proofs only");
    case Access::kAdmin:
      if (principal.role == Role::kAdmin) return Status::Ok();
      return Status(ErrorCode::kPermissionDenied, "only an admin token may read this, not the " +
                                                      std::string(RoleName(principal.role)) +
                                                      " role");
  }
  return Status(ErrorCode::kPermissionDenied, "route not allowed");
}

}  // namespace fupin::api
