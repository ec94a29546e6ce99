#include "api/termination_signal.h"

#include <csignal>

namespace fupin::api {

TerminationSignal::TerminationSignal() : signals_(io_, SIGINT, SIGTERM) {}

int TerminationSignal::Wait() {
  int received = 0;
  signals_.async_wait([&received](const boost::system::error_code& ec, int signal_number) {
    if (!ec) received = signal_number;
  });
  io_.run();
  io_.restart();
  return received;
}

}  // namespace fupin::api
