#include "ledger/merkle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/fixtures.h"

namespace fupin::merkle {
namespace {

// ---------------------------------------------------------------- helpers

std::string ToHex(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t byte : hash) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0f];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

std::vector<std::string> ToHex(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  for (const Hash& hash : hashes) out.push_back(ToHex(hash));
  return out;
}

Hash FlipBit(Hash hash, std::size_t bit) {
  hash[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return hash;
}

// Distinct, reproducible leaf hashes for synthetic trees.
Hash SyntheticLeaf(uint64_t i) { return LeafHash(HashAlg::kSha256, "leaf-" + std::to_string(i)); }

// A stored tree: every leaf appended through Frontier, every completed node
// kept, plus the leaf hashes for the reference implementation.
struct StoredTree {
  explicit StoredTree(uint64_t size) {
    for (uint64_t i = 0; i < size; ++i) {
      leaves.push_back(SyntheticLeaf(i));
      nodes.AppendLeaf(leaves.back());
    }
  }
  std::vector<Hash> leaves;
  InMemoryNodes nodes{HashAlg::kSha256};
};

// The store as it was at `size` leaves: nodes that were not yet complete
// then are absent, so an implementation reading past the tree fails. Counts
// reads so tests can bound them.
class TreeAtSize : public NodeReader {
 public:
  TreeAtSize(const NodeReader& store, uint64_t size) : store_(store), size_(size) {}
  Result<Hash> Node(NodeId id) const override {
    ++reads_;
    if (id.level >= 64 || ((id.index + 1) << id.level) > size_) {
      return Status(ErrorCode::kNotFound, "beyond the tree");
    }
    return store_.Node(id);
  }
  int reads() const { return reads_; }
  void ResetReads() { reads_ = 0; }

 private:
  const NodeReader& store_;
  uint64_t size_;
  mutable int reads_ = 0;
};

// ------------------------------------------- reference: RFC 9162 §2.1 text

// MTH, PATH and PROOF/SUBPROOF written as the RFC states them, over the list
// of leaf hashes D[begin:end]. MTH is memoized by range only so that proofs
// in trees of 100000 leaves stay fast; the recursion itself is the RFC's.
class ReferenceTree {
 public:
  explicit ReferenceTree(const std::vector<Hash>& leaves) : leaves_(leaves) {}

  Hash Mth(uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 0) return EmptyRoot(HashAlg::kSha256);
    if (n == 1) return leaves_[begin];
    auto key = std::make_pair(begin, end);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    const uint64_t k = LargestPowerOfTwoBelow(n);
    Hash hash = NodeHash(HashAlg::kSha256, Mth(begin, begin + k), Mth(begin + k, end));
    memo_.emplace(key, hash);
    return hash;
  }

  // PATH(m, D[begin:end]) with m relative to begin.
  std::vector<Hash> Path(uint64_t m, uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 1) return {};
    const uint64_t k = LargestPowerOfTwoBelow(n);
    std::vector<Hash> path;
    if (m < k) {
      path = Path(m, begin, begin + k);
      path.push_back(Mth(begin + k, end));
    } else {
      path = Path(m - k, begin + k, end);
      path.push_back(Mth(begin, begin + k));
    }
    return path;
  }

  // PROOF(m, D[0:n]).
  std::vector<Hash> Proof(uint64_t m, uint64_t n) { return Subproof(m, 0, n, true); }

 private:
  static uint64_t LargestPowerOfTwoBelow(uint64_t n) {
    uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }

  std::vector<Hash> Subproof(uint64_t m, uint64_t begin, uint64_t end, bool b) {
    const uint64_t n = end - begin;
    if (m == n) {
      if (b) return {};
      return {Mth(begin, end)};
    }
    const uint64_t k = LargestPowerOfTwoBelow(n);
    std::vector<Hash> proof;
    if (m <= k) {
      proof = Subproof(m, begin, begin + k, b);
      proof.push_back(Mth(begin + k, end));
    } else {
      proof = Subproof(m - k, begin + k, end, false);
      proof.push_back(Mth(begin, begin + k));
    }
    return proof;
  }

