// Reading RFC 4180 CSV text with libcsv, keeping the line on which each record starts.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tandem {

struct CsvRecord {
  std::vector<std::string> fields;
  std::int64_t line = 0;  // 1-based line of the file on which the record starts
};

// Parses `text` (UTF-8; a leading byte-order mark is skipped) and calls `sink` for each record
// in order; `sink` returns false to stop early. Empty lines are skipped. Unquoted fields are
// trimmed of surrounding spaces. On malformed quoting returns InvalidArgument with the message
// "FILE:LINE: ..." naming `file_name`.
Status ParseCsv(std::string_view file_name, std::string_view text,
                const std::function<bool(CsvRecord&)>& sink);

// Appends `field` to *out, quoted when it holds a comma, quote, line break or outer space.
void AppendCsvField(std::string* out, std::string_view field);

// Reads a whole file into *out. Returns NotFound / Unavailable with the file name.
Status ReadFile(const std::string& path, std::string* out);

// Writes `contents` to `path` atomically: to a temporary file beside it, then rename.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

// The two halves of WriteFileAtomically(), for writing several files all-or-nothing:
// WriteFileAside() writes and syncs a temporary file beside `path` and names it in *temp;
// CommitFile() renames it over `path`; DiscardFile() removes it. A `path` that exists and is
// not a regular file (/dev/null, a pipe) is written in place at once and *temp left empty.
Status WriteFileAside(const std::string& path, std::string_view contents, std::string* temp);
Status CommitFile(const std::string& temp, const std::string& path);
void DiscardFile(const std::string& temp);

// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace tandem
