// A read 市州 form as a signed report.submitted: what `report import` and
// the demo's reports share.
#pragma once

#include <string>

#include "intake/report_form.h"
#include "ledger/event_key.h"
#include "ledger/status.h"

namespace fupin::cli {

// The form's report.submitted with a fresh id (each report is a new act),
// v 1, `key_id` and `occurred_at` (RFC 3339; empty: now in +08:00),
// signed with `key`, in canonical form. Errors: the envelope's own, should
// the result not parse back (it always should).
Result<std::string> SignReportEvent(const intake::ReportForm& form,
                                    const crypto::EventSigningKey& key, const std::string& key_id,
                                    std::string occurred_at);

}  // namespace fupin::cli