  const std::vector<Hash>& leaves_;
  std::map<std::pair<uint64_t, uint64_t>, Hash> memo_;
};

// Shared by the large-tree tests: building it is the expensive part.
const StoredTree& LargeTree() {
  static const StoredTree tree(100000);
  return tree;
}

// The O(log n) bound the brief sets for any root or proof.
int ReadBudget(uint64_t n) { return 4 * std::bit_width(n - 1) + 4; }

// ------------------------------------------------------- contract vectors

struct ContractVectors {
  std::vector<Hash> leaves;
  boost::json::value merkle;
};

ContractVectors LoadContractVectors() {
  ContractVectors vectors;
  boost::json::value all = boost::json::parse(testing::ReadFixture("contract-vectors.json"));
  vectors.merkle = all.at("merkle");
  for (const auto& data : vectors.merkle.at("leaf_data_hex").as_array()) {
    vectors.leaves.push_back(LeafHash(HashAlg::kSha256, Unhex(data.as_string())));
  }
  return vectors;
}

InMemoryNodes StoreOf(const std::vector<Hash>& leaves) {
  InMemoryNodes nodes{HashAlg::kSha256};
  for (const Hash& leaf : leaves) nodes.AppendLeaf(leaf);
  return nodes;
}

std::vector<std::string> HexList(const boost::json::value& array) {
  std::vector<std::string> out;
  for (const auto& item : array.as_array()) {
    out.emplace_back(item.as_string());
  }
  return out;
}

TEST(MerkleContractVectors, RootsMatchForSizesOneToEight) {
  ContractVectors vectors = LoadContractVectors();
  ASSERT_EQ(vectors.leaves.size(), 8u);
  InMemoryNodes store = StoreOf(vectors.leaves);
  for (const auto& [size, root] : vectors.merkle.at("roots").as_object()) {
    const uint64_t n = std::stoull(std::string(size));
    Result<Hash> got = Root(HashAlg::kSha256, TreeAtSize(store, n), n);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(ToHex(*got), std::string(root.as_string())) << "size " << n;
  }
}

TEST(MerkleContractVectors, InclusionPathsMatchAndVerify) {
  ContractVectors vectors = LoadContractVectors();
  InMemoryNodes store = StoreOf(vectors.leaves);
  for (const auto& item : vectors.merkle.at("inclusion").as_array()) {
    const uint64_t m = item.at("seq").to_number<uint64_t>();
    const uint64_t n = item.at("tree_size").to_number<uint64_t>();
    TreeAtSize tree(store, n);
    Result<std::vector<Hash>> path = InclusionPath(HashAlg::kSha256, tree, m, n);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    EXPECT_EQ(ToHex(*path), HexList(item.at("path"))) << m << " in " << n;
    EXPECT_TRUE(VerifyInclusion(HashAlg::kSha256, m, n, vectors.leaves[m], *path,
                                *Root(HashAlg::kSha256, tree, n))
                    .ok());
  }
}

TEST(MerkleContractVectors, ConsistencyPathsMatchAndVerify) {
  ContractVectors vectors = LoadContractVectors();
  InMemoryNodes store = StoreOf(vectors.leaves);
  for (const auto& item : vectors.merkle.at("consistency").as_array()) {
    const uint64_t m = item.at("first").to_number<uint64_t>();
    const uint64_t n = item.at("second").to_number<uint64_t>();
    TreeAtSize tree(store, n);
    Result<std::vector<Hash>> path = ConsistencyPath(HashAlg::kSha256, tree, m, n);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    EXPECT_EQ(ToHex(*path), HexList(item.at("path"))) << m << " to " << n;
    EXPECT_TRUE(VerifyConsistency(HashAlg::kSha256, m, n, *Root(HashAlg::kSha256, store, m),
                                  *Root(HashAlg::kSha256, tree, n), *path)
                    .ok());
  }
}

