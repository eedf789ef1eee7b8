#include "app/csv_reader.h"

#include <csv.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tandem {
namespace {

// libcsv's state before the first byte of a record (ROW_NOT_BEGUN in libcsv.c).
constexpr int kRowNotBegun = 0;

struct ParseState {
  const std::function<bool(CsvRecord&)>* sink;
  CsvRecord record;
  std::int64_t record_line = 1;
  bool stopped = false;
};

void OnField(void* data, size_t length, void* context) {
  auto* state = static_cast<ParseState*>(context);
  state->record.fields.emplace_back(static_cast<const char*>(data), length);
}

void OnRecordEnd(int /*terminator*/, void* context) {
  auto* state = static_cast<ParseState*>(context);
  if (state->stopped) {
    state->record.fields.clear();
    return;
  }
  state->record.line = state->record_line;
  if (!(*state->sink)(state->record)) state->stopped = true;
  state->record.fields.clear();
}

}  // namespace

Status ParseCsv(std::string_view file_name, std::string_view text,
                const std::function<bool(CsvRecord&)>& sink) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return Status::Internal("cannot initialise the CSV parser");
  }
  ParseState state{&sink, {}, 1, false};
  std::int64_t line = 0;
  size_t pos = 0;
  Status status;
  // Feeding one line at a time tells us on which line each record starts.
  while (pos < text.size() && !state.stopped) {
    size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    ++line;
    if (parser.pstate == kRowNotBegun) state.record_line = line;
    const size_t length = end - pos;
    if (csv_parse(&parser, text.data() + pos, length, OnField, OnRecordEnd, &state) != length) {
      status = Status::InvalidArgument(
          std::string(file_name) + ":" + std::to_string(line) +
          ": malformed quoting (a quote inside an unquoted field, or text after a closing quote)");
      break;
    }
    pos = end;
  }
  if (status.ok() && !state.stopped && csv_fini(&parser, OnField, OnRecordEnd, &state) != 0) {
    status =
        Status::InvalidArgument(std::string(file_name) + ":" + std::to_string(state.record_line) +
                                ": a quoted field is never closed");
  }
  csv_free(&parser);
  return status;
}

void AppendCsvField(std::string* out, std::string_view field) {
  // The reader trims unquoted spaces and tabs, so fields with outer blanks are quoted too.
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (blank(field.front()) || blank(field.back())));
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

Status ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound(path + ": cannot open: " + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::Unavailable(path + ": read error");
  *out = std::move(buffer).str();
  return Status::Ok();
}

namespace {

Status WriteAll(int fd, const std::string& path, std::string_view contents) {
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Unavailable(path + ": cannot write: " + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Status WriteFileAside(const std::string& path, std::string_view contents, std::string* temp) {
  // /dev/null, a pipe, a terminal: there is nothing to replace atomically, and renaming a file
  // over it would destroy it (a rename over /dev/null replaces the device). Write straight in.
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
    temp->clear();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Status::Unavailable(path + ": cannot write: " + std::strerror(errno));
    Status status = WriteAll(fd, path, contents);
    ::close(fd);
    return status;
  }
  // mkstemp() picks a name nobody else uses, also when two outputs share a directory.
  std::string pattern = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(pattern.data());
  *temp = pattern;
  if (fd >= 0) ::fchmod(fd, 0644);
  if (fd < 0) return Status::Unavailable(path + ": cannot write: " + std::strerror(errno));
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temp->c_str());
      return Status::Unavailable(path + ": cannot write: " + why);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp->c_str());
    return Status::Unavailable(path + ": cannot write: " + std::strerror(errno));
  }
  return Status::Ok();
}

Status CommitFile(const std::string& temp, const std::string& path) {
  if (temp.empty()) return Status::Ok();  // written in place (not a regular file)
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    return Status::Unavailable(path + ": cannot replace: " + why);
  }
  return Status::Ok();
}

void DiscardFile(const std::string& temp) {
  if (!temp.empty()) ::unlink(temp.c_str());
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  std::string temp;
  if (Status s = WriteFileAside(path, contents, &temp); !s.ok()) return s;
  return CommitFile(temp, path);
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra;
    unsigned int min_code;
    unsigned int code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min_code = 0x80, code = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min_code = 0x800, code = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min_code = 0x10000, code = c & 0x07u;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3Fu);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace tandem
