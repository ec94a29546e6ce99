// The server's configuration file (`serve --config FILE`), its defaults and
// its validation.
//
// Grammar (JSON, parsed strictly: duplicate members are refused; every
// member is optional):
//   {"listen":"127.0.0.1:8080",
//    "tokens":[{"id":"sup-1","sha256":"<64 lower-case hex>",
//               "role":"admin|supervisor|auditor|public","regions":["430000"]}],
//    "limits":{"body_bytes":4194304,"header_bytes":16384,
//              "read_timeout_ms":30000,"write_timeout_ms":30000,
//              "idle_timeout_ms":60000,"max_connections":1024,
//              "max_pipelined":4,"io_threads":N,"worker_threads":N},
//    "tls":{"cert_file":"…","key_file":"…"},
//    "web_root":"…the built web page (web/dist)…",
//    "rules":{…a rule configuration: rules/rule_config.h…},
//    "store_memory_mb":256}
// Unknown members, wrong types and out-of-range values are refused with a
// message naming the member. "tls" names PEM files: the certificate chain
// (leaf first) and its private key; with it the server speaks only HTTPS.
// The files are read when the server starts (a missing or unloadable file
// is a startup error naming it), never later; relative paths in a config
// file are relative to that file's directory. "web_root" is read the same
// way, once at start (api/web_site.h); without it `serve` uses the page
// built in the source tree when there is one. Tokens are stored as the
// SHA-256 of the token, never the token. "store_memory_mb" (32-65536) is
// RocksDB's whole memory budget: block cache, index and filter blocks and
// memtables (ledger/store_db.h, StoreOpenOptions::memory_bytes).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/status.h"
#include "ledger/store_db.h"
#include "ledger/witness_policy.h"
#include "rules/rule_config.h"

namespace fupin::api {

// What a bearer token may read (SPEC §5; region filtering comes later).
// public: aggregated statistics, checkpoints and proofs; auditor and
// supervisor: every read within their region scope; admin: everything,
// including the access log.
enum class Role { kPublic, kAuditor, kSupervisor, kAdmin };
std::string_view RoleName(Role role);

struct TokenConfig {
  std::string id;           // names the token in logs and metrics, never secret
  crypto::Digest sha256{};  // SHA-256 of the token's bytes
  Role role = Role::kPublic;
  std::vector<std::string> regions;  // GB/T 2260 codes; a code covers its children
};

// Request 4 MiB: a batch of 1000 events of ~2-4 KiB each fits, and a client
// can never make a session hold more than this per request.
inline constexpr std::size_t kDefaultBodyBytes = 4 * 1024 * 1024;
// Enough for a bearer token and ordinary headers; far below memory concerns.
inline constexpr std::size_t kDefaultHeaderBytes = 16 * 1024;
// A whole request (header and body) must arrive within 30 s of its first
// byte: a 4 MiB body at ~1.5 Mbit/s still makes it, a slowloris does not
// hold a connection longer than that.
inline constexpr std::chrono::milliseconds kDefaultReadTimeout{30'000};
// A response must be taken by the client within 30 s (the largest answer is
// 1000 records, well under the body limit).
inline constexpr std::chrono::milliseconds kDefaultWriteTimeout{30'000};
// Keep-alive connections with no request outstanding are closed after 60 s
// (nginx uses 75 s); clients reconnect cheaply.
inline constexpr std::chrono::milliseconds kDefaultIdleTimeout{60'000};
// Bounds file descriptors and worst-case memory
// (connections × pipelined requests × body limit).
inline constexpr std::size_t kDefaultMaxConnections = 1024;
// Requests read ahead on one connection while earlier ones are handled;
// bounds the memory one connection can pin.
inline constexpr std::size_t kDefaultMaxPipelined = 4;

struct Limits {
  std::size_t body_bytes = kDefaultBodyBytes;
  std::size_t header_bytes = kDefaultHeaderBytes;
  std::chrono::milliseconds read_timeout = kDefaultReadTimeout;
  std::chrono::milliseconds write_timeout = kDefaultWriteTimeout;
  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;
  std::size_t max_connections = kDefaultMaxConnections;
  std::size_t max_pipelined = kDefaultMaxPipelined;
  // Threads running sessions; 0 means one per core.
  std::size_t io_threads = 0;
  // Threads running handlers; 0 means max(64, 32 × cores). POST /v1/events
  // blocks a worker until its commit group is durable and verifies its
  // signatures on that worker, so more workers than cores keep several
  // appends in flight and the group commit batches them.
  std::size_t worker_threads = 0;
};

// The thread counts after resolving the 0 defaults on this machine.
std::size_t EffectiveIoThreads(const Limits& limits);
std::size_t EffectiveWorkerThreads(const Limits& limits);

// Witnesses are asked once a second, as often as the ledger signs
// checkpoints (SPEC §2.3); never more often than every 100 ms.
inline constexpr std::chrono::milliseconds kDefaultWitnessInterval{1000};
inline constexpr int64_t kMinWitnessIntervalMs = 100;

struct ListenAddress {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 literal, never a name
  uint16_t port = 8080;            // 0: an ephemeral port
};

// "HOST:PORT" with HOST an IPv4 literal or a bracketed IPv6 literal
// ("[::1]:8080"). kInvalidArgument otherwise.
Result<ListenAddress> ParseListenAddress(std::string_view text);

struct TlsConfig {
  std::string cert_file;  // PEM certificate chain, leaf first
  std::string key_file;   // PEM private key of the leaf certificate
};

struct ServerConfig {
  ListenAddress listen;
  // HTTPS on `listen` when set; plain HTTP otherwise.
  std::optional<TlsConfig> tls;
  std::vector<TokenConfig> tokens;
  Limits limits;
  // The rule engine's configuration: rules/default-rules.json with the
  // config's "rules" member applied; nullopt means the defaults.
  std::optional<rules::RuleConfig> rules;
  // The directory of the built web page served at /; none when unset.
  std::optional<std::string> web_root;
  // The witnesses that cosign the checkpoints and how many must have
  // cosigned one before it is served ("witnesses", "witness_quorum";
  // docs/trust.md); none by default.
  WitnessPolicy witnesses;
  // At most one submission to each witness per interval.
  std::chrono::milliseconds witness_interval{kDefaultWitnessInterval};
  // RocksDB's memory budget ("store_memory_mb").
  std::size_t store_memory_bytes = kDefaultStoreMemoryBytes;
};

// Parses and validates the configuration text. Errors: kInvalidArgument
// with the offending member ("limits.body_bytes: …"), or the strict JSON
// codes of canonical_json.h for text that is not JSON.
Result<ServerConfig> ParseServerConfig(std::string_view json_text);
// Reads and parses a file, resolving relative TLS paths against the file's
// directory. kIoError when it cannot be read.
Result<ServerConfig> LoadServerConfig(const std::string& path);

}  // namespace fupin::api