// ------------------------------------------------ agreement with the RFC

inline constexpr uint64_t kExhaustiveMax = 64;

TEST(MerkleReference, EveryRootUpTo64Leaves) {
  StoredTree stored(kExhaustiveMax);
  ReferenceTree reference(stored.leaves);
  for (uint64_t n = 0; n <= kExhaustiveMax; ++n) {
    Result<Hash> root = Root(HashAlg::kSha256, TreeAtSize(stored.nodes, n), n);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    EXPECT_EQ(ToHex(*root), ToHex(reference.Mth(0, n))) << "size " << n;
  }
}

TEST(MerkleReference, EveryInclusionPathUpTo64LeavesMatchesAndVerifies) {
  StoredTree stored(kExhaustiveMax);
  ReferenceTree reference(stored.leaves);
  for (uint64_t n = 1; n <= kExhaustiveMax; ++n) {
    TreeAtSize tree(stored.nodes, n);
    const Hash root = reference.Mth(0, n);
    for (uint64_t m = 0; m < n; ++m) {
      Result<std::vector<Hash>> path = InclusionPath(HashAlg::kSha256, tree, m, n);
      ASSERT_TRUE(path.ok()) << path.status().ToString();
      ASSERT_EQ(ToHex(*path), ToHex(reference.Path(m, 0, n))) << m << " in " << n;
      Status verified = VerifyInclusion(HashAlg::kSha256, m, n, stored.leaves[m], *path, root);
      EXPECT_TRUE(verified.ok()) << m << " in " << n << ": " << verified.ToString();
    }
  }
}

TEST(MerkleReference, EveryConsistencyPathUpTo64LeavesMatchesAndVerifies) {
  StoredTree stored(kExhaustiveMax);
  ReferenceTree reference(stored.leaves);
  for (uint64_t n = 1; n <= kExhaustiveMax; ++n) {
    TreeAtSize tree(stored.nodes, n);
    for (uint64_t m = 1; m <= n; ++m) {
      Result<std::vector<Hash>> path = ConsistencyPath(HashAlg::kSha256, tree, m, n);
      ASSERT_TRUE(path.ok()) << path.status().ToString();
      ASSERT_EQ(ToHex(*path), ToHex(reference.Proof(m, n))) << m << " to " << n;
      Status verified = VerifyConsistency(HashAlg::kSha256, m, n, reference.Mth(0, m),
                                          reference.Mth(0, n), *path);
      EXPECT_TRUE(verified.ok()) << m << " to " << n << ": " << verified.ToString();
    }
  }
}

inline constexpr int kRandomPairs = 200;
inline constexpr uint64_t kRandomSeed = 0x66757069'6e2d6c67;  // "fupin-lg"

TEST(MerkleReference, RandomLargeInclusionPathsMatchAndVerify) {
  const StoredTree& stored = LargeTree();
  ReferenceTree reference(stored.leaves);
  std::mt19937_64 random(kRandomSeed);
  for (int i = 0; i < kRandomPairs; ++i) {
    const uint64_t n = 1 + random() % stored.leaves.size();
    const uint64_t m = random() % n;
    TreeAtSize tree(stored.nodes, n);
    Result<std::vector<Hash>> path = InclusionPath(HashAlg::kSha256, tree, m, n);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    ASSERT_EQ(ToHex(*path), ToHex(reference.Path(m, 0, n))) << m << " in " << n;
    EXPECT_TRUE(
        VerifyInclusion(HashAlg::kSha256, m, n, stored.leaves[m], *path, reference.Mth(0, n)).ok())
        << m << " in " << n;
  }
}

