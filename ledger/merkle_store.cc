#include "ledger/merkle_store.h"

#include <cstring>
#include <mutex>
#include <optional>
#include <string>

#include "ledger/store_format.h"

namespace fupin {

std::optional<merkle::Hash> MerkleNodeCache::Find(merkle::NodeId id) const {
  std::shared_lock lock(mutex_);
  auto found = nodes_.find(Key(id));
  if (found == nodes_.end()) return std::nullopt;
  return found->second;
}

void MerkleNodeCache::Insert(merkle::NodeId id, const merkle::Hash& hash) {
  std::unique_lock lock(mutex_);
  nodes_.emplace(Key(id), hash);
}

Result<merkle::Hash> StoredMerkleNodes::Node(merkle::NodeId id) const {
  const bool cached_level = cache_ != nullptr && id.level >= MerkleNodeCache::kLowestLevel;
  if (cached_level) {
    if (std::optional<merkle::Hash> hash = cache_->Find(id)) return *hash;
  }
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
  if (cached_level) cache_->Insert(id, hash);
  return hash;
}

}  // namespace fupin
