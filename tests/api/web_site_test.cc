// The web page at / (api/web_site.h): the built files only, with their
// types, validators, caching and security headers; nothing else of the
// file system; a missing build is a startup error, no web root a 404.
#include "api/web_site.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "api/response.h"
#include "tests/api/server_fixture.h"

namespace fupin::api::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndex = "<!doctype html><title>监督平台</title>";
constexpr std::string_view kScript = "console.log('账本');";

void WriteFile(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// A built page (index.html, two hashed assets) beside a file that must
// never be served.
class WebRoot {
 public:
  WebRoot() : dir_(fupin::testing::MakeTempDir("fupin-web-root")) {
    WriteFile(root() / "index.html", kIndex);
    WriteFile(root() / "assets" / "index-Ab12.js", kScript);
    WriteFile(root() / "assets" / "index-Cd34.css", "body{}");
    WriteFile(root() / "assets" / "nested" / "deep.js", "nested");
    WriteFile(fs::path(dir_) / "secret.txt", "not for the web");
  }
  ~WebRoot() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path root() const { return fs::path(dir_) / "dist"; }

 private:
  std::string dir_;
};

ApiServer::Tweak Serving(const WebRoot& web) {
  return [root = web.root().string()](ServerConfig& config) { config.web_root = root; };
}

TEST(WebSite, IndexIsServedWithItsTypeValidatorAndSecurityHeaders) {
  WebRoot web;
  ApiServer server(Serving(web));
  TestClient client(server.port());
  HttpReply index = client.Get("/");
  ASSERT_EQ(index.status, 200u) << index.body;
  EXPECT_EQ(index.body, kIndex);
  EXPECT_EQ(index.Header(http::field::content_type), "text/html; charset=utf-8");
  EXPECT_EQ(index.Header(http::field::cache_control), "no-cache");
  EXPECT_EQ(index.headers["Content-Security-Policy"], kWebContentSecurityPolicy);
  EXPECT_NE(index.headers["Content-Security-Policy"].find("connect-src 'self'"), std::string::npos);
  EXPECT_EQ(index.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(index.Header(http::field::x_frame_options), "DENY");
  std::string etag = index.Header(http::field::etag);
  ASSERT_EQ(etag.size(), 66u);

  http::request<http::string_body> again(http::verb::get, "/", 11);
  again.set(http::field::if_none_match, etag);
  std::optional<HttpReply> revalidated = client.Send(std::move(again));
  ASSERT_TRUE(revalidated);
  EXPECT_EQ(revalidated->status, 304u);
  EXPECT_TRUE(revalidated->body.empty());
}

TEST(WebSite, AssetsAreImmutableWithTheirTypes) {
  WebRoot web;
  ApiServer server(Serving(web));
  TestClient client(server.port());
  HttpReply script = client.Get("/assets/index-Ab12.js");
  ASSERT_EQ(script.status, 200u);
  EXPECT_EQ(script.body, kScript);
  EXPECT_EQ(script.Header(http::field::content_type), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.Header(http::field::cache_control), kImmutableCacheControl);
  HttpReply style = client.Get("/assets/index-Cd34.css");
  ASSERT_EQ(style.status, 200u);
  EXPECT_EQ(style.Header(http::field::content_type), "text/css; charset=utf-8");
}

TEST(WebSite, NothingElseOfTheFileSystemIsReachable) {
  WebRoot web;
  ApiServer server(Serving(web));
  TestClient client(server.port());
  for (const std::string target :
       {"/index.html", "/secret.txt", "/assets/missing.js", "/assets/nested/deep.js",
        "/assets/../secret.txt", "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e",
        "/dist/index.html", "/assets/", "/assets"}) {
    HttpReply reply = client.Get(target);
    EXPECT_EQ(reply.status, 404u) << target << ": " << reply.body;
    EXPECT_EQ(reply.Code(), "not_found") << target;
    EXPECT_EQ(reply.body.find("not for the web"), std::string::npos) << target;
  }
  HttpReply post = client.Post("/", "{}");
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.Header(http::field::allow), "GET");
  // The API beside it is untouched.
  EXPECT_EQ(client.Get("/healthz").status, 200u);
}

TEST(WebSite, WithoutAWebRootThePageIsNotFound) {
  ApiServer server;
  TestClient client(server.port());
  HttpReply index = client.Get("/");
  EXPECT_EQ(index.status, 404u);
  EXPECT_EQ(index.Code(), "not_found");
  EXPECT_EQ(client.Get("/assets/index-Ab12.js").status, 404u);
}

TEST(WebSite, LoadRefusesAMissingBuild) {
  WebRoot web;
  Result<WebSite> missing = WebSite::Load((web.root() / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIoError);
  EXPECT_NE(missing.status().message().find("index.html"), std::string::npos);

  Result<WebSite> assets_only = WebSite::Load((web.root() / "assets").string());
  EXPECT_EQ(assets_only.status().code(), ErrorCode::kIoError);

  Result<WebSite> loaded = WebSite::Load(web.root().string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->file_count(), 3u);  // index.html and the two assets, not nested/
}

TEST(WebSite, AServerWithAMissingBuildDoesNotStart) {
  std::string dir = CopySeededDir();
  {
    Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ServerConfig config;
    config.listen.port = 0;
    config.web_root = dir + "/no-such-web-root";
    config.rules = AllRulesDisabled();
    Server server(**ledger, std::move(config));
    Status started = server.Start();
    EXPECT_EQ(started.code(), ErrorCode::kIoError);
    EXPECT_NE(started.message().find("no-such-web-root"), std::string::npos);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

TEST(WebSite, ContentTypesByExtension) {
  EXPECT_EQ(WebContentType("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(WebContentType("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(WebContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(WebContentType("a.woff2"), "font/woff2");
  EXPECT_EQ(WebContentType("a.wasm"), "application/octet-stream");
  EXPECT_EQ(WebContentType(".js"), "application/octet-stream");
}

}  // namespace
}  // namespace fupin::api::testing