TEST(MerkleReference, RandomLargeConsistencyPathsMatchAndVerify) {
  const StoredTree& stored = LargeTree();
  ReferenceTree reference(stored.leaves);
  std::mt19937_64 random(kRandomSeed + 1);
  for (int i = 0; i < kRandomPairs; ++i) {
    const uint64_t n = 1 + random() % stored.leaves.size();
    const uint64_t m = 1 + random() % n;
    TreeAtSize tree(stored.nodes, n);
    Result<std::vector<Hash>> path = ConsistencyPath(HashAlg::kSha256, tree, m, n);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    ASSERT_EQ(ToHex(*path), ToHex(reference.Proof(m, n))) << m << " to " << n;
    EXPECT_TRUE(
        VerifyConsistency(HashAlg::kSha256, m, n, reference.Mth(0, m), reference.Mth(0, n), *path)
            .ok())
        << m << " to " << n;
  }
}

// ------------------------------------------------------------ read counts

TEST(MerkleReadCount, RootsAndProofsReadLogarithmicallyManyNodes) {
  const StoredTree& stored = LargeTree();
  std::mt19937_64 random(kRandomSeed + 2);
  // Sizes with many set bits are the worst case for the right edge.
  std::vector<uint64_t> sizes = {65535, 65537, 99999, 100000, 98303};
  for (int i = 0; i < kRandomPairs; ++i) {
    sizes.push_back(1 + random() % stored.leaves.size());
  }
  for (uint64_t n : sizes) {
    TreeAtSize tree(stored.nodes, n);
    const int budget = ReadBudget(n);

    ASSERT_TRUE(Root(HashAlg::kSha256, tree, n).ok());
    EXPECT_EQ(tree.reads(), std::popcount(n)) << "root of " << n;

    for (uint64_t m : {uint64_t{0}, n / 3, n / 2, n - 1, random() % n}) {
      tree.ResetReads();
      ASSERT_TRUE(InclusionPath(HashAlg::kSha256, tree, m, n).ok());
      EXPECT_LE(tree.reads(), budget) << "inclusion " << m << " in " << n;
    }
    for (uint64_t m : {uint64_t{1}, n / 3 + 1, n / 2 + 1, n, 1 + random() % n}) {
      tree.ResetReads();
      ASSERT_TRUE(ConsistencyPath(HashAlg::kSha256, tree, m, n).ok());
      EXPECT_LE(tree.reads(), budget) << "consistency " << m << " to " << n;
    }
  }
}

TEST(MerkleReadCount, MissingNodeIsReportedNotGuessed) {
  StoredTree stored(8);
  TreeAtSize tree(stored.nodes, 8);
  // Asking for a bigger tree than stored needs nodes that do not exist.
  EXPECT_EQ(Root(HashAlg::kSha256, tree, 9).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(InclusionPath(HashAlg::kSha256, tree, 0, 9).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ConsistencyPath(HashAlg::kSha256, tree, 3, 9).status().code(), ErrorCode::kNotFound);
}

// -------------------------------------------------------------- tampering

// Representative shapes: empty paths, powers of two, ragged right edges.
inline constexpr std::pair<uint64_t, uint64_t> kInclusionCases[] = {
    {0, 1}, {0, 8}, {5, 8}, {2, 3}, {1, 5}, {6, 7}, {12, 13}, {30, 33}, {32, 33}, {63, 64}};
inline constexpr std::pair<uint64_t, uint64_t> kConsistencyCases[] = {
    {1, 1}, {1, 8}, {6, 8}, {2, 5}, {3, 7}, {4, 8}, {7, 13}, {32, 33}, {16, 16}, {31, 64}};

TEST(MerkleTamper, InclusionFailsForAnyFlippedBit) {
  StoredTree stored(kExhaustiveMax);
  for (const auto& [m, n] : kInclusionCases) {
    TreeAtSize tree(stored.nodes, n);
    const std::vector<Hash> path = *InclusionPath(HashAlg::kSha256, tree, m, n);
    const Hash root = *Root(HashAlg::kSha256, tree, n);
    const Hash leaf = stored.leaves[m];
    ASSERT_TRUE(VerifyInclusion(HashAlg::kSha256, m, n, leaf, path, root).ok());
    for (std::size_t bit = 0; bit < 8 * sizeof(Hash); ++bit) {
      EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, m, n, FlipBit(leaf, bit), path, root).code(),
                ErrorCode::kDataLoss);
      EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, m, n, leaf, path, FlipBit(root, bit)).code(),
                ErrorCode::kDataLoss);
      for (std::size_t i = 0; i < path.size(); ++i) {
        std::vector<Hash> tampered = path;
        tampered[i] = FlipBit(tampered[i], bit);
        EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, m, n, leaf, tampered, root).code(),
                  ErrorCode::kDataLoss)
            << m << " in " << n << " element " << i << " bit " << bit;
      }
    }
  }
}

