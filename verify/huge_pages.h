// An allocator for the large, randomly accessed tables of verification
// (entity states and stream heads of the whole log, per-seq index tallies).
//
// Blocks of 2 MiB and more are mapped on their own and advised into
// transparent huge pages (madvise(MADV_HUGEPAGE): Debian's default THP mode
// is "madvise", so nothing else gets them). A lookup at a random place of a
// table of hundreds of megabytes then misses the TLB far less often:
// bench_verify prints the cost of a random load into 256 MiB both ways
// (docs/performance.md "Verification"). Smaller blocks come from the usual
// allocator. Where the kernel gives no huge pages the advice is ignored and
// nothing else changes.
//
// Under AddressSanitizer every block comes from std::allocator, so the
// tables keep its redzones and leak checks.
//
// Stateless: any two instances are interchangeable.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <memory>
#include <new>

namespace fupin {

template <typename T>
class HugePageAllocator {
  static_assert(alignof(T) <= 4096, "mmap aligns blocks to pages only");

 public:
  using value_type = T;
  // Below this a block comes from std::allocator.
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding converts

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage || kSanitized) return std::allocator<T>().allocate(n);
    void* block =
        mmap(nullptr, Rounded(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(block, Rounded(bytes), MADV_HUGEPAGE);  // advice: failure changes nothing
#endif
    return static_cast<T*>(block);
  }

  void deallocate(T* block, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage || kSanitized) {
      std::allocator<T>().deallocate(block, n);
    } else {
      munmap(block, Rounded(bytes));
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }

 private:
#if defined(__SANITIZE_ADDRESS__)
  static constexpr bool kSanitized = true;
#else
  static constexpr bool kSanitized = false;
#endif
  static std::size_t Rounded(std::size_t bytes) {
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
  }
};

}  // namespace fupin
