// What the server of a mirror (`fupin-ledger mirror`) shows of the process
// that follows its source: GET /v1/mirror/status, /v1/mirror/evidence and
// the fupin_mirror_* metrics. The follower (mirror/follower.h) implements
// it; the server only reads it. Implementations are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/metrics.h"
#include "ledger/witness_policy.h"

namespace fupin::api {

class MirrorView {
 public:
  virtual ~MirrorView() = default;
  // The source's URL, named when writes are refused.
  virtual std::string source() const = 0;
  // GET /v1/mirror/status: the JSON object (docs/api.md).
  virtual std::string StatusJson() const = 0;
  // GET /v1/mirror/evidence: the stored fork evidence, nullopt while none.
  virtual std::optional<std::string> EvidenceJson() const = 0;
  virtual std::vector<MetricFamily> MetricFamilies() const = 0;
  // The witness policy the mirror follows by (its checkpoint answers show
  // the cosignatures it accepts); null when it follows without one.
  virtual const WitnessPolicy* witness_policy() const = 0;
};

}  // namespace fupin::api
