// Fuzzes the CSV reader (src/app/csv_reader.h): any bytes must parse or fail with a message,
// never crash; every record parsed must survive a round trip through AppendCsvField().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/csv_reader.h"

namespace {

std::vector<std::vector<std::string>> Parse(std::string_view text, bool* ok) {
  std::vector<std::vector<std::string>> records;
  const tandem::Status status = tandem::ParseCsv("fuzz.csv", text, [&](tandem::CsvRecord& r) {
    if (r.line < 1) __builtin_trap();
    records.push_back(r.fields);
    return true;
  });
  *ok = status.ok();
  if (!*ok && status.message().rfind("fuzz.csv:", 0) != 0) __builtin_trap();  // names the file
  return records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tandem::IsValidUtf8(text);

  bool ok = false;
  const std::vector<std::vector<std::string>> records = Parse(text, &ok);

  // Stopping early after the first record must not disturb the parser.
  int seen = 0;
  (void)tandem::ParseCsv("fuzz.csv", text, [&](tandem::CsvRecord&) { return ++seen < 1; });

  if (!ok) return 0;
  // Written back field by field, the records read the same. A record of one empty field is an
  // empty line, which the reader skips; a leading byte-order mark is skipped too.
  std::string written;
  std::vector<std::vector<std::string>> expected;
  for (const std::vector<std::string>& fields : records) {
    if (fields.size() == 1 && fields[0].empty()) continue;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) written += ',';
      tandem::AppendCsvField(&written, fields[i]);
    }
    written += '\n';
    expected.push_back(fields);
  }
  if (written.rfind("\xEF\xBB\xBF", 0) == 0) return 0;
  bool again_ok = false;
  const std::vector<std::vector<std::string>> again = Parse(written, &again_ok);
  if (!again_ok || again != expected) __builtin_trap();
  return 0;
}
