// The supervisor web page (web/, built into static files): loaded into
// memory once when the server starts and served at `/` beside the REST API.
//
// The built site is `index.html` plus content-hashed files under `assets/`
// (web/vite.config.js). Only those are served: GET / is index.html
// (revalidated on every load, so a new build is picked up), GET
// /assets/NAME is one asset (immutable: its name changes with its bytes).
// Anything else is 404 — there is no path from a request to the file
// system, so no traversal can exist. Every answer carries a
// Content-Security-Policy that lets the page talk to its own origin only
// (no external requests, no inline script).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "ledger/status.h"

namespace fupin::api {

// Limits what a misconfigured web_root (a home directory, say) can make the
// server read into memory; the built page is about 1.5 MiB.
inline constexpr std::size_t kMaxWebSiteBytes = 64 * 1024 * 1024;

// The page's own origin only: scripts and styles from the bundle, XHR to
// the API on the same origin, images inline (ECharts renders to canvas).
// 'unsafe-inline' for styles only: ECharts positions its tooltip with style
// attributes.
inline constexpr std::string_view kWebContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'none'";

struct WebFile {
  std::string content_type;
  std::string body;
};

// Immutable after Load; safe to read from many threads.
class WebSite {
 public:
  // Reads DIR/index.html and every regular file directly under DIR/assets.
  // Errors: kIoError naming the path (no directory, no index.html, an
  // unreadable file), kInvalidArgument when the files exceed
  // kMaxWebSiteBytes.
  static Result<WebSite> Load(const std::string& dir);

  // The answer to GET `target` (segments of the path, percent-decoded):
  // 200 with the file, or 404. Sets Content-Type, ETag (quoted SHA-256),
  // Cache-Control, the security headers, and 304 on a matching
  // If-None-Match.
  Response Serve(const Request& request, const std::vector<std::string>& segments) const;

  std::size_t file_count() const { return files_.size(); }

 private:
  std::map<std::string, WebFile, std::less<>> files_;  // "index.html", "assets/NAME"
};

// The media type of a file name by its extension (text types in UTF-8);
// application/octet-stream for unknown ones.
std::string_view WebContentType(std::string_view file_name);

}  // namespace fupin::api
