#include <boost/json/serialize.hpp>
#include <iostream>

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

}  // namespace fupin::cli
