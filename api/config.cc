#include "api/config.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"

namespace fupin::api {
namespace {

namespace json = boost::json;

// Below 1 KiB not even a request line with a bearer token fits.
inline constexpr std::size_t kMinHeaderBytes = 1024;
// Headers beyond 1 MiB are an attack, not a request.
inline constexpr std::size_t kMaxHeaderBytes = 1024 * 1024;
// A batch of 1000 maximal events stays well under 256 MiB; larger limits
// would only let one request pin that much memory.
inline constexpr std::size_t kMaxBodyBytes = 256 * 1024 * 1024;
// One hour: anything longer is a misconfiguration, not a timeout.
inline constexpr int64_t kMaxTimeoutMs = 3'600'000;
// File descriptors beyond this need OS tuning first.
inline constexpr std::size_t kMaxConnections = 100'000;
// Deeper pipelines only pin memory; browsers and clients use ≤ 8.
inline constexpr std::size_t kMaxPipelined = 64;
inline constexpr std::size_t kMaxThreads = 1024;
// Workers by default. A worker verifies its request's signatures and then
// sleeps until the commit group is durable (one WAL fsync, ~1-10 ms), so
// the number of appends in flight, and with it the group size, is the
// number of workers: clients sending one event per request need dozens in
// flight to keep both cores verifying while the disk syncs (bench/ingest).
inline constexpr std::size_t kWorkersPerCore = 32;
inline constexpr std::size_t kMinDefaultWorkers = 64;

Status Invalid(std::string_view member, std::string_view message) {
  return Status(ErrorCode::kInvalidArgument, std::string(member) + ": " + std::string(message));
}

Status CheckMembers(const json::object& object, std::string_view where,
                    std::initializer_list<std::string_view> known) {
  for (const auto& member : object) {
    if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
      std::string name = where.empty() ? std::string(member.key())
                                       : std::string(where) + "." + std::string(member.key());
      return Invalid(name, "unknown member");
    }
  }
  return Status::Ok();
}

Result<int64_t> IntegerIn(const json::value& value, std::string_view member, int64_t min,
                          int64_t max) {
  if (!value.is_int64()) return Invalid(member, "must be an integer");
  int64_t n = value.get_int64();
  if (n < min || n > max) {
    return Invalid(member, "must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ", got " + std::to_string(n));
  }
  return n;
}

Status ParseLimits(const json::value& value, Limits* limits) {
  if (!value.is_object()) return Invalid("limits", "must be an object");
  const json::object& object = value.get_object();
  FUPIN_RETURN_IF_ERROR(CheckMembers(
      object, "limits",
      {"body_bytes", "header_bytes", "read_timeout_ms", "write_timeout_ms", "idle_timeout_ms",
       "max_connections", "max_pipelined", "io_threads", "worker_threads"}));
  struct SizeField {
    std::string_view name;
    std::size_t* target;
    int64_t min;
    int64_t max;
  };
  const SizeField sizes[] = {
      {"body_bytes", &limits->body_bytes, 1, static_cast<int64_t>(kMaxBodyBytes)},
      {"header_bytes", &limits->header_bytes, static_cast<int64_t>(kMinHeaderBytes),
       static_cast<int64_t>(kMaxHeaderBytes)},
      {"max_connections", &limits->max_connections, 1, static_cast<int64_t>(kMaxConnections)},
      {"max_pipelined", &limits->max_pipelined, 1, static_cast<int64_t>(kMaxPipelined)},
      {"io_threads", &limits->io_threads, 1, static_cast<int64_t>(kMaxThreads)},
      {"worker_threads", &limits->worker_threads, 1, static_cast<int64_t>(kMaxThreads)},
  };
  for (const SizeField& field : sizes) {
    const json::value* member = object.if_contains(field.name);
    if (member == nullptr) continue;
    FUPIN_ASSIGN_OR_RETURN(
        int64_t n, IntegerIn(*member, "limits." + std::string(field.name), field.min, field.max));
    *field.target = static_cast<std::size_t>(n);
  }
  struct TimeoutField {
    std::string_view name;
    std::chrono::milliseconds* target;
  };
  const TimeoutField timeouts[] = {{"read_timeout_ms", &limits->read_timeout},
                                   {"write_timeout_ms", &limits->write_timeout},
                                   {"idle_timeout_ms", &limits->idle_timeout}};
  for (const TimeoutField& field : timeouts) {
    const json::value* member = object.if_contains(field.name);
    if (member == nullptr) continue;
    FUPIN_ASSIGN_OR_RETURN(
        int64_t n, IntegerIn(*member, "limits." + std::string(field.name), 1, kMaxTimeoutMs));
    *field.target = std::chrono::milliseconds(n);
  }
  return Status::Ok();
}

bool IsRegionCode(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<TokenConfig> ParseToken(const json::value& value, std::size_t index) {
  std::string where = "tokens[" + std::to_string(index) + "]";
  if (!value.is_object()) return Invalid(where, "must be an object");
  const json::object& object = value.get_object();
  FUPIN_RETURN_IF_ERROR(CheckMembers(object, where, {"id", "sha256", "role", "regions"}));
  TokenConfig token;

  const json::value* id = object.if_contains("id");
  if (id == nullptr || !id->is_string() || id->get_string().empty()) {
    return Invalid(where + ".id", "must be a non-empty string");
  }
  token.id = std::string(id->get_string());

  const json::value* sha = object.if_contains("sha256");
  if (sha == nullptr || !sha->is_string() || sha->get_string().size() != 64) {
    return Invalid(where + ".sha256", "must be the 64 hex digits of the token's SHA-256");
  }
  Result<std::string> digest = HexDecode(sha->get_string());
  if (!digest.ok()) return Invalid(where + ".sha256", "must be lower-case hex");
  std::copy(digest->begin(), digest->end(), token.sha256.begin());

  const json::value* role = object.if_contains("role");
  if (role == nullptr || !role->is_string()) {
    return Invalid(where + ".role", "must be \"admin\", \"supervisor\", \"auditor\" or \"public\"");
  }
  if (role->get_string() == "admin") {
    token.role = Role::kAdmin;
  } else if (role->get_string() == "supervisor") {
    token.role = Role::kSupervisor;
  } else if (role->get_string() == "auditor") {
    token.role = Role::kAuditor;
  } else if (role->get_string() == "public") {
    token.role = Role::kPublic;
  } else {
    return Invalid(where + ".role", "must be \"admin\", \"supervisor\", \"auditor\" or \"public\"");
  }

  const json::value* regions = object.if_contains("regions");
  if (regions == nullptr) {
    // A reader without a scope would silently see everything once region
    // filtering arrives; only the public role (no entity reads) may omit it.
    if (token.role != Role::kPublic) {
      return Invalid(where + ".regions",
                     "required for the " + std::string(RoleName(token.role)) + " role");
    }
    return token;
  }
  if (!regions->is_array()) return Invalid(where + ".regions", "must be an array");
  for (const json::value& region : regions->get_array()) {
    if (!region.is_string() || !IsRegionCode(region.get_string())) {
      return Invalid(where + ".regions", "must hold 6-digit region codes");
    }
    token.regions.emplace_back(region.get_string());
  }
  if (token.regions.empty() && token.role != Role::kPublic) {
    return Invalid(where + ".regions", "must not be empty");
  }
  return token;
}

Status ParseTokens(const json::value& value, std::vector<TokenConfig>* tokens) {
  if (!value.is_array()) return Invalid("tokens", "must be an array");
  std::set<std::string> ids;
  std::set<crypto::Digest> digests;
  for (std::size_t i = 0; i < value.get_array().size(); ++i) {
    FUPIN_ASSIGN_OR_RETURN(TokenConfig token, ParseToken(value.get_array()[i], i));
    if (!ids.insert(token.id).second) {
      return Invalid("tokens[" + std::to_string(i) + "].id", "repeats \"" + token.id + "\"");
    }
    if (!digests.insert(token.sha256).second) {
      return Invalid("tokens[" + std::to_string(i) + "].sha256",
                     "repeats the hash of an earlier token");
    }
    tokens->push_back(std::move(token));
  }
  return Status::Ok();
}

Result<TlsConfig> ParseTls(const json::value& value) {
  if (!value.is_object()) {
    return Invalid("tls", "must be an object {\"cert_file\":…,\"key_file\":…}");
  }
  const json::object& object = value.get_object();
  FUPIN_RETURN_IF_ERROR(CheckMembers(object, "tls", {"cert_file", "key_file"}));
  TlsConfig tls;
  struct PathField {
    std::string_view name;
    std::string* target;
  };
  for (const PathField& field :
       {PathField{"cert_file", &tls.cert_file}, PathField{"key_file", &tls.key_file}}) {
    const json::value* member = object.if_contains(field.name);
    std::string where = "tls." + std::string(field.name);
    if (member == nullptr) return Invalid(where, "required (the path of a PEM file)");
    if (!member->is_string() || member->get_string().empty()) {
      return Invalid(where, "must be a non-empty path of a PEM file");
    }
    *field.target = std::string(member->get_string());
  }
  return tls;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPublic:
      return "public";
    case Role::kAuditor:
      return "auditor";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "public";
}

std::size_t EffectiveIoThreads(const Limits& limits) {
  if (limits.io_threads != 0) return limits.io_threads;
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

std::size_t EffectiveWorkerThreads(const Limits& limits) {
  if (limits.worker_threads != 0) return limits.worker_threads;
  std::size_t cores = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  return std::max(kMinDefaultWorkers, kWorkersPerCore * cores);
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status(ErrorCode::kInvalidArgument,
                  "listen address \"" + std::string(text) + "\": " + std::string(why));
  };
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("expected HOST:PORT");
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    boost::asio::ip::address address = boost::asio::ip::make_address(std::string(host), ec);
    if (ec || !address.is_v6()) return bad("not an IPv6 address in brackets");
  } else {
    boost::system::error_code ec;
    boost::asio::ip::make_address_v4(std::string(host), ec);
    if (ec) return bad("HOST must be an IPv4 address or a bracketed IPv6 address");
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535 ||
      port.front() == '+') {
    return bad("PORT must be a number from 0 to 65535");
  }
  ListenAddress address;
  address.host = std::string(host);
  address.port = static_cast<uint16_t>(value);
  return address;
}

Result<ServerConfig> ParseServerConfig(std::string_view json_text) {
  // Fractions are allowed for rule thresholds ("warning_ratio": 1.30);
  // every other member asks for an integer and refuses them.
  fupin::json::ParseLimits limits;
  limits.allow_fractions = true;
  Result<json::object> parsed = fupin::json::ParseStrictObject(json_text, limits);
  if (!parsed.ok()) return parsed.status().WithContext("config");
  const json::object& root = *parsed;
  FUPIN_RETURN_IF_ERROR(
      CheckMembers(root, "",
                   {"listen", "tokens", "limits", "tls", "rules", "web_root", "witnesses",
                    "witness_quorum", "witness_interval_ms", "store_memory_mb"}));
  ServerConfig config;
  if (const json::value* tls = root.if_contains("tls")) {
    FUPIN_ASSIGN_OR_RETURN(TlsConfig parsed_tls, ParseTls(*tls));
    config.tls = std::move(parsed_tls);
  }
  if (const json::value* listen = root.if_contains("listen")) {
    if (!listen->is_string()) return Invalid("listen", "must be a string \"HOST:PORT\"");
    FUPIN_ASSIGN_OR_RETURN(ListenAddress address, ParseListenAddress(listen->get_string()));
    config.listen = std::move(address);
  }
  if (const json::value* web_root = root.if_contains("web_root")) {
    if (!web_root->is_string() || web_root->get_string().empty()) {
      return Invalid("web_root", "must be a non-empty string (the built page's directory)");
    }
    config.web_root = std::string(web_root->get_string());
  }
  if (const json::value* tokens = root.if_contains("tokens")) {
    FUPIN_RETURN_IF_ERROR(ParseTokens(*tokens, &config.tokens));
  }
  if (root.contains("witnesses") || root.contains("witness_quorum")) {
    // The same shape as a verifier's policy file (ledger/witness_policy.h).
    json::object policy;
    for (std::string_view member : {"witnesses", "witness_quorum"}) {
      if (const json::value* value = root.if_contains(member)) policy[member] = *value;
    }
    FUPIN_ASSIGN_OR_RETURN(config.witnesses, ParseWitnessPolicy(fupin::json::Canonicalize(policy)));
    for (std::size_t i = 0; i < config.witnesses.witnesses.size(); ++i) {
      if (config.witnesses.witnesses[i].url.empty()) {
        return Invalid("witnesses[" + std::to_string(i) + "].url",
                       "must name where the witness listens (http://HOST:PORT)");
      }
    }
  }
  if (const json::value* interval = root.if_contains("witness_interval_ms")) {
    if (!interval->is_int64() || interval->get_int64() < kMinWitnessIntervalMs ||
        interval->get_int64() > kMaxTimeoutMs) {
      return Invalid("witness_interval_ms", "must be an integer from 100 to 3600000");
    }
    config.witness_interval = std::chrono::milliseconds(interval->get_int64());
  }
  if (const json::value* limits = root.if_contains("limits")) {
    FUPIN_RETURN_IF_ERROR(ParseLimits(*limits, &config.limits));
  }
  if (const json::value* memory = root.if_contains("store_memory_mb")) {
    FUPIN_ASSIGN_OR_RETURN(int64_t mib, IntegerIn(*memory, "store_memory_mb", 32, 65536));
    config.store_memory_bytes = static_cast<std::size_t>(mib) << 20;
  }
  if (const json::value* rules = root.if_contains("rules")) {
    FUPIN_ASSIGN_OR_RETURN(rules::RuleConfig defaults, rules::DefaultRuleConfig());
    Result<rules::RuleConfig> override = rules::ParseRuleConfig(*rules);
    if (!override.ok()) return override.status().WithContext("rules");
    Result<rules::RuleConfig> merged = rules::MergeRuleConfig(defaults, *override);
    if (!merged.ok()) return merged.status().WithContext("rules");
    // Build once to refuse what only a rule can judge (a threshold out of
    // its range) now, not when the server starts.
    Result<std::vector<std::unique_ptr<rules::Rule>>> built = rules::BuildRules(*merged);
    if (!built.ok()) return built.status().WithContext("rules");
    config.rules = std::move(merged).value();
  }
  return config;
}

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot read config file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::kIoError, "cannot read config file " + path);
  Result<ServerConfig> config = ParseServerConfig(text.str());
  if (!config.ok()) return config.status().WithContext(path);
  std::filesystem::path base = std::filesystem::path(path).parent_path();
  auto resolve = [&base](std::string* file) {
    if (std::filesystem::path(*file).is_relative()) *file = (base / *file).string();
  };
  if (config->tls) {
    resolve(&config->tls->cert_file);
    resolve(&config->tls->key_file);
  }
  if (config->web_root) resolve(&*config->web_root);
  return config;
}

}  // namespace fupin::api
