#include "cli/report_intake.h"

#include <chrono>

#include "ledger/canonical_json.h"
#include "ledger/event.h"
#include "ledger/random.h"
#include "ledger/signing.h"
#include "ledger/time.h"

namespace fupin::cli {

Result<std::string> SignReportEvent(const intake::ReportForm& form,
                                    const crypto::EventSigningKey& key, const std::string& key_id,
                                    std::string occurred_at) {
  if (occurred_at.empty()) {
    occurred_at = FormatShanghaiSeconds(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  }
  FUPIN_ASSIGN_OR_RETURN(std::string id, NewUuid());
  boost::json::object event{
      {"id", id},      {"type", "report.submitted"}, {"v", 1},
      {"key", key_id}, {"occurred_at", occurred_at}, {"body", intake::ReportBodyJson(form)}};
  FUPIN_ASSIGN_OR_RETURN(boost::json::object signed_event, SignEvent(std::move(event), key));
  std::string out = json::Canonicalize(signed_event);
  // Refuse to emit what the ledger would refuse as malformed.
  FUPIN_RETURN_IF_ERROR(ParseEnvelope(out).status());
  return out;
}

}  // namespace fupin::cli
