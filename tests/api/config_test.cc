// The server configuration file, bearer tokens and request targets.
#include "api/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api/auth.h"
#include "api/target.h"
#include "ledger/codec.h"

namespace fupin::api {
namespace {

std::string Sha256Hex(std::string_view token) { return HexEncode(crypto::Sha256(token)); }

Status ConfigError(const std::string& text) {
  Result<ServerConfig> config = ParseServerConfig(text);
  EXPECT_FALSE(config.ok()) << text;
  return config.status();
}

TEST(ServerConfigTest, EmptyObjectGivesSafeDefaults) {
  Result<ServerConfig> config = ParseServerConfig("{}");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen.host, "127.0.0.1");
  EXPECT_EQ(config->listen.port, 8080);
  EXPECT_TRUE(config->tokens.empty());
  EXPECT_EQ(config->limits.body_bytes, 4u * 1024 * 1024);
  EXPECT_EQ(config->limits.header_bytes, 16u * 1024);
  EXPECT_GT(config->limits.read_timeout.count(), 0);
  EXPECT_GT(config->limits.max_connections, 0u);
  EXPECT_GE(EffectiveWorkerThreads(config->limits), 8u);
  EXPECT_GE(EffectiveIoThreads(config->limits), 1u);
  EXPECT_EQ(config->store_memory_bytes, kDefaultStoreMemoryBytes);
}

TEST(ServerConfigTest, StoreMemoryIsABudgetInMebibytes) {
  Result<ServerConfig> config = ParseServerConfig(R"({"store_memory_mb":512})");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->store_memory_bytes, std::size_t{512} << 20);
  for (const char* text : {R"({"store_memory_mb":16})", R"({"store_memory_mb":70000})",
                           R"({"store_memory_mb":"1G"})", R"({"store_memory_mb":256.5})"}) {
    Status error = ConfigError(text);
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(error.message().find("store_memory_mb"), std::string::npos) << error.message();
  }
}

TEST(ServerConfigTest, ParsesEveryMember) {
  std::string text = R"({"listen":"0.0.0.0:9000",
    "tokens":[{"id":"sup-1","sha256":")" +
                     Sha256Hex("s3cret") + R"(","role":"supervisor","regions":["430000"]},
              {"id":"pub-1","sha256":")" +
                     Sha256Hex("open") + R"(","role":"public"}],
    "limits":{"body_bytes":1048576,"header_bytes":8192,"read_timeout_ms":5000,
              "write_timeout_ms":6000,"idle_timeout_ms":7000,"max_connections":10,
              "max_pipelined":2,"io_threads":3,"worker_threads":12}})";
  Result<ServerConfig> config = ParseServerConfig(text);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen.host, "0.0.0.0");
  EXPECT_EQ(config->listen.port, 9000);
  ASSERT_EQ(config->tokens.size(), 2u);
  EXPECT_EQ(config->tokens[0].id, "sup-1");
  EXPECT_EQ(config->tokens[0].role, Role::kSupervisor);
  EXPECT_EQ(config->tokens[0].sha256, crypto::Sha256("s3cret"));
  EXPECT_EQ(config->tokens[0].regions, std::vector<std::string>{"430000"});
  EXPECT_EQ(config->tokens[1].role, Role::kPublic);
  EXPECT_EQ(config->limits.body_bytes, 1048576u);
  EXPECT_EQ(config->limits.header_bytes, 8192u);
  EXPECT_EQ(config->limits.read_timeout.count(), 5000);
  EXPECT_EQ(config->limits.write_timeout.count(), 6000);
  EXPECT_EQ(config->limits.idle_timeout.count(), 7000);
  EXPECT_EQ(config->limits.max_connections, 10u);
  EXPECT_EQ(config->limits.max_pipelined, 2u);
  EXPECT_EQ(EffectiveIoThreads(config->limits), 3u);
  EXPECT_EQ(EffectiveWorkerThreads(config->limits), 12u);
}

