#include "verify/pool.h"

#include <algorithm>
#include <memory>

namespace fupin::verify {

WorkerPool::WorkerPool(unsigned threads) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

std::future<void> WorkerPool::Submit(std::function<void()> fn) {
  auto task = std::make_shared<std::packaged_task<void()>>(std::move(fn));
  std::future<void> done = task->get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back([task] { (*task)(); });
  }
  cv_.notify_one();
  return done;
}

std::vector<std::future<void>> WorkerPool::Ranges(
    std::size_t n, const std::function<void(std::size_t, std::size_t)>& fn) {
  std::vector<std::future<void>> done;
  const std::size_t parts = std::max<std::size_t>(1, threads_.size());
  const std::size_t step = (n + parts - 1) / parts;
  for (std::size_t begin = 0; begin < n; begin += step) {
    const std::size_t end = std::min(n, begin + step);
    done.push_back(Submit([fn, begin, end] { fn(begin, end); }));
  }
  return done;
}

void WorkerPool::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void WaitAll(std::vector<std::future<void>>& futures) {
  for (std::future<void>& f : futures) f.get();
  futures.clear();
}

}  // namespace fupin::verify
