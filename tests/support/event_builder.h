// Test support: real signed events and a small campaign world on a fresh
// ledger, so tests exercise the same bytes the ledger sees in production.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/crypto.h"
#include "ledger/event.h"
#include "ledger/event_key.h"
#include "ledger/ledger.h"

namespace fupin::testing {

// A key with an id: Ed25519 deterministic from a seed byte, or any key.
class TestSigner {
 public:
  TestSigner(uint8_t seed_byte, std::string key_id);
  TestSigner(crypto::EventSigningKey key, std::string key_id);
  // An SM2 key whose scalar d is 32 bytes of `seed_byte` (deterministic).
  static TestSigner Sm2(uint8_t seed_byte, std::string key_id);

  const std::string& key_id() const { return key_id_; }
  const crypto::EventSigningKey& key() const { return key_; }
  std::string public_b64() const;

  // The signed event as JSON text. id defaults to a fresh deterministic UUID.
  std::string SignJson(const std::string& type, boost::json::object body,
                       const std::string& occurred_at = "2020-09-05T10:15:00+08:00",
                       std::optional<int64_t> expected_version = std::nullopt,
                       std::optional<std::string> id = std::nullopt) const;
  // The same, parsed (fails the test if the envelope is malformed).
  Envelope Sign(const std::string& type, boost::json::object body,
                const std::string& occurred_at = "2020-09-05T10:15:00+08:00",
                std::optional<int64_t> expected_version = std::nullopt,
                std::optional<std::string> id = std::nullopt) const;

 private:
  std::string key_id_;
  crypto::EventSigningKey key_;
};

// A deterministic lower-case UUID from a counter.
std::string TestUuid(uint64_t n);

// A clock that advances 1 ms per reading from 2020-09-05T02:15:00Z.
Clock TestClock();

// A ledger in a temp directory, initialised with `admin`, removed at
// destruction. Regions and keys of the "world" are registered by
// SeedWorld().
class TestLedger {
 public:
  TestLedger();
  ~TestLedger();

  Ledger& ledger() { return *ledger_; }
  const std::string& dir() const { return dir_; }
  void Reopen();  // closes and opens again (restart)
  void Close();

  // Registers: province 430000, prefectures 430100 and 433100, counties
  // 430102 and 433127 (poverty county); keys certifier, operator (scope
  // 430100), supplier (for supplier SUP-1), reporter, supervisor;
  // campaign CAMP-1; supplier SUP-1 in 433127; household H-1; product P-1
  // (origin 433127); outlet C-1 (counter in 430102).
  void SeedWorld();

  // Appends one event, failing the test if it is not appended.
  AppendedEvent MustAppend(const Envelope& envelope);
  // Appends one event, returning the full result.
  AppendResult TryAppend(const Envelope& envelope);

  TestSigner admin{1, "admin"};
  TestSigner certifier{2, "certifier-1"};
  TestSigner op{3, "operator-1"};
  TestSigner supplier{4, "supplier-1"};
  TestSigner reporter{5, "reporter-1"};
  TestSigner supervisor{6, "supervisor-1"};
  TestSigner stranger{7, "stranger"};

 private:
  std::string dir_;
  std::unique_ptr<Ledger> ledger_;
};

// Bodies of common events (valid against the seeded world).
boost::json::object RegionBody(const std::string& code, const std::string& name,
                               const std::string& level, const std::string& parent, bool poverty);
boost::json::object KeyBody(const TestSigner& signer, std::vector<std::string> roles,
                            std::vector<std::string> regions, const std::string& supplier_id = "");
boost::json::object SaleBody(const std::string& sale_id, int64_t quantity, int64_t unit_price_fen);

}  // namespace fupin::testing