TEST(ServerConfigTest, UnknownMembersAreRefusedByName) {
  Status top = ConfigError(R"({"listen":"127.0.0.1:1","colour":"blue"})");
  EXPECT_EQ(top.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(top.message().find("colour"), std::string::npos) << top.message();
  Status nested = ConfigError(R"({"limits":{"body_byte":1}})");
  EXPECT_NE(nested.message().find("limits.body_byte"), std::string::npos) << nested.message();
}

TEST(ServerConfigTest, WrongTypesAndRangesAreRefusedByName) {
  for (const char* text :
       {R"({"limits":{"body_bytes":"4MB"}})", R"({"limits":{"body_bytes":0}})",
        R"({"limits":{"read_timeout_ms":-1}})", R"({"limits":{"io_threads":1.5}})",
        R"({"limits":[]})", R"({"listen":8080})", R"({"tokens":{}})"}) {
    Status error = ConfigError(text);
    EXPECT_NE(error.code(), ErrorCode::kOk) << text;
  }
  Status range = ConfigError(R"({"limits":{"max_pipelined":1000}})");
  EXPECT_NE(range.message().find("limits.max_pipelined"), std::string::npos) << range.message();
}

TEST(ServerConfigTest, RulesOverrideTheDefaultsParameterByParameter) {
  Result<ServerConfig> none = ParseServerConfig("{}");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->rules.has_value());  // the defaults

  Result<ServerConfig> config = ParseServerConfig(
      R"({"rules":{"rules":{"FP-03":{"alert_ratio":2.5},"FP-20":{"enabled":false}}}})");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(config->rules.has_value());
  EXPECT_EQ(config->rules->rules.size(), 20u);
  EXPECT_DOUBLE_EQ(config->rules->rules.at("FP-03").params.at("alert_ratio").as_double(), 2.5);
  EXPECT_DOUBLE_EQ(config->rules->rules.at("FP-03").params.at("warning_ratio").as_double(), 1.3);
  EXPECT_FALSE(config->rules->rules.at("FP-20").enabled);
  EXPECT_TRUE(config->rules->rules.at("FP-19").enabled);
}

TEST(ServerConfigTest, BadRulesAreAStartupErrorNamingTheRuleAndParameter) {
  Status unknown = ConfigError(R"({"rules":{"rules":{"FP-99":{"enabled":true}}}})");
  EXPECT_EQ(unknown.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("FP-99"), std::string::npos) << unknown.message();
  Status parameter = ConfigError(R"({"rules":{"rules":{"FP-03":{"alert_ration":2}}}})");
  EXPECT_NE(parameter.message().find("FP-03.alert_ration"), std::string::npos)
      << parameter.message();
  Status type = ConfigError(R"({"rules":{"rules":{"FP-12":{"max_sales_per_hour":"many"}}}})");
  EXPECT_NE(type.message().find("FP-12.max_sales_per_hour"), std::string::npos) << type.message();
  Status range = ConfigError(R"({"rules":{"rules":{"FP-12":{"max_sales_per_hour":-5}}}})");
  EXPECT_NE(range.message().find("FP-12.max_sales_per_hour"), std::string::npos) << range.message();
  // Fractions are for rule thresholds only.
  Status fraction = ConfigError(R"({"limits":{"io_threads":1.5}})");
  EXPECT_NE(fraction.message().find("limits.io_threads"), std::string::npos) << fraction.message();
}

TEST(ServerConfigTest, TlsNamesTheCertificateAndKeyFiles) {
  Result<ServerConfig> config =
      ParseServerConfig(R"({"tls":{"cert_file":"/etc/fupin/cert.pem","key_file":"key.pem"}})");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(config->tls.has_value());
  EXPECT_EQ(config->tls->cert_file, "/etc/fupin/cert.pem");
  EXPECT_EQ(config->tls->key_file, "key.pem");
  EXPECT_FALSE(ParseServerConfig("{}")->tls.has_value());
}

