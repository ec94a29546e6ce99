// A small synchronous HTTP/1.1 client for the ledger's own tools
// (`fupin-ledger submit`, the demo, benchmarks): one keep-alive connection,
// reconnecting once when the server closed it between requests. Speaks
// HTTPS for https:// URLs: TLS ≥ 1.2, the server's certificate verified
// against the system's CA store or the given CA file, and its name (or IP
// address) checked against the URL's host.
//
// Not thread-safe: one client per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::api {

struct ClientResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  // base_url: "http://HOST:PORT" or "https://HOST:PORT" (a path, if any,
  // is ignored). ca_file: PEM certificates to trust for https instead of
  // the system's store (a self-signed server). Errors: kInvalidArgument for
  // another scheme or a malformed URL, kIoError for a CA file that cannot
  // be loaded.
  static Result<std::unique_ptr<HttpClient>> Create(std::string_view base_url,
                                                    std::string bearer_token = "",
                                                    const std::string& ca_file = "");
  ~HttpClient();

  // Sends one request; kIoError when the server cannot be reached, its
  // certificate is not trusted, or the connection fails mid-request (after
  // one reconnect attempt).
  Result<ClientResponse> Post(std::string_view target, std::string body,
                              std::string_view content_type = "application/json");
  Result<ClientResponse> Get(std::string_view target);

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fupin::api
