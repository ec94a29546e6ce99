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
#include "ledger/witness_policy.h"

namespace fupin::replay {

// Value of the bundle's "format" member; a new layout gets a new version.
// v2 adds "checkpoint_note": the checkpoint as a C2SP signed note with its
// witnesses' cosignatures (or null). Both are verified; v2 is written.
inline constexpr std::string_view kBundleFormatV1 = "fupin-ledger/evidence-bundle/v1";
inline constexpr std::string_view kBundleFormat = "fupin-ledger/evidence-bundle/v2";

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
// yet), or with a witness policy as of the newest checkpoint whose stored
// cosignatures meet its quorum. Errors: kNotFound when no record up to the
// checkpoint names the entity, or no checkpoint meets the policy; store
// errors. `progress` gets (records done, records to do).
Result<std::string> BuildBundle(const Ledger& ledger, const std::string& entity,
                                BundleStats* stats = nullptr,
                                const std::function<void(uint64_t, uint64_t)>& progress = {},
                                const WitnessPolicy* witness_policy = nullptr);

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
  // "checkpoint", "checkpoint signature", "checkpoint note", "witnesses",
  // "log id", "system key", "record N" / "record N signature" (N its seq),
  // "proof of seq N", "key ID", "trail", "chain" / "chain version V",
  // "summary".
  std::vector<std::string> failures;
  // With a witness policy: the valid cosignatures of policy witnesses.
  std::vector<WitnessCosignature> cosigners;
  bool anchor_given = false;
  BundleStats stats;
  bool ok() const { return readable && failures.empty(); }
  // The first failure ("" when ok).
  std::string reason() const { return failures.empty() ? "" : failures.front(); }
};

// Checks a bundle offline. Never fails itself: problems are in the result.
// With `witness_policy` the bundle must carry its checkpoint's note, signed
// by the anchor key, with the policy's quorum of valid cosignatures.
BundleVerification VerifyBundle(std::string_view bundle_text, const TrustAnchor& anchor,
                                const WitnessPolicy* witness_policy = nullptr);

// {"ok","reason","failures":[...],"trust_anchor":"given"|"bundle",
//  "entity","checkpoint_tree_size","records","trail","chain","keys",
//  "cosigners":[{"name","timestamp"}]}
boost::json::object BundleVerificationJson(const BundleVerification& verification);

}  // namespace fupin::replay