TEST(ServerConfigTest, BadTlsMembersAreRefusedByName) {
  struct Case {
    const char* text;
    const char* member;
  };
  for (const Case& c :
       {Case{R"({"tls":true})", "tls:"}, Case{R"({"tls":{"cert_file":"a.pem"}})", "tls.key_file:"},
        Case{R"({"tls":{"key_file":"b.pem"}})", "tls.cert_file:"},
        Case{R"({"tls":{"cert_file":"","key_file":"b.pem"}})", "tls.cert_file:"},
        Case{R"({"tls":{"cert_file":"a.pem","key_file":7}})", "tls.key_file:"},
        Case{R"({"tls":{"cert_file":"a","key_file":"b","ca":"c"}})", "tls.ca:"}}) {
    Status error = ConfigError(c.text);
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << c.text;
    EXPECT_EQ(error.message().rfind(c.member, 0), 0u) << c.text << " -> " << error.message();
  }
}

TEST(ServerConfigTest, RelativeTlsPathsAreRelativeToTheConfigFile) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fupin-config-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "server.json").string();
  {
    std::ofstream out(path);
    out << R"({"tls":{"cert_file":"certs/cert.pem","key_file":"/abs/key.pem"}})";
  }
  Result<ServerConfig> config = LoadServerConfig(path);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->tls->cert_file, (dir / "certs/cert.pem").string());
  EXPECT_EQ(config->tls->key_file, "/abs/key.pem");
}

TEST(ServerConfigTest, WebRootIsANonEmptyPathRelativeToTheConfigFile) {
  for (const char* text : {R"({"web_root":""})", R"({"web_root":7})", R"({"web_root":null})"}) {
    Status error = ConfigError(text);
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_EQ(error.message().rfind("web_root:", 0), 0u) << text << " -> " << error.message();
  }
  Result<ServerConfig> absent = ParseServerConfig("{}");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->web_root);

  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fupin-config-web-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "server.json").string();
  {
    std::ofstream out(path);
    out << R"({"web_root":"web/dist"})";
  }
  Result<ServerConfig> config = LoadServerConfig(path);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->web_root, (dir / "web/dist").string());
}

TEST(ServerConfigTest, BadTokensAreRefused) {
  std::string good = Sha256Hex("t");
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_NE(ConfigError(R"({"tokens":[{"id":"a","sha256":")" + upper +
                        R"(","role":"auditor","regions":["430000"]}]})")
                .message()
                .find("tokens[0].sha256"),
            std::string::npos);
  EXPECT_NE(
      ConfigError(R"({"tokens":[{"id":"a","sha256":"abc","role":"auditor","regions":["430000"]}]})")
          .message()
          .find("sha256"),
      std::string::npos);
  EXPECT_NE(ConfigError(R"({"tokens":[{"id":"a","sha256":")" + good +
                        R"(","role":"root","regions":["430000"]}]})")
                .message()
                .find("role"),
            std::string::npos);
  EXPECT_NE(ConfigError(R"({"tokens":[{"id":"a","sha256":")" + good + R"(","role":"auditor"}]})")
                .message()
                .find("regions"),
            std::string::npos);
  EXPECT_NE(ConfigError(R"({"tokens":[{"id":"a","sha256":")" + good +
                        R"(","role":"auditor","regions":["4301"]}]})")
                .message()
                .find("regions"),
            std::string::npos);
  std::string twice = R"({"id":"a","sha256":")" + good + R"(","role":"public"})";
  EXPECT_NE(ConfigError(R"({"tokens":[)" + twice + "," + twice + "]}").message().find("repeats"),
            std::string::npos);
}

TEST(ServerConfigTest, DuplicateMembersAreRefused) {
  EXPECT_EQ(ConfigError(R"({"listen":"127.0.0.1:1","listen":"127.0.0.1:2"})").code(),
            ErrorCode::kDuplicateKey);
}

