// The server's TLS context: its certificate chain and private key, loaded
// from the PEM files of the "tls" config member when the server starts.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "api/config.h"
#include "ledger/status.h"

namespace fupin::api {

// A TLS 1.2+ server context holding the chain and key. Errors name the
// file: kIoError when it cannot be read, kInvalidArgument when it is not
// PEM of the expected kind or the key does not belong to the certificate.
// The context is read-only once returned; sessions share it.
Result<std::unique_ptr<boost::asio::ssl::context>> LoadTlsContext(const TlsConfig& tls);

}  // namespace fupin::api
