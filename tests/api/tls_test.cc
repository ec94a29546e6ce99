// HTTPS: a server configured with a certificate and key speaks TLS only,
// with the same routes, limits and deadlines; a bad TLS file is a startup
// error naming it. The certificate is generated here (OpenSSL 3, EC P-256,
// self-signed for 127.0.0.1) and the client trusts exactly it.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <filesystem>
#include <fstream>
#include <memory>

#include "api/client.h"
#include "tests/api/self_signed_certificate.h"
#include "tests/api/server_fixture.h"
#include "tests/support/cli_runner.h"

namespace fupin::api::testing {
namespace {

namespace ssl = boost::asio::ssl;

const std::string kAuditor(kAuditorToken);

// A blocking HTTPS client that trusts only `ca_file` and checks that the
// certificate is for 127.0.0.1. Socket reads and writes time out.
class TlsTestClient {
 public:
  TlsTestClient(uint16_t port, const std::string& ca_file)
      : context_(ssl::context::tls_client), stream_(io_, context_) {
    boost::system::error_code ec;
    context_.load_verify_file(ca_file, ec);
    if (ec) {
      error_ = ec;
      return;
    }
    stream_.set_verify_mode(ssl::verify_peer);
    stream_.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    tcp::socket& socket = beast::get_lowest_layer(stream_);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), error_);
    if (error_) return;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(kClientSocketTimeout.count());
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    stream_.handshake(ssl::stream_base::client, error_);
  }

  // The handshake's (or connect's) error; success when verified.
  boost::system::error_code error() const { return error_; }

  void Write(const std::string& target, const std::string& token = "") {
    http::request<http::string_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    http::write(stream_, request, error_);
  }

  // Raw bytes, for pipelining several requests in one TLS write.
  void WriteRaw(const std::string& bytes) { net::write(stream_, net::buffer(bytes), error_); }

  std::optional<HttpReply> Read() {
    http::response_parser<http::string_body> parser;
    http::read(stream_, buffer_, parser, error_);
    if (error_) return std::nullopt;
    HttpReply reply;
    reply.status = parser.get().result_int();
    reply.body = parser.get().body();
    for (const auto& field : parser.get()) {
      reply.headers.insert(field.name_string(), field.value());
    }
    return reply;
  }

  HttpReply Get(const std::string& target, const std::string& token = "") {
    Write(target, token);
    if (error_) return {};
    return Read().value_or(HttpReply{});
  }

 private:
  net::io_context io_;
  ssl::context context_;
  beast::ssl_stream<tcp::socket> stream_;
  beast::flat_buffer buffer_;
  boost::system::error_code error_;
};

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certificate_ = new SelfSignedCertificate(); }
  static void TearDownTestSuite() {
    delete certificate_;
    certificate_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(certificate_->ok()); }

  static const SelfSignedCertificate& certificate() { return *certificate_; }

 private:
  static SelfSignedCertificate* certificate_;
};

SelfSignedCertificate* TlsTest::certificate_ = nullptr;

TEST_F(TlsTest, ServesHealthAndRecordsOverHttps) {
  ApiServer server([](ServerConfig& config) { config.tls = certificate().config(); });
  EXPECT_EQ(server.server().url(), "https://127.0.0.1:" + std::to_string(server.port()));
  TlsTestClient client(server.port(), certificate().cert_file());
  ASSERT_FALSE(client.error()) << client.error().message();
  HttpReply health = client.Get("/healthz");
  ASSERT_EQ(health.status, 200u) << health.body;
  EXPECT_EQ(health.Json().at("status").as_string(), "ok");
  HttpReply record = client.Get("/v1/events/1", kAuditor);
  ASSERT_EQ(record.status, 200u) << record.body;
  EXPECT_EQ(record.Json().at("seq").as_int64(), 1);
  HttpReply refused = client.Get("/v1/events/1");
  EXPECT_EQ(refused.status, 401u);
  EXPECT_EQ(refused.Code(), "unauthenticated");
}

