#include "ledger/merkle.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <string>

namespace fupin::merkle {
namespace {

// RFC 9162 §2.1.1 domain separation: a leaf can never be mistaken for an
// interior node (second-preimage resistance).
inline constexpr uint8_t kLeafPrefix = 0x00;
inline constexpr uint8_t kNodePrefix = 0x01;

// A frontier holds one subtree per set bit of a 64-bit size.
inline constexpr std::size_t kMaxFrontierNodes = 64;

// RFC 9162's k: the largest power of two strictly smaller than n (n > 1).
uint64_t SplitPoint(uint64_t n) {
  assert(n > 1);
  return std::bit_floor(n - 1);
}

bool IsCompleteSubtree(uint64_t begin, uint64_t size) {
  return std::has_single_bit(size) && begin % size == 0;
}

// MTH(D[begin:end]) for 0 < end - begin. An aligned power-of-two range is
// one stored node; any other range is split as RFC 9162 §2.1.1 does, which
// for the ranges that roots and proofs ask for decomposes into at most one
// read per set bit of the size.
Result<Hash> SubtreeHash(HashAlg alg, const NodeReader& nodes, uint64_t begin, uint64_t end) {
  const uint64_t size = end - begin;
  if (IsCompleteSubtree(begin, size)) {
    return nodes.Node(NodeId{static_cast<uint8_t>(std::countr_zero(size)), begin / size});
  }
  const uint64_t k = SplitPoint(size);
  FUPIN_ASSIGN_OR_RETURN(Hash left, SubtreeHash(alg, nodes, begin, begin + k));
  FUPIN_ASSIGN_OR_RETURN(Hash right, SubtreeHash(alg, nodes, begin + k, end));
  return NodeHash(alg, left, right);
}

Status Mismatch(std::string_view what) { return Status(ErrorCode::kDataLoss, std::string(what)); }

}  // namespace

Hash LeafHash(HashAlg alg, std::string_view leaf_data) {
  return crypto::HashWithPrefix(alg, kLeafPrefix, leaf_data);
}

Hash NodeHash(HashAlg alg, const Hash& left, const Hash& right) {
  return crypto::HashWithPrefix(alg, kNodePrefix, left, right);
}

Hash EmptyRoot(HashAlg alg) { return crypto::HashOf(alg, ""); }

Result<Hash> Root(HashAlg alg, const NodeReader& nodes, uint64_t tree_size) {
  if (tree_size == 0) return EmptyRoot(alg);
  return SubtreeHash(alg, nodes, 0, tree_size);
}

Result<std::vector<Hash>> InclusionPath(HashAlg alg, const NodeReader& nodes, uint64_t leaf_index,
                                        uint64_t tree_size) {
  if (leaf_index >= tree_size) {
    return Status(ErrorCode::kInvalidArgument, "inclusion path needs leaf_index < tree_size");
  }
  // PATH(m, D[n]) descends from the root; each step contributes the
  // sibling subtree, and the RFC lists them deepest first, so the walk
  // collects top-down and reverses at the end.
  std::vector<Hash> path;
  uint64_t begin = 0;
  uint64_t end = tree_size;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    const uint64_t mid = begin + k;
    FUPIN_ASSIGN_OR_RETURN(Hash sibling, leaf_index < mid ? SubtreeHash(alg, nodes, mid, end)
                                                          : SubtreeHash(alg, nodes, begin, mid));
    path.push_back(sibling);
    if (leaf_index < mid) {
      end = mid;
    } else {
      begin = mid;
    }
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Result<std::vector<Hash>> ConsistencyPath(HashAlg alg, const NodeReader& nodes, uint64_t first,
                                          uint64_t second) {
  if (first == 0 || first > second) {
    return Status(ErrorCode::kInvalidArgument, "consistency path needs 0 < first <= second");
  }
  // SUBPROOF(m, D[begin:end], b), unrolled: `m` is the part of the first
  // tree inside the current range, `whole` is the RFC's flag b (the range
  // is still the first tree's own prefix, whose root the verifier has).
  std::vector<Hash> path;
  uint64_t begin = 0;
  uint64_t end = second;
  uint64_t m = first;
  bool whole = true;
  while (m != end - begin) {
    const uint64_t k = SplitPoint(end - begin);
    const uint64_t mid = begin + k;
    FUPIN_ASSIGN_OR_RETURN(Hash sibling, m <= k ? SubtreeHash(alg, nodes, mid, end)
                                                : SubtreeHash(alg, nodes, begin, mid));
    path.push_back(sibling);
    if (m <= k) {
      end = mid;
    } else {
      m -= k;
      begin = mid;
      whole = false;
    }
  }
  if (!whole) {
    FUPIN_ASSIGN_OR_RETURN(Hash boundary, SubtreeHash(alg, nodes, begin, end));
    path.push_back(boundary);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Status VerifyInclusion(HashAlg alg, uint64_t leaf_index, uint64_t tree_size, const Hash& leaf_hash,
                       const std::vector<Hash>& path, const Hash& root) {
  if (leaf_index >= tree_size) {
    return Status(ErrorCode::kInvalidArgument, "inclusion proof needs leaf_index < tree_size");
  }
  uint64_t fn = leaf_index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : path) {
    if (sn == 0) return Mismatch("inclusion path is too long");
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(alg, p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(alg, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Mismatch("inclusion path is too short");
  if (r != root) return Mismatch("inclusion path does not lead to the root");
  return Status::Ok();
}

Status VerifyConsistency(HashAlg alg, uint64_t first, uint64_t second, const Hash& first_root,
                         const Hash& second_root, const std::vector<Hash>& path) {
  if (first == 0 || first > second) {
    return Status(ErrorCode::kInvalidArgument, "consistency proof needs 0 < first <= second");
  }
  // §2.1.4.2 starts by rejecting an empty path, yet PROOF(n, D[n]) is empty
  // by §2.1.4.1: equal sizes are consistent exactly when the roots match.
  if (first == second) {
    if (!path.empty()) return Mismatch("consistency path is too long");
    if (first_root != second_root) {
      return Mismatch("equal tree sizes with different roots");
    }
    return Status::Ok();
  }
  if (path.empty()) return Mismatch("consistency path is empty");

  // Step 2 prepends first_root when `first` is a power of two; iterating
  // over a virtual sequence avoids copying the path.
  const bool prepend = std::has_single_bit(first);
  const std::size_t count = path.size() + (prepend ? 1 : 0);
  auto element = [&](std::size_t i) -> const Hash& {
    if (prepend) return i == 0 ? first_root : path[i - 1];
    return path[i];
  };

  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = element(0);
  Hash sr = element(0);
  for (std::size_t i = 1; i < count; ++i) {
    const Hash& c = element(i);
    if (sn == 0) return Mismatch("consistency path is too long");
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(alg, c, fr);
      sr = NodeHash(alg, c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(alg, sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Mismatch("consistency path is too short");
  if (fr != first_root) {
    return Mismatch("consistency path does not lead to the first root");
  }
  if (sr != second_root) {
    return Mismatch("consistency path does not lead to the second root");
  }
  return Status::Ok();
}

Result<Frontier> Frontier::Load(HashAlg alg, const NodeReader& nodes, uint64_t size) {
  Frontier frontier(alg);
  frontier.edge_.reserve(kMaxFrontierNodes);
  // One complete subtree per set bit of size, from the most significant:
  // the subtree of 2^level leaves starting at `begin`.
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t span = uint64_t{1} << level;
    if ((size & span) == 0) continue;
    const NodeId id{static_cast<uint8_t>(level), begin >> level};
    FUPIN_ASSIGN_OR_RETURN(Hash hash, nodes.Node(id));
    frontier.edge_.push_back(NodeWrite{id, hash});
    begin += span;
  }
  frontier.size_ = size;
  return frontier;
}

void Frontier::Append(const Hash& leaf_hash, std::vector<NodeWrite>* completed) {
  assert(size_ != UINT64_MAX);
  // Reserved once (and again after a copy, which only copies the size), so
  // the steady state never allocates.
  if (edge_.capacity() < kMaxFrontierNodes) edge_.reserve(kMaxFrontierNodes);
  NodeWrite node{NodeId{0, size_}, leaf_hash};
  completed->push_back(node);
  // Equal-level neighbours on the edge are siblings: merge them like a
  // binary carry.
  while (!edge_.empty() && edge_.back().id.level == node.id.level) {
    node = NodeWrite{NodeId{static_cast<uint8_t>(node.id.level + 1), node.id.index >> 1},
                     NodeHash(alg_, edge_.back().hash, node.hash)};
    edge_.pop_back();
    completed->push_back(node);
  }
  edge_.push_back(node);
  ++size_;
}

Hash Frontier::Root() const {
  if (edge_.empty()) return EmptyRoot(alg_);
  // MTH splits off the largest complete subtree first, so the root folds
  // the edge from the smallest subtree leftwards.
  Hash root = edge_.back().hash;
  for (auto it = edge_.rbegin() + 1; it != edge_.rend(); ++it) {
    root = NodeHash(alg_, it->hash, root);
  }
  return root;
}

void InMemoryNodes::Put(const NodeWrite& node) { nodes_[node.id] = node.hash; }

Result<Hash> InMemoryNodes::Node(NodeId id) const {
  auto it = nodes_.find(id);
  if (it == nodes_.end()) {
    return Status(ErrorCode::kNotFound, "merkle node " + std::to_string(id.level) + "/" +
                                            std::to_string(id.index) + " not stored");
  }
  return it->second;
}

void InMemoryNodes::AppendLeaf(const Hash& leaf_hash) {
  std::vector<NodeWrite> completed;
  frontier_.Append(leaf_hash, &completed);
  for (const NodeWrite& node : completed) Put(node);
}

}  // namespace fupin::merkle