TEST(MerkleTamper, ConsistencyFailsForAnyFlippedBit) {
  StoredTree stored(kExhaustiveMax);
  for (const auto& [m, n] : kConsistencyCases) {
    TreeAtSize tree(stored.nodes, n);
    const std::vector<Hash> path = *ConsistencyPath(HashAlg::kSha256, tree, m, n);
    const Hash first_root = *Root(HashAlg::kSha256, tree, m);
    const Hash second_root = *Root(HashAlg::kSha256, tree, n);
    ASSERT_TRUE(VerifyConsistency(HashAlg::kSha256, m, n, first_root, second_root, path).ok());
    for (std::size_t bit = 0; bit < 8 * sizeof(Hash); ++bit) {
      EXPECT_EQ(
          VerifyConsistency(HashAlg::kSha256, m, n, FlipBit(first_root, bit), second_root, path)
              .code(),
          ErrorCode::kDataLoss);
      EXPECT_EQ(
          VerifyConsistency(HashAlg::kSha256, m, n, first_root, FlipBit(second_root, bit), path)
              .code(),
          ErrorCode::kDataLoss);
      for (std::size_t i = 0; i < path.size(); ++i) {
        std::vector<Hash> tampered = path;
        tampered[i] = FlipBit(tampered[i], bit);
        EXPECT_EQ(
            VerifyConsistency(HashAlg::kSha256, m, n, first_root, second_root, tampered).code(),
            ErrorCode::kDataLoss)
            << m << " to " << n << " element " << i << " bit " << bit;
      }
    }
  }
}

TEST(MerkleTamper, InclusionPathOfWrongLengthFails) {
  StoredTree stored(kExhaustiveMax);
  for (uint64_t n = 1; n <= kExhaustiveMax; ++n) {
    TreeAtSize tree(stored.nodes, n);
    const Hash root = *Root(HashAlg::kSha256, tree, n);
    for (uint64_t m = 0; m < n; ++m) {
      const std::vector<Hash> path = *InclusionPath(HashAlg::kSha256, tree, m, n);
      std::vector<Hash> longer = path;
      longer.push_back(root);
      EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, m, n, stored.leaves[m], longer, root).code(),
                ErrorCode::kDataLoss)
          << m << " in " << n;
      if (path.empty()) continue;
      std::vector<Hash> shorter(path.begin(), path.end() - 1);
      EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, m, n, stored.leaves[m], shorter, root).code(),
                ErrorCode::kDataLoss)
          << m << " in " << n;
    }
  }
}

TEST(MerkleTamper, ConsistencyPathOfWrongLengthFails) {
  StoredTree stored(kExhaustiveMax);
  for (uint64_t n = 1; n <= kExhaustiveMax; ++n) {
    TreeAtSize tree(stored.nodes, n);
    const Hash second_root = *Root(HashAlg::kSha256, tree, n);
    for (uint64_t m = 1; m <= n; ++m) {
      const Hash first_root = *Root(HashAlg::kSha256, tree, m);
      const std::vector<Hash> path = *ConsistencyPath(HashAlg::kSha256, tree, m, n);
      std::vector<Hash> longer = path;
      longer.push_back(second_root);
      EXPECT_EQ(VerifyConsistency(HashAlg::kSha256, m, n, first_root, second_root, longer).code(),
                ErrorCode::kDataLoss)
          << m << " to " << n;
      if (path.empty()) continue;
      std::vector<Hash> shorter(path.begin(), path.end() - 1);
      EXPECT_EQ(VerifyConsistency(HashAlg::kSha256, m, n, first_root, second_root, shorter).code(),
                ErrorCode::kDataLoss)
          << m << " to " << n;
    }
  }
}

