// Times as platforms export them ("2020-09-05 10:15:00", "2020/9/5 10:15")
// to the RFC 3339 occurred_at of an event, given the map's time format and
// the offset the platform's clock keeps.
#pragma once

#include <string>
#include <string_view>

#include "ledger/status.h"

namespace fupin::intake {

// `format` as sales_map.h describes it: %Y four digits; %m %d %H %M %S one
// or two digits; %% a percent sign; any other character itself. Missing
// %H, %M or %S read as 0. "rfc3339" takes the cell as it is, which must
// then carry its own offset. The result is "YYYY-MM-DDTHH:MM:SS" + zone
// ("2020-09-05T10:15:00+08:00"). kInvalidField with the reason when the
// cell does not follow the format or names no real date and time.
Result<std::string> LocalTimeToRfc3339(std::string_view cell, std::string_view format,
                                       std::string_view zone);

}  // namespace fupin::intake
