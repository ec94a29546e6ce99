// Test support: a long-running fupin-ledger command (`demo`, `witness
// serve`) as a child process, started and read up to the JSON ready line it
// prints, and stopped with a signal.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace fupin::testing {

struct CliProcess {
  pid_t pid = -1;
  boost::json::object ready;  // the first line it printed; empty if not JSON
};

// Runs FUPIN_CLI_PATH with `args` and waits for its first line on stdout.
CliProcess StartCliProcess(const std::vector<std::string>& args);

// Sends `signal` and waits; the exit code, or -1 when it did not exit.
int StopCliProcess(const CliProcess& process, int signal = SIGTERM);

}  // namespace fupin::testing
