#include "projections/xlsx_workbook.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

namespace fupin::projections {
namespace {

// Removes the temp file however the rendering ends.
class TempFile {
 public:
  TempFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "fupin-form-XXXXXX.xlsx").string();
    int fd = mkstemps(pattern.data(), 5);
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    if (!path_.empty()) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct WorkbookCloser {
  void operator()(lxw_workbook* workbook) const {
    if (workbook != nullptr) workbook_close(workbook);
  }
};

}  // namespace

Result<std::string> RenderWorkbook(const std::function<void(lxw_workbook*)>& write) {
  TempFile file;
  if (file.path().empty()) {
    return Status(ErrorCode::kIoError, "cannot create a temp file for the xlsx workbook");
  }
  std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(workbook_new(file.path().c_str()));
  if (workbook == nullptr) {
    return Status(ErrorCode::kIoError, "cannot start an xlsx workbook at " + file.path());
  }
  write(workbook.get());
  lxw_error closed = workbook_close(workbook.release());
  if (closed != LXW_NO_ERROR) {
    return Status(ErrorCode::kIoError,
                  std::string("writing the xlsx workbook: ") + lxw_strerror(closed));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return Status(ErrorCode::kIoError, "reading back the xlsx workbook " + file.path());
  }
  return bytes;
}

}  // namespace fupin::projections
