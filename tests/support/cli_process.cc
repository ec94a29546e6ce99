#include "tests/support/cli_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

namespace fupin::testing {

CliProcess StartCliProcess(const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv{const_cast<char*>(FUPIN_CLI_PATH)};
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(FUPIN_CLI_PATH, argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  CliProcess process{pid, {}};
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(line, ec);
  if (!ec && parsed.is_object()) process.ready = parsed.as_object();
  return process;
}

int StopCliProcess(const CliProcess& process, int signal) {
  if (process.pid <= 0) return -1;
  kill(process.pid, signal);
  int status = 0;
  waitpid(process.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace fupin::testing