TEST_F(TlsTest, PipelinedRequestsOverOneTlsWriteAreAllAnswered) {
  ApiServer server([](ServerConfig& config) { config.tls = certificate().config(); });
  TlsTestClient client(server.port(), certificate().cert_file());
  ASSERT_FALSE(client.error()) << client.error().message();
  std::string request = "GET /v1/events/2 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                        kAuditor + "\r\n\r\n";
  client.WriteRaw(request + request + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  for (int i = 0; i < 2; ++i) {
    std::optional<HttpReply> reply = client.Read();
    ASSERT_TRUE(reply) << i;
    EXPECT_EQ(reply->status, 200u);
    EXPECT_EQ(reply->Json().at("seq").as_int64(), 2);
  }
  std::optional<HttpReply> health = client.Read();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->Json().at("status").as_string(), "ok");
}

TEST_F(TlsTest, PlainHttpToTheTlsPortGetsNoAnswer) {
  ApiServer server([](ServerConfig& config) { config.tls = certificate().config(); });
  TestClient plain(server.port());
  ASSERT_TRUE(plain.connected());
  http::request<http::string_body> request(http::verb::get, "/healthz", 11);
  EXPECT_FALSE(plain.Send(std::move(request)).has_value());
}

TEST_F(TlsTest, AClientThatDoesNotTrustTheCertificateFailsTheHandshake) {
  ApiServer server([](ServerConfig& config) { config.tls = certificate().config(); });
  SelfSignedCertificate other;
  ASSERT_TRUE(other.ok());
  TlsTestClient client(server.port(), other.cert_file());
  EXPECT_TRUE(client.error());
}

TEST_F(TlsTest, AHandshakeNotCompletedWithinTheReadTimeoutIsCut) {
  ApiServer server([](ServerConfig& config) {
    config.tls = certificate().config();
    config.limits.read_timeout = std::chrono::milliseconds(200);
  });
  TestClient silent(server.port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.WaitForClose(std::chrono::seconds(20)));
}

TEST_F(TlsTest, TheAccessLogRecordsHttpsReads) {
  ApiServer server([](ServerConfig& config) {
    config.tls = certificate().config();
    TokenConfig admin = MakeToken("adm-1", "admin-token-0123456789", Role::kAdmin);
    config.tokens.push_back(std::move(admin));
  });
  TlsTestClient client(server.port(), certificate().cert_file());
  ASSERT_FALSE(client.error()) << client.error().message();
  ASSERT_EQ(client.Get("/v1/events/3", kAuditor).status, 200u);
  HttpReply log = client.Get("/v1/access-log?entity=record:3", "admin-token-0123456789");
  ASSERT_EQ(log.status, 200u) << log.body;
  ASSERT_EQ(log.Json().at("entries").as_array().size(), 1u);
  EXPECT_EQ(log.Json().at("entries").as_array()[0].at("token_id").as_string(), "aud-1");
}

// --- startup errors ---

class TlsStartupTest : public TlsTest {
 protected:
  // Starts a server on a copy of the seeded world with `tls`; its error.
  Status StartWith(const TlsConfig& tls) {
    std::string dir = CopySeededDir();
    Status status = Status::Ok();
    {
      Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
      EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
      if (ledger.ok()) {
        ServerConfig config;
        config.listen.port = 0;
        config.limits.io_threads = 1;
        config.limits.worker_threads = 2;
        config.rules = AllRulesDisabled();
        config.tls = tls;
        Server server(**ledger, std::move(config));
        status = server.Start();
      }
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return status;
  }
};

TEST_F(TlsStartupTest, AMissingCertificateFileIsAnErrorNamingIt) {
  std::string missing = certificate().dir() + "/no-such-cert.pem";
  Status status = StartWith({missing, certificate().key_file()});
  EXPECT_EQ(status.code(), ErrorCode::kIoError);
  EXPECT_EQ(status.message(), "tls.cert_file " + missing + ": no such file");
}

TEST_F(TlsStartupTest, AMissingKeyFileIsAnErrorNamingIt) {
  std::string missing = certificate().dir() + "/no-such-key.pem";
  Status status = StartWith({certificate().cert_file(), missing});
  EXPECT_EQ(status.code(), ErrorCode::kIoError);
  EXPECT_EQ(status.message(), "tls.key_file " + missing + ": no such file");
}

TEST_F(TlsStartupTest, AFileThatIsNotACertificateIsAnErrorNamingIt) {
  // The key file is PEM, but not a certificate.
  Status status = StartWith({certificate().key_file(), certificate().key_file()});
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("tls.cert_file " + certificate().key_file() + ": ", 0), 0u)
      << status.message();
}

