#include "intake/xlsx_reader.h"

#include <zip.h>

#include <charconv>
#include <memory>
#include <pugixml.hpp>

namespace fupin::intake {
namespace {

// The relationship type of a worksheet (ECMA-376 Part 1, §12.3.24), in its
// transitional namespace; strict files use the purl.oclc.org one.
inline constexpr std::string_view kWorksheetRelSuffix = "/relationships/worksheet";

Status NotAWorkbook(std::string reason) {
  return Status(ErrorCode::kInvalidArgument, "not a readable .xlsx workbook: " + reason);
}

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

Result<Archive> OpenArchive(std::string_view bytes) {
  if (bytes.size() > kMaxWorkbookBytes) {
    return NotAWorkbook("larger than " + std::to_string(kMaxWorkbookBytes / (1024 * 1024)) +
                        " MiB");
  }
  zip_error_t error;
  zip_error_init(&error);
  // The source does not own the bytes (freep = 0); they outlive the archive.
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return NotAWorkbook("cannot read the bytes");
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    return NotAWorkbook("not a ZIP container (" + reason + ")");
  }
  zip_error_fini(&error);
  return Archive(archive);
}

// The part's bytes; nullopt-like empty Result when absent and optional.
Result<std::string> ReadPart(zip_t* archive, const std::string& name, bool required) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive, name.c_str(), 0, &stat) != 0) {
    if (!required) return std::string();
    return NotAWorkbook("the part " + name + " is missing");
  }
  if ((stat.valid & ZIP_STAT_SIZE) == 0 || stat.size > kMaxPartBytes) {
    return NotAWorkbook("the part " + name + " is too large or of unknown size");
  }
  std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen(archive, name.c_str(), 0));
  if (file == nullptr) return NotAWorkbook("cannot open the part " + name);
  std::string out(static_cast<std::size_t>(stat.size), '\0');
  zip_int64_t read = zip_fread(file.get(), out.data(), out.size());
  if (read < 0 || static_cast<uint64_t>(read) != stat.size) {
    return NotAWorkbook("the part " + name + " is damaged");
  }
  return out;
}

Result<pugi::xml_document> ParsePart(const std::string& name, const std::string& bytes) {
  pugi::xml_document document;
  // No DTD processing and no external entities: pugixml resolves neither.
  pugi::xml_parse_result parsed = document.load_buffer(bytes.data(), bytes.size());
  if (!parsed) {
    return NotAWorkbook("the part " + name + " is not well-formed XML (" + parsed.description() +
                        " at byte " + std::to_string(parsed.offset) + ")");
  }
  return document;
}

// Element names without their namespace prefix (x:c and c are the same).
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_node child : node.children()) {
    if (LocalName(child) == local) return child;
  }
  return {};
}

// The text of a string item (<si> or <is>): its <t>, or its rich-text runs'
// <t>s in order; phonetic runs (<rPh>) are not part of the value.
std::string StringItemText(const pugi::xml_node& item) {
  std::string text;
  for (pugi::xml_node child : item.children()) {
    const std::string_view name = LocalName(child);
    if (name == "t") {
      text += child.text().get();
    } else if (name == "r") {
      if (pugi::xml_node t = Child(child, "t")) text += t.text().get();
    }
  }
  return text;
}

// "B12" -> (12, 1); false when not a cell reference.
bool ParseCellRef(std::string_view ref, uint32_t& row, uint32_t& column) {
  std::size_t i = 0;
  uint64_t col = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    col = col * 26 + static_cast<uint64_t>(ref[i] - 'A' + 1);
    if (col > 16384) return false;  // Excel's last column, XFD
    ++i;
  }
  if (i == 0 || i == ref.size()) return false;
  uint64_t r = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return false;
    r = r * 10 + static_cast<uint64_t>(ref[i] - '0');
    if (r > 1048576) return false;  // Excel's last row
  }
  if (r == 0) return false;
  row = static_cast<uint32_t>(r);
  column = static_cast<uint32_t>(col - 1);
  return true;
}

// The sheet's part name: the workbook's <sheet> of that name (or the first)
// through the workbook's relationships.
Result<std::pair<std::string, std::string>> FindSheetPart(zip_t* archive,
                                                          std::string_view preferred) {
  FUPIN_ASSIGN_OR_RETURN(std::string workbook_xml, ReadPart(archive, "xl/workbook.xml", true));
  FUPIN_ASSIGN_OR_RETURN(pugi::xml_document workbook, ParsePart("xl/workbook.xml", workbook_xml));
  pugi::xml_node sheets = Child(Child(workbook, "workbook"), "sheets");
  pugi::xml_node chosen;
  for (pugi::xml_node sheet : sheets.children()) {
    if (LocalName(sheet) != "sheet") continue;
    if (!chosen) chosen = sheet;
    if (preferred == sheet.attribute("name").value()) {
      chosen = sheet;
      break;
    }
  }
  if (!chosen) return NotAWorkbook("the workbook has no sheet");
  std::string rel_id;
  for (pugi::xml_attribute attribute : chosen.attributes()) {
    std::string_view name = attribute.name();
    if (name == "r:id" || (name.size() > 3 && name.substr(name.size() - 3) == ":id")) {
      rel_id = attribute.value();
    }
  }
  FUPIN_ASSIGN_OR_RETURN(std::string rels_xml,
                         ReadPart(archive, "xl/_rels/workbook.xml.rels", true));
  FUPIN_ASSIGN_OR_RETURN(pugi::xml_document rels,
                         ParsePart("xl/_rels/workbook.xml.rels", rels_xml));
  for (pugi::xml_node rel : Child(rels, "Relationships").children()) {
    if (rel_id != rel.attribute("Id").value()) continue;
    std::string_view type = rel.attribute("Type").value();
    if (type.size() < kWorksheetRelSuffix.size() ||
        type.substr(type.size() - kWorksheetRelSuffix.size()) != kWorksheetRelSuffix) {
      return NotAWorkbook("the sheet " + std::string(chosen.attribute("name").value()) +
                          " is not a worksheet (a chart sheet?)");
    }
    std::string target = rel.attribute("Target").value();
    // Targets are relative to xl/, or absolute from the package root.
    std::string part = target.starts_with('/') ? target.substr(1) : "xl/" + target;
    return std::make_pair(std::string(chosen.attribute("name").value()), part);
  }
  return NotAWorkbook("the workbook names no part for its sheet");
}

