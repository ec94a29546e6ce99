#include <boost/json/serialize.hpp>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "cli/command.h"

namespace fupin::cli {

void PrintJson(const boost::json::object& object) {
  std::cout << boost::json::serialize(object) << '\n' << std::flush;
}

int ReportFailure(std::string_view command, const Status& status, bool json) {
  std::cerr << "fupin-ledger " << command << ": " << status.ToString() << '\n';
  if (json) {
    boost::json::object error;
    error["code"] = ErrorCodeName(status.code());
    error["message"] = status.message();
    PrintJson({{"error", std::move(error)}});
  }
  switch (status.code()) {
    case ErrorCode::kDataLoss:
    case ErrorCode::kBadSignature:
      return kExitProblem;
    default:
      return kExitUsage;
  }
}

std::optional<std::string> BuiltWebRoot() {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::path(FUPIN_BUILT_WEB_ROOT) / "index.html",
                                        ec)) {
    return std::nullopt;
  }
  return std::string(FUPIN_BUILT_WEB_ROOT);
}

}  // namespace fupin::cli
