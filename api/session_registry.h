// The open sessions of a server: their count (for max_connections), and a
// way to ask all of them to finish when the server stops.
//
// Thread-safe. Holds weak references only: a session's lifetime is its
// pending I/O and handlers, never the registry.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace fupin::api {

class HttpSession;

class SessionRegistry {
 public:
  std::size_t size() const;

  // Registers a session; nullopt once ShutdownAll() was called (the caller
  // then closes the connection instead of serving it).
  std::optional<uint64_t> Add(std::weak_ptr<HttpSession> session);
  // Called by a session's destructor.
  void Remove(uint64_t id);

  // Asks every session to finish its in-flight requests and close; refuses
  // later Add()s.
  void ShutdownAll();
  // Waits until no session is left or `timeout` passed; true when empty.
  bool WaitUntilEmpty(std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mu_;
  std::condition_variable empty_;
  std::map<uint64_t, std::weak_ptr<HttpSession>> sessions_;
  uint64_t next_id_ = 0;
  bool shut_down_ = false;
};

}  // namespace fupin::api
