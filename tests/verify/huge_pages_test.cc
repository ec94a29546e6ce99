#include "verify/huge_pages.h"

#include <gtest/gtest.h>

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace fupin {
namespace {

TEST(HugePageAllocatorTest, SmallAndLargeBlocksHoldWhatIsWrittenAndAreReturned) {
  HugePageAllocator<uint64_t> allocator;
  // Below 2 MiB from std::allocator, from 2 MiB up mapped on its own (and
  // a size that is not a whole number of huge pages).
  for (std::size_t n :
       {std::size_t{1}, std::size_t{1000}, std::size_t{3} << 18, (std::size_t{5} << 18) + 3}) {
    uint64_t* block = allocator.allocate(n);
    ASSERT_NE(block, nullptr);
    for (std::size_t i = 0; i < n; ++i) block[i] = i * 7;
    uint64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += block[i];
    EXPECT_EQ(sum, 7 * (n * (n - 1) / 2)) << n;
    allocator.deallocate(block, n);
  }
}

TEST(HugePageAllocatorTest, RefusesASizeBeyondTheAddressSpace) {
  HugePageAllocator<uint64_t> allocator;
  EXPECT_THROW(static_cast<void>(allocator.allocate(static_cast<std::size_t>(-1) / 4)),
               std::bad_array_new_length);
}

TEST(HugePageAllocatorTest, ServesAGrowingTableAndVector) {
  // As verification uses it: a flat map rehashed through every size and a
  // vector of per-seq tallies.
  boost::unordered_flat_map<std::string, uint64_t, boost::hash<std::string>,
                            std::equal_to<std::string>,
                            HugePageAllocator<std::pair<const std::string, uint64_t>>>
      table;
  for (uint64_t i = 0; i < 200000; ++i) table.emplace("sale:S-" + std::to_string(i), i);
  ASSERT_EQ(table.size(), 200000u);
  for (uint64_t i = 0; i < 200000; i += 997) EXPECT_EQ(table.at("sale:S-" + std::to_string(i)), i);
  std::vector<int32_t, HugePageAllocator<int32_t>> tally(1 << 20, 0);
  tally.back() = -1;
  tally.resize(3 << 20, 2);
  EXPECT_EQ(tally[(1 << 20) - 1], -1);
  EXPECT_EQ(tally.back(), 2);
}

}  // namespace
}  // namespace fupin
