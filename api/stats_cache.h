// Rendered statistics answers (GET /v1/stats at the live head), kept until
// the statistics projection folds another record: a commit invalidates
// every entry, and an entry is served only for the position it was
// rendered at, so a client never reads a table older than its own writes.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace fupin::api {

class StatsCache {
 public:
  // Distinct answers kept per position (campaign × region × level × format
  // × scope); beyond it the cache starts over, so it never grows unbounded.
  static constexpr std::size_t kMaxEntries = 512;

  // The body rendered for `key` when the projection stood at `position`.
  std::optional<std::string> Find(const std::string& key, uint64_t position) const;
  // Keeps `body` for `key` at `position`. A newer position drops every
  // entry of older ones; an older one (a slow request) is not kept.
  void Store(const std::string& key, uint64_t position, std::string body);

 private:
  mutable std::mutex mu_;
  uint64_t position_ = 0;
  std::unordered_map<std::string, std::string> bodies_;
};

}  // namespace fupin::api
