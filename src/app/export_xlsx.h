// Excel workbooks (.xlsx) for the report exports, written with libxlsxwriter. Cells are plain
// strings or numbers: a string is never read as a formula, whatever it starts with.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace tandem {

// One cell: a number when `number` is set, else the text.
struct XlsxCell {
  std::string text;
  std::optional<double> number;
};

struct XlsxSheet {
  std::string name;                 // at most 31 characters, none of []:*?/\ (Excel's rules)
  std::vector<std::string> header;  // the first row, bold
  std::vector<std::vector<XlsxCell>> rows;  // below it
};

// The workbook's bytes; Unavailable when libxlsxwriter fails (e.g. no temporary space).
Result<std::string> WriteWorkbook(const std::vector<XlsxSheet>& sheets);

}  // namespace tandem
