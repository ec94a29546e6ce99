#include "tests/support/store_tamper.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "ledger/merkle.h"
#include "ledger/record.h"
#include "ledger/store_format.h"

namespace fupin::testing {

void RebuildMerkle(StoreDb& db, uint64_t size) {
  namespace sf = store_format;
  std::optional<merkle::Frontier> frontier;  // in the hash seq 0 names
  std::vector<DbPut> puts;
  for (uint64_t seq = 0; seq < size; ++seq) {
    Result<std::optional<std::string>> bytes = db.Get(Cf::kRecords, sf::Uint64Key(seq));
    ASSERT_TRUE(bytes.ok() && bytes->has_value()) << "record " << seq;
    Result<StoredRecord> record = DecodeStoredRecord(**bytes);
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    if (!frontier) {
      Result<merkle::HashAlg> hash = LogHashOfGenesis(record->leaf_data);
      ASSERT_TRUE(hash.ok()) << hash.status().ToString();
      frontier.emplace(*hash);
    }
    std::vector<merkle::NodeWrite> nodes;
    frontier->Append(record->leaf_hash, &nodes);
    for (const merkle::NodeWrite& n : nodes) {
      puts.push_back({Cf::kMerkle, sf::MerkleKey(n.id),
                      std::string(reinterpret_cast<const char*>(n.hash.data()), n.hash.size())});
    }
  }
  ASSERT_TRUE(db.Write(puts, true).ok());
}

}  // namespace fupin::testing
