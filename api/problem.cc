#include "api/problem.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fupin::api {

unsigned HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kMalformedJson:
    case ErrorCode::kInvalidUtf8:
    case ErrorCode::kDuplicateKey:
    case ErrorCode::kNumberNotInteger:
    case ErrorCode::kNumberOutOfRange:
    case ErrorCode::kNotAnObject:
    case ErrorCode::kMalformedEvent:
    case ErrorCode::kUnknownEventType:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kBadSignature:
    case ErrorCode::kUnknownKey:
    case ErrorCode::kKeyRevoked:
    case ErrorCode::kKeyNotValid:
    case ErrorCode::kRoleNotAllowed:
    case ErrorCode::kOutOfScope:
    case ErrorCode::kNotOwnSupplier:
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kIdConflict:
    case ErrorCode::kVersionConflict:
      return 409;
    case ErrorCode::kBatchTooLarge:
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kInvalidField:
    case ErrorCode::kUnknownReference:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kAmountMismatch:
    case ErrorCode::kRefundExceedsSale:
    case ErrorCode::kInvalidUscc:
    case ErrorCode::kFlagAlreadyResolved:
      return 422;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDataLoss:
    case ErrorCode::kIoError:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {

std::string_view TitleFor(unsigned status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

}  // namespace

std::string ProblemJson(const Status& status, std::optional<std::size_t> index) {
  unsigned http = HttpStatusFor(status.code());
  boost::json::object problem{{"type", "about:blank"},
                              {"title", TitleFor(http)},
                              {"status", http},
                              {"code", ErrorCodeName(status.code())},
                              {"detail", status.message()}};
  if (index) problem["index"] = *index;
  return boost::json::serialize(problem);
}

std::string ProblemJson(unsigned http_status, std::string_view code, std::string_view detail) {
  return boost::json::serialize(ProblemObject(http_status, code, detail));
}

boost::json::object ProblemObject(unsigned http_status, std::string_view code,
                                  std::string_view detail) {
  return {{"type", "about:blank"},
          {"title", TitleFor(http_status)},
          {"status", http_status},
          {"code", code},
          {"detail", detail}};
}

}  // namespace fupin::api
