// The Merkle tree of RFC 9162 §2.1 (same as RFC 6962): leaf hashes,
// roots, inclusion and consistency proofs, and their verification.
//
// The tree is addressed by complete subtrees: node (level, index) is the
// hash of leaves [index << level, (index + 1) << level). Only complete
// subtrees are ever stored; any root or proof for any size is assembled
// from O(log n) of them through a NodeReader.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/hash_alg.h"
#include "ledger/status.h"

namespace fupin::merkle {

using Hash = crypto::Digest;
using crypto::HashAlg;
inline constexpr std::size_t kHashSize = crypto::kSha256Size;

// H is the log's hash (hash_alg.h): SHA-256 or SM3.
Hash LeafHash(HashAlg alg, std::string_view leaf_data);           // H(0x00 || data)
Hash NodeHash(HashAlg alg, const Hash& left, const Hash& right);  // H(0x01 || l || r)
Hash EmptyRoot(HashAlg alg);                                      // H("")

struct NodeId {
  uint8_t level = 0;
  uint64_t index = 0;
  bool operator==(const NodeId&) const = default;
};

struct NodeWrite {
  NodeId id;
  Hash hash;
};

// Source of complete-subtree hashes. Errors: kNotFound when the node was
// never stored, kIoError/kDataLoss from storage. The functions below pass a
// reader's error through unchanged. Implementations used from several
// threads must make Node() safe to call concurrently.
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  virtual Result<Hash> Node(NodeId id) const = 0;
};

// Every function taking a NodeReader assembles its answer from at most
// O(log n) complete-subtree reads (never one per leaf) and needs every
// complete node of the first `tree_size` / `second` leaves to be stored.

// Root of the first tree_size leaves (EmptyRoot() for 0).
Result<Hash> Root(HashAlg alg, const NodeReader& nodes, uint64_t tree_size);
// RFC 9162 §2.1.3.1 path for leaf_index < tree_size (else kInvalidArgument),
// deepest sibling first; empty for a tree of one leaf.
Result<std::vector<Hash>> InclusionPath(HashAlg alg, const NodeReader& nodes, uint64_t leaf_index,
                                        uint64_t tree_size);
// RFC 9162 §2.1.4.1 path for 0 < first <= second (else kInvalidArgument);
// empty when first == second.
Result<std::vector<Hash>> ConsistencyPath(HashAlg alg, const NodeReader& nodes, uint64_t first,
                                          uint64_t second);

// RFC 9162 §2.1.3.2. kInvalidArgument for leaf_index >= tree_size,
// kDataLoss when the path does not lead to `root` or has the wrong length.
Status VerifyInclusion(HashAlg alg, uint64_t leaf_index, uint64_t tree_size, const Hash& leaf_hash,
                       const std::vector<Hash>& path, const Hash& root);
// RFC 9162 §2.1.4.2. kInvalidArgument for first == 0 or first > second,
// kDataLoss when the proof does not hold or has the wrong length. The RFC
// algorithm rejects an empty path; for first == second (whose proof is
// empty by §2.1.4.1) the proof holds iff the path is empty and the roots
// are equal.
Status VerifyConsistency(HashAlg alg, uint64_t first, uint64_t second, const Hash& first_root,
                         const Hash& second_root, const std::vector<Hash>& path);

// The right edge of a growing tree: the complete subtrees whose sizes are
// the binary digits of size(). Appending a leaf yields every complete node
// it completes (the leaf itself at level 0 first, then upwards), which the
// caller stores. A value type; not safe for concurrent mutation.
class Frontier {
 public:
  explicit Frontier(HashAlg alg) : alg_(alg) {}
  // Rebuilds the frontier of a stored tree of `size` leaves in popcount(size)
  // reads; a reader error is passed through.
  static Result<Frontier> Load(HashAlg alg, const NodeReader& nodes, uint64_t size);

  // Appends a leaf; adds the nodes it completes to *completed. Allocates
  // nothing itself once the edge has been reserved (first append).
  void Append(const Hash& leaf_hash, std::vector<NodeWrite>* completed);
  Hash Root() const;  // EmptyRoot() when empty
  uint64_t size() const { return size_; }
  HashAlg alg() const { return alg_; }

 private:
  HashAlg alg_;
  std::vector<NodeWrite> edge_;  // complete subtrees, largest (leftmost) first
  uint64_t size_ = 0;
};

// NodeReader over an in-memory map (tests, in-memory folds, overlays).
// Not thread-safe while being written.
class InMemoryNodes : public NodeReader {
 public:
  explicit InMemoryNodes(HashAlg alg) : frontier_(alg) {}
  void Put(const NodeWrite& node);
  Result<Hash> Node(NodeId id) const override;
  // Appends leaves through a Frontier, storing every completed node.
  void AppendLeaf(const Hash& leaf_hash);
  uint64_t size() const { return frontier_.size(); }
  Hash Root() const { return frontier_.Root(); }

 private:
  struct IdHash {
    std::size_t operator()(const NodeId& id) const {
      return std::hash<uint64_t>()(id.index * 64 + id.level);
    }
  };
  std::unordered_map<NodeId, Hash, IdHash> nodes_;
  Frontier frontier_;
};

}  // namespace fupin::merkle
