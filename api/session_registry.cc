#include "api/session_registry.h"

#include <vector>

#include "api/session.h"

namespace fupin::api {

std::size_t SessionRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

std::optional<uint64_t> SessionRegistry::Add(std::weak_ptr<HttpSession> session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_down_) return std::nullopt;
  uint64_t id = next_id_++;
  sessions_.emplace(id, std::move(session));
  return id;
}

void SessionRegistry::Remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
  if (sessions_.empty()) empty_.notify_all();
}

void SessionRegistry::ShutdownAll() {
  std::vector<std::weak_ptr<HttpSession>> sessions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    for (const auto& [id, session] : sessions_) sessions.push_back(session);
  }
  // Outside the lock: a session released here may run its destructor,
  // which calls Remove().
  for (const std::weak_ptr<HttpSession>& weak : sessions) {
    if (std::shared_ptr<HttpSession> session = weak.lock()) session->Shutdown();
  }
}

bool SessionRegistry::WaitUntilEmpty(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return empty_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
}

}  // namespace fupin::api
