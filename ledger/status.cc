#include "ledger/status.h"

namespace fupin {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kMalformedJson:
      return "malformed_json";
    case ErrorCode::kInvalidUtf8:
      return "invalid_utf8";
    case ErrorCode::kDuplicateKey:
      return "duplicate_key";
    case ErrorCode::kNumberNotInteger:
      return "number_not_integer";
    case ErrorCode::kNumberOutOfRange:
      return "number_out_of_range";
    case ErrorCode::kNotAnObject:
      return "not_an_object";
    case ErrorCode::kMalformedEvent:
      return "malformed_event";
    case ErrorCode::kUnknownEventType:
      return "unknown_event_type";
    case ErrorCode::kBadSignature:
      return "bad_signature";
    case ErrorCode::kUnknownKey:
      return "unknown_key";
    case ErrorCode::kKeyRevoked:
      return "key_revoked";
    case ErrorCode::kKeyNotValid:
      return "key_not_valid";
    case ErrorCode::kRoleNotAllowed:
      return "role_not_allowed";
    case ErrorCode::kOutOfScope:
      return "out_of_scope";
    case ErrorCode::kNotOwnSupplier:
      return "not_own_supplier";
    case ErrorCode::kInvalidField:
      return "invalid_field";
    case ErrorCode::kUnknownReference:
      return "unknown_reference";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kAmountMismatch:
      return "amount_mismatch";
    case ErrorCode::kRefundExceedsSale:
      return "refund_exceeds_sale";
    case ErrorCode::kInvalidUscc:
      return "invalid_uscc";
    case ErrorCode::kFlagAlreadyResolved:
      return "flag_already_resolved";
    case ErrorCode::kBatchTooLarge:
      return "batch_too_large";
    case ErrorCode::kIdConflict:
      return "id_conflict";
    case ErrorCode::kVersionConflict:
      return "version_conflict";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kDataLoss:
      return "data_loss";
    case ErrorCode::kIoError:
      return "io_error";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(ErrorCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message_;
  return Status(code_, std::move(msg));
}

}  // namespace fupin
