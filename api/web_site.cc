#include "api/web_site.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "api/handlers.h"
#include "api/problem.h"
#include "api/response.h"

namespace fupin::api {
namespace fs = std::filesystem;
namespace {

// index.html names the current build's assets: always revalidate it (a
// 304 costs one round trip), so a new build is seen on the next load.
inline constexpr std::string_view kIndexCacheControl = "no-cache";

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot read " + path.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status(ErrorCode::kIoError, "cannot read " + path.string());
  return bytes;
}

}  // namespace

std::string_view WebContentType(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (file_name.size() > extension.size() && file_name.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

Result<WebSite> WebSite::Load(const std::string& dir) {
  WebSite site;
  std::size_t total = 0;
  auto add = [&](const fs::path& path, std::string key) -> Status {
    FUPIN_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
    total += bytes.size();
    if (total > kMaxWebSiteBytes) {
      return Status(ErrorCode::kInvalidArgument,
                    "web root " + dir + " holds more than " +
                        std::to_string(kMaxWebSiteBytes / (1024 * 1024)) +
                        " MiB; is it the built page (web/dist)?");
    }
    std::string type(WebContentType(key));
    site.files_.emplace(std::move(key), WebFile{std::move(type), std::move(bytes)});
    return Status::Ok();
  };
  std::error_code ec;
  fs::path root(dir);
  if (!fs::is_regular_file(root / "index.html", ec)) {
    return Status(ErrorCode::kIoError,
                  "web root " + dir + " has no index.html (build the page: scripts/build-web.sh)");
  }
  if (Status added = add(root / "index.html", "index.html"); !added.ok()) return added;
  fs::path assets = root / "assets";
  if (fs::is_directory(assets, ec)) {
    for (fs::directory_iterator it(assets, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string name = it->path().filename().string();
      if (Status added = add(it->path(), "assets/" + name); !added.ok()) return added;
    }
    if (ec)
      return Status(ErrorCode::kIoError, "cannot list " + assets.string() + ": " + ec.message());
  }
  return site;
}

Response WebSite::Serve(const Request& request, const std::vector<std::string>& segments) const {
  std::string key;
  bool index = segments.empty() || (segments.size() == 1 && segments[0].empty());
  if (index) {
    key = "index.html";
  } else if (segments.size() == 2 && segments[0] == "assets") {
    key = "assets/" + segments[1];
  }
  auto file = key.empty() ? files_.end() : files_.find(key);
  if (file == files_.end()) {
    return ProblemResponse(request, Status(ErrorCode::kNotFound, "no such path"));
  }
  Response response =
      MakeResponse(request, http::status::ok, file->second.content_type, file->second.body);
  response.set("Content-Security-Policy", kWebContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set(http::field::x_frame_options, "DENY");
  MarkCacheable(request, response, index ? kIndexCacheControl : kImmutableCacheControl);
  return response;
}

Response GetWebPage(const Call& call) {
  if (call.state.web == nullptr) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kNotFound, "this server serves no web page"));
  }
  return call.state.web->Serve(call.request, call.target.segments);
}

}  // namespace fupin::api
