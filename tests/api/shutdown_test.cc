// Stopping the server: in-flight appends are finished and acknowledged,
// nothing acknowledged is lost, idle connections do not delay the stop;
// and the `serve` command's startup line, config errors and SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

using std::chrono::milliseconds;

TEST(ShutdownTest, StopDuringAppendsLosesNoAcknowledgedEvent) {
  constexpr int kClients = 4;
  constexpr int kEventsPerClient = 300;
  ApiServer server;
  std::vector<std::vector<std::string>> events =
      DeployOutletsAndSignSales(server, kClients, kEventsPerClient, "-");
  ASSERT_FALSE(::testing::Test::HasFailure());
  std::atomic<int> acknowledged{0};
  std::mutex mu;
  std::vector<std::pair<std::string, int64_t>> acks;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(server.port());
      for (const std::string& event : events[c]) {
        HttpReply reply = client.Post("/v1/events", event);
        if (reply.status == 0 || reply.status == 503) return;  // stopped
        ASSERT_EQ(reply.status, 201u) << reply.body;
        const boost::json::value& result = reply.Json().at("results").as_array()[0];
        std::lock_guard<std::mutex> lock(mu);
        acks.emplace_back(std::string(result.at("id").as_string()), result.at("seq").as_int64());
        ++acknowledged;
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acknowledged < 100 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(2));
  }
  auto stopping = std::chrono::steady_clock::now();
  server.server().Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(5));
  for (std::thread& client : clients) client.join();

  ASSERT_GE(acks.size(), 100u);
  for (const auto& [id, seq] : acks) {
    Result<std::optional<uint64_t>> found = server.ledger().FindEvent(id);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << id;
    EXPECT_EQ(static_cast<int64_t>(**found), seq);
  }
  uint64_t size = server.tree_size();
  server.Shutdown();
  Result<std::unique_ptr<Ledger>> reopened = Ledger::Open(server.dir());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->tree_size(), size);
}

TEST(ShutdownTest, StopDoesNotWaitForIdleConnections) {
  ApiServer server;  // idle timeout: the default 60 s
  TestClient idle(server.port());
  ASSERT_EQ(idle.Get("/healthz").status, 200u);
  auto stopping = std::chrono::steady_clock::now();
  server.server().Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(2));
  EXPECT_TRUE(idle.WaitForClose(milliseconds(1000)));
  server.server().Stop();  // idempotent
}

// --- the `serve` command ---

struct ServeProcess {
  pid_t pid = -1;
  int stdout_fd = -1;
};

