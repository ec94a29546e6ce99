// The complete-subtree hashes the ledger stores in the merkle column family
// (store_format.h MerkleKey), read as a merkle::NodeReader: the one reader
// of stored nodes behind the ledger's roots and proofs and verification's
// consistency proofs.
//
// Thread-safety: as the StoreDb it reads; it holds no state of its own.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <optional>
#include <shared_mutex>

#include "ledger/merkle.h"
#include "ledger/store_db.h"

namespace fupin {

// Stored nodes of the upper levels, kept in memory once read. A stored
// node is a complete subtree and never changes, and every proof against a
// recent tree reads the same upper nodes (each inclusion path reads one
// node per level, most of them shared by every proof of the same tree), so
// the ledger's reads keep them instead of asking RocksDB each time. Only
// levels >= kLowestLevel are kept: at most one node per 2^kLowestLevel
// records (40,000 nodes, ~2 MB, for 10M records).
//
// Thread-safety: safe for concurrent use.
class MerkleNodeCache {
 public:
  static constexpr uint8_t kLowestLevel = 8;

  std::optional<merkle::Hash> Find(merkle::NodeId id) const;
  void Insert(merkle::NodeId id, const merkle::Hash& hash);

 private:
  // level in the top byte, index below: an index at level >= 8 of a tree
  // of fewer than 2^64 leaves is below 2^56.
  static uint64_t Key(merkle::NodeId id) { return (uint64_t{id.level} << 56) | id.index; }

  mutable std::shared_mutex mutex_;
  boost::unordered_flat_map<uint64_t, merkle::Hash> nodes_;
};

class StoredMerkleNodes final : public merkle::NodeReader {
 public:
  // `store` (and `cache`, when given) must outlive this reader.
  explicit StoredMerkleNodes(const StoreDb& store, MerkleNodeCache* cache = nullptr)
      : store_(store), cache_(cache) {}
  // kNotFound for a node never stored, kDataLoss for one of the wrong size.
  Result<merkle::Hash> Node(merkle::NodeId id) const override;

 private:
  const StoreDb& store_;
  MerkleNodeCache* cache_;
};

}  // namespace fupin
