// The complete-subtree hashes the ledger stores in the merkle column family
// (store_format.h MerkleKey), read as a merkle::NodeReader: the one reader
// of stored nodes behind the ledger's roots and proofs and verification's
// consistency proofs.
//
// Thread-safety: as the StoreDb it reads; it holds no state of its own.
#pragma once

#include "ledger/merkle.h"
#include "ledger/store_db.h"

namespace fupin {

class StoredMerkleNodes final : public merkle::NodeReader {
 public:
  // `store` must outlive this reader.
  explicit StoredMerkleNodes(const StoreDb& store) : store_(store) {}
  // kNotFound for a node never stored, kDataLoss for one of the wrong size.
  Result<merkle::Hash> Node(merkle::NodeId id) const override;

 private:
  const StoreDb& store_;
};

}  // namespace fupin
