// A `fupin-ledger serve` child process for the benchmarks: started on an
// ephemeral port, its URL read from the JSON ready line it prints.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <string>

namespace fupin::bench {

struct ServerProcess {
  pid_t pid = -1;
  std::string url;  // empty when the server did not start
};

inline ServerProcess StartServer(const std::string& cli, const std::string& data,
                                 const std::string& config) {
  int out[2];
  if (pipe(out) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execl(cli.c_str(), cli.c_str(), "serve", "--data", data.c_str(), "--listen", "127.0.0.1:0",
          "--config", config.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  ServerProcess server{pid, ""};
  boost::system::error_code ec;
  boost::json::value ready = boost::json::parse(line, ec);
  if (!ec && ready.is_object() && ready.as_object().contains("listening")) {
    server.url = std::string(ready.at("listening").as_string());
  }
  return server;
}

// SIGTERM, then waits: the server drains and closes the ledger.
inline void StopServer(ServerProcess& server) {
  if (server.pid <= 0) return;
  kill(server.pid, SIGTERM);
  int status = 0;
  waitpid(server.pid, &status, 0);
  server.pid = -1;
}

}  // namespace fupin::bench
