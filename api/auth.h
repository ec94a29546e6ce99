// Bearer-token authentication and the role gate of each route (SPEC §5).
//
// Tokens are configured as the SHA-256 of the token; a presented token is
// hashed and compared with every configured hash in constant time, so
// neither the token nor which configured hash it nearly matched leaks
// through timing. Immutable after construction: safe to share between
// threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/config.h"
#include "ledger/status.h"

namespace fupin::api {

// Who may call a route.
enum class Access {
  kOpen,     // no token: /healthz, and POST /v1/events (signatures authorize)
  kPublic,   // any valid token: checkpoints and proofs
  kAuditor,  // auditor, supervisor or admin: records, trails, entities, flags, metrics
  kAdmin,    // admin only: the access log
};

struct Principal {
  std::string token_id;
  Role role = Role::kPublic;
  std::vector<std::string> regions;
};

class TokenTable {
 public:
  explicit TokenTable(std::vector<TokenConfig> tokens);

  // `authorization` is the Authorization header's value ("" when absent).
  // kUnauthenticated when it is missing, not a Bearer credential, or names
  // no configured token; the message says which, never echoing the token.
  Result<Principal> Authenticate(std::string_view authorization) const;

 private:
  std::vector<TokenConfig> tokens_;
};

// kPermissionDenied when the principal's role may not use a route needing
// `access`.
Status Authorize(const Principal& principal, Access access);

}  // namespace fupin::api
