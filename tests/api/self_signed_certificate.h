// Test support: a self-signed certificate for 127.0.0.1 (OpenSSL 3, EC
// P-256) and its key as PEM files, for servers that speak HTTPS in tests.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "api/config.h"
#include "tests/support/fixtures.h"

namespace fupin::api::testing {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

// A PEM file written by OpenSSL.
template <class Write>
inline bool WritePem(const std::string& path, Write write) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  return bio && write(bio.get()) == 1;
}

// A self-signed certificate for the IP address 127.0.0.1 and its key, as
// PEM files in a temporary directory removed with the object.
class SelfSignedCertificate {
 public:
  SelfSignedCertificate() : dir_(fupin::testing::MakeTempDir("fupin-tls")) {
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    X509Ptr cert(X509_new());
    ok_ = key && cert && X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
          ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1 &&
          X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr &&
          X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) != nullptr &&
          X509_set_pubkey(cert.get(), key.get()) == 1;
    X509_NAME* name = X509_get_subject_name(cert.get());
    ok_ = ok_ &&
          X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1,
                                     0) == 1 &&
          X509_set_issuer_name(cert.get(), name) == 1;
    ExtensionPtr san(X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, "IP:127.0.0.1"));
    ok_ = ok_ && san && X509_add_ext(cert.get(), san.get(), -1) == 1 &&
          X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
    cert_file_ = dir_ + "/cert.pem";
    key_file_ = dir_ + "/key.pem";
    ok_ = ok_ &&
          WritePem(cert_file_, [&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); }) &&
          WritePem(key_file_, [&](BIO* bio) {
            return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
          });
  }
  ~SelfSignedCertificate() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  bool ok() const { return ok_; }
  const std::string& dir() const { return dir_; }
  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }
  TlsConfig config() const { return {cert_file_, key_file_}; }

 private:
  std::string dir_;
  std::string cert_file_;
  std::string key_file_;
  bool ok_ = false;
};

}  // namespace fupin::api::testing