Result<std::vector<std::string>> ReadSharedStrings(zip_t* archive) {
  FUPIN_ASSIGN_OR_RETURN(std::string xml, ReadPart(archive, "xl/sharedStrings.xml", false));
  std::vector<std::string> strings;
  if (xml.empty()) return strings;
  FUPIN_ASSIGN_OR_RETURN(pugi::xml_document document, ParsePart("xl/sharedStrings.xml", xml));
  for (pugi::xml_node item : Child(document, "sst").children()) {
    if (LocalName(item) == "si") strings.push_back(StringItemText(item));
  }
  return strings;
}

Result<XlsxCell> ReadCell(const pugi::xml_node& c, const std::vector<std::string>& shared,
                          const std::string& ref) {
  XlsxCell cell;
  const std::string_view type = c.attribute("t").value();
  pugi::xml_node value = Child(c, "v");
  cell.formula = static_cast<bool>(Child(c, "f"));
  // Some producers write an empty <v/> for a formula they did not compute.
  cell.cached_value = value && *value.text().get() != '\0';
  if (type == "inlineStr") {
    cell.kind = XlsxCell::Kind::kText;
    cell.text = StringItemText(Child(c, "is"));
    cell.cached_value = true;
    return cell;
  }
  if (!cell.cached_value) return cell;
  const std::string text = value.text().get();
  if (type == "s") {
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return NotAWorkbook("cell " + ref + " names shared string '" + text + "'");
    }
    if (index >= shared.size()) {
      return NotAWorkbook("cell " + ref + " names shared string " + text + " of " +
                          std::to_string(shared.size()));
    }
    cell.kind = XlsxCell::Kind::kText;
    cell.text = shared[index];
  } else if (type == "str") {
    cell.kind = XlsxCell::Kind::kText;
    cell.text = text;
  } else if (type == "b") {
    cell.kind = XlsxCell::Kind::kBool;
    cell.text = text;
  } else if (type == "e") {
    cell.kind = XlsxCell::Kind::kError;
    cell.text = text;
  } else {
    cell.kind = XlsxCell::Kind::kNumber;  // "n", or no type
    cell.text = text;
  }
  return cell;
}

}  // namespace

std::string ColumnLetters(uint32_t column) {
  std::string letters;
  uint64_t n = static_cast<uint64_t>(column) + 1;
  while (n > 0) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
    n = (n - 1) / 26;
  }
  return letters;
}

Result<XlsxSheet> ReadXlsxSheet(std::string_view bytes, std::string_view preferred) {
  FUPIN_ASSIGN_OR_RETURN(Archive archive, OpenArchive(bytes));
  FUPIN_ASSIGN_OR_RETURN(auto found, FindSheetPart(archive.get(), preferred));
  FUPIN_ASSIGN_OR_RETURN(std::vector<std::string> shared, ReadSharedStrings(archive.get()));
  FUPIN_ASSIGN_OR_RETURN(std::string xml, ReadPart(archive.get(), found.second, true));
  FUPIN_ASSIGN_OR_RETURN(pugi::xml_document document, ParsePart(found.second, xml));
  XlsxSheet sheet;
  sheet.name = found.first;
  pugi::xml_node worksheet = Child(document, "worksheet");
  if (!worksheet) return NotAWorkbook("the part " + found.second + " is not a worksheet");
  for (pugi::xml_node row : Child(worksheet, "sheetData").children()) {
    if (LocalName(row) != "row") continue;
    for (pugi::xml_node c : row.children()) {
      if (LocalName(c) != "c") continue;
      const std::string ref = c.attribute("r").value();
      uint32_t r = 0;
      uint32_t column = 0;
      // Producers may leave out r (it is optional); the forms we read are
      // written by spreadsheets that set it, so a missing one is refused.
      if (!ParseCellRef(ref, r, column)) {
        return NotAWorkbook("a cell without a valid reference ('" + ref + "') in " + found.second);
      }
      FUPIN_ASSIGN_OR_RETURN(XlsxCell cell, ReadCell(c, shared, ref));
      sheet.cells[{r, column}] = std::move(cell);
    }
  }
  for (pugi::xml_node merge : Child(worksheet, "mergeCells").children()) {
    if (LocalName(merge) != "mergeCell") continue;
    MergedRange range;
    range.ref = merge.attribute("ref").value();
    const std::size_t colon = range.ref.find(':');
    if (colon == std::string::npos ||
        !ParseCellRef(std::string_view(range.ref).substr(0, colon), range.first_row,
                      range.first_column) ||
        !ParseCellRef(std::string_view(range.ref).substr(colon + 1), range.last_row,
                      range.last_column)) {
      return NotAWorkbook("a merged range '" + range.ref + "' that is not a range");
    }
    sheet.merges.push_back(std::move(range));
  }
  return sheet;
}

}  // namespace fupin::intake
