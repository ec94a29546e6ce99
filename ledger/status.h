// Errors as values: the one error vocabulary of the ledger.
//
// Every fallible function at a module boundary returns Status or Result<T>.
// Exceptions never cross from ledger/ (or rules/) into api/. Each ErrorCode
// has a stable wire name (ErrorCodeName) used as the `code` of problem+json
// answers; the mapping to HTTP statuses lives in exactly one place in api/.
//
// Which code to use:
//   malformed input that cannot be read as an event at all  -> kMalformed...
//   a readable event that breaks a rule of the catalog      -> kInvalid...
//   the signer may not append this event                    -> kForbidden...
//   same id/other content, or a stale expected_version      -> kConflict...
//   stored bytes that do not prove what they claim          -> kDataLoss
//   the environment failed (disk, RocksDB, files)           -> kIoError
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace fupin {

enum class ErrorCode {
  kOk = 0,
  // The request or command line itself is wrong (usage errors).
  kInvalidArgument,
  // Malformed: the bytes are not a well-formed event (HTTP 400).
  kMalformedJson,     // not JSON, truncated, trailing garbage, too deep
  kInvalidUtf8,       // strings that are not valid UTF-8
  kDuplicateKey,      // an object repeats a member name
  kNumberNotInteger,  // a number with a fraction or an exponent
  kNumberOutOfRange,  // an integer outside +/-(2^53-1)
  kNotAnObject,       // the event is not a JSON object
  kMalformedEvent,    // envelope fields missing, of the wrong type, unknown
  kUnknownEventType,  // type/v pair not in the catalog
  // Forbidden: the signature or the key does not allow the append (403).
  kBadSignature,
  kUnknownKey,
  kKeyRevoked,
  kKeyNotValid,  // outside not_before..not_after at recorded_at
  kRoleNotAllowed,
  kOutOfScope,
  kNotOwnSupplier,  // supplier key paying for another supplier
  // Invalid: readable, signed, but breaks the catalog's rules (422).
  kInvalidField,      // a body field missing, of the wrong type or value
  kUnknownReference,  // names a product/outlet/region/... not recorded
  kAlreadyExists,     // registers an entity that already exists
  kAmountMismatch,    // amount_fen != quantity * unit_price_fen
  kRefundExceedsSale,
  kInvalidUscc,  // 统一社会信用代码 check character wrong
  kFlagAlreadyResolved,
  kBatchTooLarge,
  // Conflict (409).
  kIdConflict,       // same event id, other content
  kVersionConflict,  // expected_version does not match the stream head
  // Requests (HTTP layer).
  kUnauthenticated,       // no or unknown bearer token (401)
  kPermissionDenied,      // the token's role or region may not read this (403)
  kPayloadTooLarge,       // body over the configured limit (413)
  kUnsupportedMediaType,  // not application/json (415)
  // Lookups.
  kNotFound,
  // Integrity and environment.
  kDataLoss,  // tampering or corruption detected
  kIoError,
  kUnavailable,  // shutting down, overloaded
  kInternal,
};

// Stable snake_case name, e.g. "bad_signature". Never changes once released.
std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "code: message", for logs and CLI output.
  std::string ToString() const;

  // Prefixes the message with context ("body.payments[2]: ...").
  Status WithContext(std::string_view context) const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or an error. Accessing value() of an error is a programming error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace fupin

// Returns the Status of a failed expression from the enclosing function.
#define FUPIN_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::fupin::Status fupin_status_ = (expr);        \
    if (!fupin_status_.ok()) return fupin_status_; \
  } while (0)

// Evaluates `rexpr` (a Result<T>); on error returns its Status from the
// enclosing function, else moves the value into `lhs`, a declaration
// ("Result<Envelope> e = Parse(x); if (!e.ok()) ..." becomes
// FUPIN_ASSIGN_OR_RETURN(Envelope e, Parse(x))) or an existing variable.
// abseil's ASSIGN_OR_RETURN; `lhs` may not contain an unparenthesized comma.
#define FUPIN_ASSIGN_OR_RETURN(lhs, ...) \
  FUPIN_ASSIGN_OR_RETURN_IMPL_(FUPIN_CONCAT_(fupin_result_, __LINE__), lhs, (__VA_ARGS__))
#define FUPIN_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = rexpr;                                   \
  if (!result.ok()) return result.status();              \
  lhs = std::move(result).value()
#define FUPIN_CONCAT_INNER_(a, b) a##b
#define FUPIN_CONCAT_(a, b) FUPIN_CONCAT_INNER_(a, b)
