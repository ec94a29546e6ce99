#include "ledger/merkle_store.h"

#include <cstring>
#include <optional>
#include <string>

#include "ledger/store_format.h"

namespace fupin {

Result<merkle::Hash> StoredMerkleNodes::Node(merkle::NodeId id) const {
  Result<std::optional<std::string>> value = store_.Get(Cf::kMerkle, store_format::MerkleKey(id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return Status(ErrorCode::kNotFound, "Merkle node (" + std::to_string(id.level) + ", " +
                                            std::to_string(id.index) + ") missing");
  }
  merkle::Hash hash;
  if ((*value)->size() != hash.size()) {
    return Status(ErrorCode::kDataLoss, "Merkle node of wrong size");
  }
  std::memcpy(hash.data(), (*value)->data(), hash.size());
  return hash;
}

}  // namespace fupin
