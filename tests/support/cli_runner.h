// Test support: runs the fupin-ledger binary as a child process.
#pragma once

#include <string>
#include <vector>

namespace fupin::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs FUPIN_CLI_PATH with `args`, feeding `input` on stdin; waits for it.
CliResult RunCli(const std::vector<std::string>& args, const std::string& input = "");

}  // namespace fupin::testing
