// The HTTP message types shared by the router, the handlers and the session.
//
// Bodies are plain strings: requests are bounded by the configured body
// limit before they reach a handler, and responses are built whole by the
// handlers (records are spliced in as the ledger stored them).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace fupin::api {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

}  // namespace fupin::api
