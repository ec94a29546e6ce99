// Internal to verification: the worker threads of one run.
//
// Thread-safety: Submit and Ranges may be called from any thread; tasks
// run on the pool's threads in order of submission. The destructor waits
// for every task submitted (callers wait on the futures of tasks that use
// their state before that state goes).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace fupin::verify {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::future<void> Submit(std::function<void()> fn);
  // Runs fn(begin, end) over [0, n) cut into one range per thread.
  std::vector<std::future<void>> Ranges(std::size_t n,
                                        const std::function<void(std::size_t, std::size_t)>& fn);
  std::size_t size() const { return threads_.size(); }

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// Waits for every future, then clears the list.
void WaitAll(std::vector<std::future<void>>& futures);

}  // namespace fupin::verify