TEST_F(TlsStartupTest, AKeyOfAnotherCertificateIsAnErrorNamingIt) {
  SelfSignedCertificate other;
  ASSERT_TRUE(other.ok());
  Status status = StartWith({certificate().cert_file(), other.key_file()});
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("tls.key_file " + other.key_file() + ": ", 0), 0u)
      << status.message();
}

TEST_F(TlsTest, TheToolsClientSpeaksHttpsAndChecksTheServersCertificate) {
  ApiServer server([](ServerConfig& config) { config.tls = certificate().config(); });
  const std::string url = server.server().url();
  Result<std::unique_ptr<HttpClient>> client =
      HttpClient::Create(url, kAuditor, certificate().cert_file());
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  for (int i = 0; i < 2; ++i) {  // the second request reuses the connection
    Result<ClientResponse> record = (*client)->Get("/v1/events/1");
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    EXPECT_EQ(record->status, 200u);
  }
  Result<ClientResponse> appended =
      (*client)->Post("/v1/events", SaleJson(server.op(), "C-1", "S-tls"));
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ(appended->status, 201u) << appended->body;

  // Another CA, or a name the certificate does not carry: no connection.
  SelfSignedCertificate other;
  ASSERT_TRUE(other.ok());
  Result<std::unique_ptr<HttpClient>> untrusting = HttpClient::Create(url, "", other.cert_file());
  ASSERT_TRUE(untrusting.ok());
  Result<ClientResponse> refused = (*untrusting)->Get("/healthz");
  EXPECT_EQ(refused.status().code(), ErrorCode::kIoError);
  EXPECT_NE(refused.status().message().find("TLS handshake"), std::string::npos);
  Result<std::unique_ptr<HttpClient>> by_name = HttpClient::Create(
      "https://localhost:" + std::to_string(server.port()), "", certificate().cert_file());
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ((*by_name)->Get("/healthz").status().code(), ErrorCode::kIoError);
  // The system store does not know a self-signed certificate either.
  Result<std::unique_ptr<HttpClient>> system_store = HttpClient::Create(url);
  ASSERT_TRUE(system_store.ok());
  EXPECT_EQ((*system_store)->Get("/healthz").status().code(), ErrorCode::kIoError);
}

TEST_F(TlsTest, TheToolsClientRefusesBadUrlsAndCaFiles) {
  EXPECT_EQ(HttpClient::Create("ftp://127.0.0.1:21").status().code(), ErrorCode::kInvalidArgument);
  Result<std::unique_ptr<HttpClient>> missing =
      HttpClient::Create("https://127.0.0.1:1", "", certificate().dir() + "/no-such-ca.pem");
  EXPECT_EQ(missing.status().code(), ErrorCode::kIoError);
  EXPECT_NE(missing.status().message().find("no-such-ca.pem"), std::string::npos);
}

TEST_F(TlsTest, SubmitPostsOverHttpsWithACaFile) {
  ApiServer server([](ServerConfig& config) { config.tls = certificate().config(); });
  const uint64_t before = server.tree_size();
  const std::string events = SaleJson(server.op(), "C-1", "S-submit-1") + "\n" +
                             SaleJson(server.op(), "C-1", "S-submit-2") + "\n";
  fupin::testing::CliResult untrusted =
      fupin::testing::RunCli({"submit", "--url", server.server().url(), "--retries", "0"}, events);
  EXPECT_NE(untrusted.exit_code, 0);
  EXPECT_EQ(server.tree_size(), before);
  fupin::testing::CliResult submitted = fupin::testing::RunCli(
      {"submit", "--url", server.server().url(), "--cacert", certificate().cert_file()}, events);
  EXPECT_EQ(submitted.exit_code, 0) << submitted.err;
  EXPECT_EQ(server.tree_size(), before + 2);
}

}  // namespace
}  // namespace fupin::api::testing