// A path of the wrong length can still hash to *some* root; the tree size
// must reject it, not only the root comparison. In a complete tree of 64
// leaves, the first `d` path elements lead to the node of level d above the
// leaf, and one extra element c after the top leads to HASH(c || root).
TEST(MerkleTamper, InclusionPathOfWrongLengthFailsAgainstTheRootItLeadsTo) {
  StoredTree stored(kExhaustiveMax);
  const uint64_t n = kExhaustiveMax;
  TreeAtSize tree(stored.nodes, n);
  const Hash root = *Root(HashAlg::kSha256, tree, n);
  for (uint64_t m = 0; m < n; ++m) {
    const std::vector<Hash> path = *InclusionPath(HashAlg::kSha256, tree, m, n);
    for (std::size_t d = 0; d < path.size(); ++d) {
      const std::vector<Hash> prefix(path.begin(), path.begin() + d);
      const Hash subtree_root = *stored.nodes.Node(NodeId{static_cast<uint8_t>(d), m >> d});
      EXPECT_EQ(
          VerifyInclusion(HashAlg::kSha256, m, n, stored.leaves[m], prefix, subtree_root).code(),
          ErrorCode::kDataLoss)
          << m << " with " << d << " elements";
    }
    std::vector<Hash> longer = path;
    longer.push_back(stored.leaves[0]);
    EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, m, n, stored.leaves[m], longer,
                              NodeHash(HashAlg::kSha256, stored.leaves[0], root))
                  .code(),
              ErrorCode::kDataLoss)
        << m;
  }
}

// PROOF(m, 64) without its last element is PROOF(m, 32) for m < 32, and one
// extra element c after the top turns both roots r into HASH(c || r).
TEST(MerkleTamper, ConsistencyPathOfWrongLengthFailsAgainstTheRootsItLeadsTo) {
  StoredTree stored(kExhaustiveMax);
  const uint64_t n = kExhaustiveMax;
  TreeAtSize tree(stored.nodes, n);
  const Hash second_root = *Root(HashAlg::kSha256, tree, n);
  const Hash half_root = *Root(HashAlg::kSha256, tree, n / 2);
  const Hash extra = stored.leaves[0];
  for (uint64_t m = 1; m < n; ++m) {
    const Hash first_root = *Root(HashAlg::kSha256, tree, m);
    const std::vector<Hash> path = *ConsistencyPath(HashAlg::kSha256, tree, m, n);
    if (m < n / 2) {
      const std::vector<Hash> shorter(path.begin(), path.end() - 1);
      ASSERT_TRUE(
          VerifyConsistency(HashAlg::kSha256, m, n / 2, first_root, half_root, shorter).ok());
      EXPECT_EQ(VerifyConsistency(HashAlg::kSha256, m, n, first_root, half_root, shorter).code(),
                ErrorCode::kDataLoss)
          << m;
    }
    std::vector<Hash> longer = path;
    longer.push_back(extra);
    EXPECT_EQ(
        VerifyConsistency(HashAlg::kSha256, m, n, NodeHash(HashAlg::kSha256, extra, first_root),
                          NodeHash(HashAlg::kSha256, extra, second_root), longer)
            .code(),
        ErrorCode::kDataLoss)
        << m;
  }
}

// ---------------------------------------------------------- invalid ranges

