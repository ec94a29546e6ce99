#include "api/handler_pool.h"

#include <boost/asio/post.hpp>

namespace fupin::api {

HandlerPool::HandlerPool(std::size_t threads) : pool_(threads) {}

HandlerPool::~HandlerPool() { Drain(); }

bool HandlerPool::Submit(std::function<void()> task) {
  // Posting under the lock orders it before any Drain(): join() then waits
  // for it, and nothing is posted after join() began.
  std::lock_guard<std::mutex> lock(mu_);
  if (draining_) return false;
  boost::asio::post(pool_, std::move(task));
  return true;
}

void HandlerPool::Drain() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (draining_) return;
    draining_ = true;
  }
  pool_.join();
}

}  // namespace fupin::api
