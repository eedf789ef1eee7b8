#include "app/export_xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/csv_reader.h"

namespace tandem {
namespace {

// A file name in the temporary directory, created empty (mkstemp) so that nobody else takes it.
Result<std::string> TempFile() {
  std::string path = (std::filesystem::temp_directory_path() / "tandem-export-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return Status::Unavailable("export: cannot create a temporary file");
  ::close(fd);
  return path;
}

lxw_row_t Row(std::size_t r) { return static_cast<lxw_row_t>(r); }
lxw_col_t Col(std::size_t c) { return static_cast<lxw_col_t>(c); }

}  // namespace

Result<std::string> WriteWorkbook(const std::vector<XlsxSheet>& sheets) {
  Result<std::string> path = TempFile();
  if (!path.ok()) return path.status();
  lxw_workbook* workbook = workbook_new(path.value().c_str());
  if (workbook == nullptr) {
    std::remove(path.value().c_str());
    return Status::Unavailable("export: cannot start the workbook");
  }
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  bool ok = true;
  for (const XlsxSheet& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook, sheet.name.c_str());
    if (ws == nullptr) {
      ok = false;
      break;
    }
    for (std::size_t c = 0; c < sheet.header.size(); ++c) {
      ok = ok &&
           worksheet_write_string(ws, 0, Col(c), sheet.header[c].c_str(), bold) == LXW_NO_ERROR;
      worksheet_set_column(ws, Col(c), Col(c), 18, nullptr);
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const XlsxCell& cell = sheet.rows[r][c];
        lxw_error e = LXW_NO_ERROR;
        if (cell.number) {
          e = worksheet_write_number(ws, Row(r + 1), Col(c), *cell.number, nullptr);
        } else if (!cell.text.empty()) {
          e = worksheet_write_string(ws, Row(r + 1), Col(c), cell.text.c_str(), nullptr);
        }
        ok = ok && e == LXW_NO_ERROR;
      }
    }
  }
  // workbook_close writes the file and frees the workbook, also on failure.
  const lxw_error closed = workbook_close(workbook);
  std::string bytes;
  Status read = Status::Ok();
  if (ok && closed == LXW_NO_ERROR) read = ReadFile(path.value(), &bytes);
  std::remove(path.value().c_str());
  if (!ok || closed != LXW_NO_ERROR)
    return Status::Unavailable("export: cannot write the workbook");
  if (!read.ok()) return Status::Unavailable("export: cannot read the workbook back");
  return bytes;
}

}  // namespace tandem