TEST(MerkleRanges, InclusionRejectsLeafOutsideTheTree) {
  StoredTree stored(8);
  const Hash any = stored.leaves[0];
  constexpr std::pair<uint64_t, uint64_t> kOutside[] = {{0, 0}, {8, 8}, {9, 8}, {UINT64_MAX, 8}};
  for (const auto& [m, n] : kOutside) {
    EXPECT_EQ(InclusionPath(HashAlg::kSha256, stored.nodes, m, n).status().code(),
              ErrorCode::kInvalidArgument)
        << m << " in " << n;
    EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, m, n, any, {}, any).code(),
              ErrorCode::kInvalidArgument)
        << m << " in " << n;
  }
}

TEST(MerkleRanges, ConsistencyRejectsEmptyOrShrinkingTrees) {
  StoredTree stored(8);
  const Hash any = stored.leaves[0];
  constexpr std::pair<uint64_t, uint64_t> kInvalid[] = {{0, 0}, {0, 5}, {6, 5}, {9, 8}};
  for (const auto& [m, n] : kInvalid) {
    EXPECT_EQ(ConsistencyPath(HashAlg::kSha256, stored.nodes, m, n).status().code(),
              ErrorCode::kInvalidArgument)
        << m << " to " << n;
    EXPECT_EQ(VerifyConsistency(HashAlg::kSha256, m, n, any, any, {any}).code(),
              ErrorCode::kInvalidArgument)
        << m << " to " << n;
  }
}

TEST(MerkleRanges, EqualSizesAreConsistentOnlyWithSameRootAndEmptyPath) {
  StoredTree stored(8);
  const Hash root = *Root(HashAlg::kSha256, stored.nodes, 5);
  const Hash other = *Root(HashAlg::kSha256, stored.nodes, 6);
  EXPECT_TRUE(VerifyConsistency(HashAlg::kSha256, 5, 5, root, root, {}).ok());
  EXPECT_EQ(VerifyConsistency(HashAlg::kSha256, 5, 5, root, other, {}).code(),
            ErrorCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(HashAlg::kSha256, 5, 5, root, root, {root}).code(),
            ErrorCode::kDataLoss);
}

// ---------------------------------------------------------------- frontier