ServeProcess SpawnServe(const std::vector<std::string>& args) {
  int out[2];
  if (::pipe(out) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDERR_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    std::vector<char*> argv;
    std::string path = FUPIN_CLI_PATH;
    argv.push_back(path.data());
    std::vector<std::string> copy = args;
    for (std::string& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(path.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  return {pid, out[0]};
}

// The first line the process prints, within `timeout`.
std::string ReadLine(int fd, milliseconds timeout) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (line.empty() || line.back() != '\n') {
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd readable{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0) break;
    char c;
    if (::read(fd, &c, 1) != 1) break;
    line += c;
  }
  return line;
}

// The exit code, or -1 (after SIGKILL) when it did not exit in time.
int WaitForExit(pid_t pid, milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
}

TEST(ServeCommandTest, PrintsItsUrlServesAndStopsCleanlyOnSigterm) {
  std::string dir = CopySeededDir();
  ServeProcess serve = SpawnServe({"serve", "--data", dir, "--listen", "127.0.0.1:0"});
  ASSERT_GT(serve.pid, 0);
  std::string line = ReadLine(serve.stdout_fd, milliseconds(20000));
  boost::system::error_code ec;
  boost::json::value ready = boost::json::parse(line, ec);
  ASSERT_FALSE(ec) << line;
  std::string url(ready.at("listening").as_string());
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
  uint16_t port = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  EXPECT_NE(port, 0);
  EXPECT_EQ(ready.at("tree_size").as_int64(), static_cast<int64_t>(SeededTreeSize()));

  TestClient client(port);
  HttpReply sale = client.Post("/v1/events", SaleJson(SeededWorld().op, "C-1", "S-CLI"));
  EXPECT_EQ(sale.status, 201u) << sale.body;
  ASSERT_EQ(client.Get("/healthz").status, 200u);

  ASSERT_EQ(::kill(serve.pid, SIGTERM), 0);
  EXPECT_EQ(WaitForExit(serve.pid, milliseconds(20000)), 0);
  ::close(serve.stdout_fd);
  // RocksDB was closed (its lock released) and the acknowledged sale kept.
  Result<std::unique_ptr<Ledger>> reopened = Ledger::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->tree_size(), SeededTreeSize() + 1);
  reopened->reset();
  std::filesystem::remove_all(dir);
}

TEST(ServeCommandTest, KillDashNineUnderLoadKeepsEveryAcknowledgedEvent) {
  constexpr int kClients = 4;
  constexpr int kEventsPerClient = 400;
  std::string dir = CopySeededDir();
  std::vector<std::vector<std::string>> events(kClients);
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kEventsPerClient; ++i) {
      events[c].push_back(
          SaleJson(SeededWorld().op, "C-1", "K-" + std::to_string(c) + "-" + std::to_string(i)));
    }
  }
  ServeProcess serve = SpawnServe({"serve", "--data", dir, "--listen", "127.0.0.1:0"});
  ASSERT_GT(serve.pid, 0);
  std::string line = ReadLine(serve.stdout_fd, milliseconds(20000));
  boost::system::error_code ec;
  boost::json::value ready = boost::json::parse(line, ec);
  ASSERT_FALSE(ec) << line;
  std::string url(ready.at("listening").as_string());
  uint16_t port = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));

  std::atomic<int> acknowledged{0};
  std::mutex mu;
  std::vector<std::pair<std::string, int64_t>> acks;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(port);
      for (const std::string& event : events[c]) {
        HttpReply reply = client.Post("/v1/events", event);
        if (reply.status != 201) return;  // killed
        const boost::json::value& result = reply.Json().at("results").as_array()[0];
        std::lock_guard<std::mutex> lock(mu);
        acks.emplace_back(std::string(result.at("id").as_string()), result.at("seq").as_int64());
        ++acknowledged;
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acknowledged < 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(2));
  }
  ASSERT_EQ(::kill(serve.pid, SIGKILL), 0);
  for (std::thread& client : clients) client.join();
  int status = 0;
  ::waitpid(serve.pid, &status, 0);
  ::close(serve.stdout_fd);

  ASSERT_GE(acks.size(), 200u);
  Result<std::unique_ptr<Ledger>> reopened = Ledger::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  for (const auto& [id, seq] : acks) {
    Result<std::optional<uint64_t>> found = (*reopened)->FindEvent(id);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << id;
    EXPECT_EQ(static_cast<int64_t>(**found), seq);
  }
  reopened->reset();
  std::filesystem::remove_all(dir);
}

int RunServe(const std::string& args) {
  std::string command = std::string(FUPIN_CLI_PATH) + " serve " + args + " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string WriteConfig(const std::string& dir, const std::string& text) {
  std::string path = dir + "/server.json";
  std::ofstream(path) << text;
  return path;
}

TEST(ServeCommandTest, ConfigErrorsExitWith2) {
  std::string dir = CopySeededDir();
  EXPECT_EQ(RunServe("--data " + dir + " --config " +
                     WriteConfig(dir, R"({"listen":"127.0.0.1:0","bogus":1})")),
            2);
  EXPECT_EQ(RunServe("--data " + dir + " --config " +
                     WriteConfig(dir, R"({"tls":{"cert_file":"c","key_file":"k"}})")),
            2);
  EXPECT_EQ(RunServe("--data " + dir + " --config " +
                     WriteConfig(dir, R"({"limits":{"body_bytes":"big"}})")),
            2);
  EXPECT_EQ(RunServe("--data " + dir + " --config " + dir + "/missing.json"), 2);
  EXPECT_EQ(RunServe("--data " + dir + " --listen localhost:80"), 2);
  EXPECT_EQ(RunServe("--data " + dir + "/no-ledger-here --listen 127.0.0.1:0"), 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fupin::api::testing
