// Waiting for SIGINT or SIGTERM, for `serve`.
//
// Construct it before the server starts: from then on these signals are
// caught (and remembered until Wait) instead of killing the process, so a
// signal that arrives during startup still leads to a clean shutdown.
// Not thread-safe; one instance per process.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace fupin::api {

class TerminationSignal {
 public:
  TerminationSignal();
  TerminationSignal(const TerminationSignal&) = delete;
  TerminationSignal& operator=(const TerminationSignal&) = delete;

  // Blocks until SIGINT or SIGTERM; returns its number.
  int Wait();

 private:
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
};

}  // namespace fupin::api
