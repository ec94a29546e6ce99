#include "intake/csv_reader.h"

#include <string>

namespace fupin::intake {
namespace {

// One pass over the text, a small state machine per RFC 4180 §2. Lines are
// counted at every line end, inside quotes too, so a row's line is the one
// a spreadsheet user sees in an editor.
class CsvParser {
 public:
  explicit CsvParser(std::string_view text) : text_(text) {}

  Result<std::vector<CsvRow>> Parse() {
    while (pos_ < text_.size()) {
      if (AtLineEnd()) {
        if (row_open_) {
          EndRow();
        }
        SkipLineEnd();
        continue;
      }
      if (!row_open_) {
        row_open_ = true;
        row_.line = line_;
      }
      FUPIN_RETURN_IF_ERROR(ReadField());
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        // A trailing comma ends the line with one more (empty) field.
        if (pos_ == text_.size() || AtLineEnd()) row_.fields.emplace_back();
      }
    }
    if (row_open_) EndRow();
    return std::move(rows_);
  }

 private:
  bool AtLineEnd() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

  // "\r\n", "\n" or a lone "\r" (old Mac exports) is one line end.
  void SkipLineEnd() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  void EndRow() {
    rows_.push_back(std::move(row_));
    row_ = CsvRow{};
    row_open_ = false;
  }

  Status Error(std::size_t line, std::string_view what) const {
    return Status(ErrorCode::kInvalidArgument,
                  "CSV line " + std::to_string(line) + ": " + std::string(what));
  }

  // Reads one field; stops at a comma, a line end or the end of the text.
  Status ReadField() {
    std::string field;
    if (text_[pos_] == '"') {
      const std::size_t opened_on = line_;
      ++pos_;
      while (true) {
        if (pos_ == text_.size()) {
          return Error(opened_on, "a quoted field is not closed before the end of the file");
        }
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\r' || c == '\n') {
          // Kept as "\n" whatever the file used, counted as a new line.
          field.push_back('\n');
          SkipLineEnd();
          continue;
        }
        field.push_back(c);
        ++pos_;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
        return Error(line_, "text after the closing quote of a field");
      }
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
        if (text_[pos_] == '"') {
          return Error(line_, "a quote inside an unquoted field (quote the whole field)");
        }
        field.push_back(text_[pos_]);
        ++pos_;
      }
    }
    row_.fields.push_back(std::move(field));
    return Status::Ok();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool row_open_ = false;
  CsvRow row_;
  std::vector<CsvRow> rows_;
};

}  // namespace

Result<std::vector<CsvRow>> ParseCsv(std::string_view utf8) { return CsvParser(utf8).Parse(); }

}  // namespace fupin::intake