// docs/format.md §4a: the contract's 8 reference leaves hashed with SM3,
// root and the inclusion path of leaf 5 as the document states them (the
// values come from `openssl dgst -sm3` and Python's hashlib).
TEST(MerkleSm3, ReferenceLeaves) {
  ContractVectors vectors = LoadContractVectors();
  InMemoryNodes store{HashAlg::kSm3};
  for (const auto& data : vectors.merkle.at("leaf_data_hex").as_array()) {
    store.AppendLeaf(LeafHash(HashAlg::kSm3, Unhex(data.as_string())));
  }
  ASSERT_EQ(store.size(), 8u);
  EXPECT_EQ(ToHex(*Root(HashAlg::kSm3, store, 8)),
            "bc48ba7a709184b5f2a631e1adeb8dc2a0d4c018c1d6cc89b5664fe154c93b38");
  EXPECT_EQ(ToHex(store.Root()), ToHex(*Root(HashAlg::kSm3, store, 8)));
  Result<std::vector<Hash>> path = InclusionPath(HashAlg::kSm3, store, 5, 8);
  ASSERT_TRUE(path.ok());
  ASSERT_EQ(path->size(), 3u);
  EXPECT_EQ(ToHex((*path)[0]), "a798bfdb4164a6c7b41a6faecc5c3155cf04d38929dcbd4fe21dea29071aac64");
  EXPECT_EQ(ToHex((*path)[1]), "155f6ed4ccfa83510c9416c99b48f41aa5b12e443546bee1b501a7b281e5132a");
  EXPECT_EQ(ToHex((*path)[2]), "28e4e307ef6d2d0c62d84b11ef96e835efe490f35b93c8f024ecfe38c8dd4377");
  EXPECT_EQ(ToHex(EmptyRoot(HashAlg::kSm3)),
            "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
  // A proof of one hash does not verify under the other.
  const Hash leaf5 = LeafHash(HashAlg::kSm3, Unhex("40414243"));
  const Hash root = *Root(HashAlg::kSm3, store, 8);
  EXPECT_TRUE(VerifyInclusion(HashAlg::kSm3, 5, 8, leaf5, *path, root).ok());
  EXPECT_EQ(VerifyInclusion(HashAlg::kSha256, 5, 8, leaf5, *path, root).code(),
            ErrorCode::kDataLoss);
}

TEST(Frontier, EmptyTreeRootIsSha256OfNothing) {
  constexpr std::string_view kSha256OfEmpty =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_EQ(ToHex(EmptyRoot(HashAlg::kSha256)), kSha256OfEmpty);
  EXPECT_EQ(ToHex(Frontier(HashAlg::kSha256).Root()), kSha256OfEmpty);
  InMemoryNodes nothing(HashAlg::kSha256);
  EXPECT_EQ(ToHex(*Root(HashAlg::kSha256, nothing, 0)), kSha256OfEmpty);
}

TEST(Frontier, AppendEmitsTheLeafThenEveryNodeItCompletes) {
  Frontier frontier(HashAlg::kSha256);
  std::vector<NodeWrite> completed;
  for (uint64_t i = 0; i < 3; ++i) frontier.Append(SyntheticLeaf(i), &completed);
  completed.clear();
  frontier.Append(SyntheticLeaf(3), &completed);
  ASSERT_EQ(completed.size(), 3u);
  EXPECT_EQ(completed[0].id, (NodeId{0, 3}));
  EXPECT_EQ(completed[1].id, (NodeId{1, 1}));
  EXPECT_EQ(completed[2].id, (NodeId{2, 0}));
  EXPECT_EQ(completed[0].hash, SyntheticLeaf(3));
  EXPECT_EQ(completed[2].hash, frontier.Root());
  EXPECT_EQ(frontier.size(), 4u);
}

TEST(Frontier, LoadedFrontierContinuesLikeTheAppendedOne) {
  constexpr uint64_t kMaxSize = 130;
  constexpr uint64_t kMoreLeaves = 70;
  StoredTree stored(kMaxSize);
  for (uint64_t n = 0; n <= kMaxSize; ++n) {
    TreeAtSize tree(stored.nodes, n);
    Result<Frontier> loaded = Frontier::Load(HashAlg::kSha256, tree, n);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(tree.reads(), std::popcount(n)) << "load " << n;

    Frontier appended(HashAlg::kSha256);
    std::vector<NodeWrite> ignored;
    for (uint64_t i = 0; i < n; ++i) appended.Append(stored.leaves[i], &ignored);
    EXPECT_EQ(loaded->size(), n);
    EXPECT_EQ(loaded->Root(), appended.Root()) << "size " << n;

    for (uint64_t i = n; i < n + kMoreLeaves; ++i) {
      std::vector<NodeWrite> from_loaded;
      std::vector<NodeWrite> from_appended;
      loaded->Append(SyntheticLeaf(i), &from_loaded);
      appended.Append(SyntheticLeaf(i), &from_appended);
      ASSERT_EQ(from_loaded.size(), from_appended.size());
      for (std::size_t j = 0; j < from_loaded.size(); ++j) {
        EXPECT_EQ(from_loaded[j].id, from_appended[j].id);
        EXPECT_EQ(from_loaded[j].hash, from_appended[j].hash);
      }
    }
    EXPECT_EQ(loaded->Root(), appended.Root()) << "size " << n;
  }
}

TEST(Frontier, LoadPassesOnAMissingNode) {
  StoredTree stored(4);
  Result<Frontier> loaded = Frontier::Load(HashAlg::kSha256, TreeAtSize(stored.nodes, 4), 5);
  EXPECT_EQ(loaded.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fupin::merkle