TEST(ServerConfigTest, MissingFileIsIoError) {
  Result<ServerConfig> config = LoadServerConfig("/nonexistent/fupin-server.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), ErrorCode::kIoError);
}

TEST(ListenAddressTest, AcceptsIpv4AndBracketedIpv6) {
  Result<ListenAddress> v4 = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  Result<ListenAddress> v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
}

TEST(ListenAddressTest, RefusesNamesAndBadPorts) {
  for (const char* text : {"localhost:80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                           "127.0.0.1:+80", "127.0.0.1:8o", "::1:80", "[127.0.0.1]:80", ""}) {
    Result<ListenAddress> address = ParseListenAddress(text);
    EXPECT_FALSE(address.ok()) << text;
    EXPECT_EQ(address.status().code(), ErrorCode::kInvalidArgument) << text;
  }
}

TEST(TokenTableTest, AuthenticatesBearerTokensByHash) {
  TokenConfig auditor{"aud-1", crypto::Sha256("tok-a"), Role::kAuditor, {"430000"}};
  TokenConfig viewer{"pub-1", crypto::Sha256("tok-p"), Role::kPublic, {}};
  TokenTable table({auditor, viewer});
  Result<Principal> found = table.Authenticate("Bearer tok-a");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->token_id, "aud-1");
  EXPECT_EQ(found->role, Role::kAuditor);
  EXPECT_TRUE(table.Authenticate("bearer tok-p").ok());  // the scheme is case-insensitive
  for (const char* header :
       {"", "Bearer ", "Bearer tok-x", "Basic dG9rLWE=", "tok-a", "Bearertok-a"}) {
    Result<Principal> refused = table.Authenticate(header);
    ASSERT_FALSE(refused.ok()) << header;
    EXPECT_EQ(refused.status().code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(refused.status().message().find("tok-"), std::string::npos);  // never echoed
  }
}

TEST(TokenTableTest, RolesGateAccess) {
  Principal viewer{"p", Role::kPublic, {}};
  Principal auditor{"a", Role::kAuditor, {"430000"}};
  Principal supervisor{"s", Role::kSupervisor, {"430000"}};
  EXPECT_TRUE(Authorize(viewer, Access::kPublic).ok());
  EXPECT_EQ(Authorize(viewer, Access::kAuditor).code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(auditor, Access::kAuditor).ok());
  EXPECT_TRUE(Authorize(supervisor, Access::kAuditor).ok());
}

TEST(TargetTest, SplitsAndDecodesPathAndQuery) {
  Result<Target> target = ParseTarget("/v1/streams/outlet%3AC-1?from=2&limit=10");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->segments, (std::vector<std::string>{"v1", "streams", "outlet:C-1"}));
  EXPECT_EQ(Param(*target, "from"), "2");
  EXPECT_EQ(Param(*target, "limit"), "10");
  EXPECT_FALSE(Param(*target, "type"));
  EXPECT_FALSE(ParseTarget("http://example.com/v1/events").ok());
  EXPECT_FALSE(ParseTarget("*").ok());
}

TEST(TargetTest, CountsAreStrictDecimals) {
  EXPECT_EQ(*ParseCount("0", "n"), 0u);
  EXPECT_EQ(*ParseCount("9223372036854775807", "n"), 9223372036854775807u);
  for (const char* text :
       {"", "-1", "+1", "01", "1.0", "1e3", " 1", "0x10", "9223372036854775808"}) {
    EXPECT_FALSE(ParseCount(text, "n").ok()) << text;
  }
}

TEST(TargetTest, UnknownAndRepeatedParametersAreRefused) {
  Result<Target> target = ParseTarget("/v1/events?from=1&from=2");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(CheckParams(*target, {"from"}).code(), ErrorCode::kInvalidArgument);
  Result<Target> misspelt = ParseTarget("/v1/events?form=1");
  ASSERT_TRUE(misspelt.ok());
  EXPECT_EQ(CheckParams(*misspelt, {"from", "limit"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(CheckParams(*misspelt, {"form"}).ok());
}

}  // namespace
}  // namespace fupin::api
