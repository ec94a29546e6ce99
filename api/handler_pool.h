// The worker threads that run handlers, off the I/O threads.
//
// Handlers may block (Ledger::Append waits for the durable commit and
// verifies signatures on its worker), so they never run on an I/O thread.
// Submit() and Drain() are thread-safe; after Drain() begins, Submit()
// refuses work, so a task is either run to completion or never accepted.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <functional>
#include <mutex>

namespace fupin::api {

class HandlerPool {
 public:
  explicit HandlerPool(std::size_t threads);
  ~HandlerPool();  // Drain()
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // Queues `task`; false (and `task` is dropped unrun) once draining.
  bool Submit(std::function<void()> task);
  // Refuses new tasks, waits for every accepted one to finish, joins the
  // threads. Idempotent.
  void Drain();

 private:
  boost::asio::thread_pool pool_;
  std::mutex mu_;
  bool draining_ = false;
};

}  // namespace fupin::api
