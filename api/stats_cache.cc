#include "api/stats_cache.h"

namespace fupin::api {

std::optional<std::string> StatsCache::Find(const std::string& key, uint64_t position) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (position != position_) return std::nullopt;
  auto found = bodies_.find(key);
  if (found == bodies_.end()) return std::nullopt;
  return found->second;
}

void StatsCache::Store(const std::string& key, uint64_t position, std::string body) {
  std::lock_guard<std::mutex> lock(mu_);
  if (position < position_) return;
  if (position > position_ || bodies_.size() >= kMaxEntries) {
    bodies_.clear();
    position_ = position;
  }
  bodies_[key] = std::move(body);
}

}  // namespace fupin::api
