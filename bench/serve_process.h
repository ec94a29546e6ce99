// A `fupin-ledger serve` child process for the benchmarks: started on an
// ephemeral port, its URL read from the JSON ready line it prints.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "api/witness_server.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/signed_note.h"
#include "rules/rule_config.h"

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

// A memory figure of a process from /proc/<pid>/status in MiB ("VmRSS":
// resident now, "VmHWM": the peak resident so far); 0 when unreadable.
inline double ProcessMemoryMiB(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atof(line.c_str() + field.size() + 1) / 1024;
  }
  return 0;
}

// SIGTERM, then waits: the server drains and closes the ledger.
inline void StopServer(ServerProcess& server) {
  if (server.pid <= 0) return;
  kill(server.pid, SIGTERM);
  int status = 0;
  waitpid(server.pid, &status, 0);
  server.pid = -1;
}

// The token a benchmark's mirror reads the source with.
inline constexpr std::string_view kMirrorToken = "bench-mirror-token-0123456789";

// Starts `fupin-ledger serve` on `data`; with the rule engine off when
// `rules_on` is false (a config that disables every rule), with the given
// witnesses and a quorum of all of them, and with `mirror_token` an
// auditor token (kMirrorToken) a mirror reads the whole log with.

inline ServerProcess StartBenchServer(const std::string& cli, const std::string& data,
                                      bool rules_on,
                                      const std::vector<api::ServedWitness>& witnesses,
                                      bool mirror_token) {
  const std::string config = data + "/bench-config.json";
  {
    boost::json::object root;
    if (mirror_token) {
      root["tokens"] = boost::json::array{{{"id", "bench-mirror"},
                                           {"sha256", HexEncode(crypto::Sha256(kMirrorToken))},
                                           {"role", "auditor"},
                                           {"regions", boost::json::array{"430000"}}}};
    }
    if (!rules_on) {
      boost::json::object rules;
      for (const rules::RuleInfo& info : rules::RuleCatalog()) {
        rules[info.id] = boost::json::object{{"enabled", false}};
      }
      root["rules"] = boost::json::object{{"rules", std::move(rules)}};
    }
    if (!witnesses.empty()) {
      boost::json::array list;
      for (const api::ServedWitness& w : witnesses) {
        list.push_back({{"name", w.witness->verifier_key().name},
                        {"url", w.server->url()},
                        {"vkey", note::FormatVerifierKey(w.witness->verifier_key())}});
      }
      root["witnesses"] = std::move(list);
      root["witness_quorum"] = static_cast<int64_t>(witnesses.size());
    }
    std::ofstream out(config);
    out << boost::json::serialize(root);
  }
  return StartServer(cli, data, config);
}

}  // namespace fupin::bench
