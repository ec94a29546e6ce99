// Writing an .xlsx workbook to bytes with libxlsxwriter, which writes only
// to files: the workbook goes through a private temp file that is removed
// however the rendering ends. The projections' XLSX renderers share it.
#pragma once

#include <xlsxwriter.h>

#include <functional>
#include <string>

#include "ledger/status.h"

namespace fupin::projections {

// Starts a workbook, lets `write` add its sheets, closes it and returns its
// bytes. Errors: kIoError when the temp file cannot be written or read.
Result<std::string> RenderWorkbook(const std::function<void(lxw_workbook*)>& write);

}  // namespace fupin::projections
