// Evidence bundles (docs/bundle.md): one JSON file that proves one
// entity's audit trail to someone without access to the ledger -- the
// records verbatim, the keys that signed them with their key.registered
// records (up to the self-signed genesis), an inclusion proof of every
// record against one signed checkpoint, the hash chain of the entity's own
// stream from version 1, and a summary in Chinese that the verifier
// recomputes from the proven records (so it cannot say anything else).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"

namespace fupin::replay {

// Value of the bundle's "format" member; a new layout gets a new version.
inline constexpr std::string_view kBundleFormat = "fupin-ledger/evidence-bundle/v1";

struct BundleStats {
  std::string entity;
  uint64_t checkpoint_tree_size = 0;
  std::size_t records = 0;  // every record in the bundle
  std::size_t trail = 0;    // records naming the entity
  std::size_t chain = 0;    // versions of the entity's own stream
  std::size_t keys = 0;
};

// The bundle of `entity` ("product:P-1") as of the ledger's latest
// checkpoint (records after it are not included: they are not provable
// yet). Errors: kNotFound when no record up to the checkpoint names the
// entity, store errors. `progress` gets (records done, records to do).
Result<std::string> BuildBundle(const Ledger& ledger, const std::string& entity,
                                BundleStats* stats = nullptr,
                                const std::function<void(uint64_t, uint64_t)>& progress = {});

// What the verifier trusts. Without a system key, the key written in the
// bundle is used and the report says the trust anchor was not given.
struct TrustAnchor {
  std::optional<std::string> log_id;          // hex
  std::optional<std::string> system_key_b64;  // raw 32 bytes, base64
};

struct BundleVerification {
  // False: not a bundle at all (not JSON, another format) -- exit 2.
  bool readable = true;
  // Every failed check, "part: detail"; the part is one of "format",
  // "checkpoint", "checkpoint signature", "log id", "system key",
  // "record N" / "record N signature" (N its seq), "proof of seq N",
  // "key ID", "trail", "chain" / "chain version V", "summary".
  std::vector<std::string> failures;
  bool anchor_given = false;
  BundleStats stats;
  bool ok() const { return readable && failures.empty(); }
  // The first failure ("" when ok).
  std::string reason() const { return failures.empty() ? "" : failures.front(); }
};

// Checks a bundle offline. Never fails itself: problems are in the result.
BundleVerification VerifyBundle(std::string_view bundle_text, const TrustAnchor& anchor);

// {"ok","reason","failures":[...],"trust_anchor":"given"|"bundle",
//  "entity","checkpoint_tree_size","records","trail","chain","keys"}
boost::json::object BundleVerificationJson(const BundleVerification& verification);

}  // namespace fupin::replay
