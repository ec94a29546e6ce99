#include "api/tls_context.h"

#include <filesystem>
#include <fstream>

namespace fupin::api {
namespace {

namespace ssl = boost::asio::ssl;

// Readable as a file: a clearer message than OpenSSL's for the usual
// mistakes (wrong path, wrong permissions).
Status CheckReadable(const std::string& path, std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status(ErrorCode::kIoError, std::string(what) + " " + path + ": no such file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, std::string(what) + " " + path + ": cannot be read");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<ssl::context>> LoadTlsContext(const TlsConfig& tls) {
  FUPIN_RETURN_IF_ERROR(CheckReadable(tls.cert_file, "tls.cert_file"));
  FUPIN_RETURN_IF_ERROR(CheckReadable(tls.key_file, "tls.key_file"));
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  // TLS 1.0 and 1.1 are deprecated (RFC 8996); no compression (CRIME).
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::no_compression | ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain_file(tls.cert_file, ec);
  if (ec) {
    return Status(
        ErrorCode::kInvalidArgument,
        "tls.cert_file " + tls.cert_file + ": not a PEM certificate chain (" + ec.message() + ")");
  }
  context->use_private_key_file(tls.key_file, ssl::context::pem, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidArgument,
                  "tls.key_file " + tls.key_file +
                      ": not a PEM private key of the certificate in " + tls.cert_file + " (" +
                      ec.message() + ")");
  }
  return context;
}

}  // namespace fupin::api
