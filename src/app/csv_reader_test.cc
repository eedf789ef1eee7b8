#include "app/csv_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace tandem {
namespace {

// Parses `text` as "in.csv" and returns every record; *status receives the parse result.
std::vector<CsvRecord> ParseAll(std::string_view text, Status* status) {
  std::vector<CsvRecord> records;
  *status = ParseCsv("in.csv", text, [&records](CsvRecord& r) {
    records.push_back(r);
    return true;
  });
  return records;
}

std::vector<CsvRecord> ParseOk(std::string_view text) {
  Status status;
  std::vector<CsvRecord> records = ParseAll(text, &status);
  EXPECT_TRUE(status.ok()) << status.message();
  return records;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, PlainFieldsAndLines) {
  const std::vector<CsvRecord> records = ParseOk("a,b,c\n1,2,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(records[1].line, 2);
}

TEST(CsvReader, LastRecordWithoutNewline) {
  const std::vector<CsvRecord> records = ParseOk("a,b\n1,2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(records[1].line, 2);
}

TEST(CsvReader, EmptyFieldsAreKept) {
  const std::vector<CsvRecord> records = ParseOk("a,,c,\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "", "c", ""}));
}

TEST(CsvReader, QuotedFieldWithComma) {
  const std::vector<CsvRecord> records = ParseOk("id,text\n1,\"Berlin, Hamburg\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "Berlin, Hamburg"}));
}

TEST(CsvReader, DoubledQuotesBecomeOneQuote) {
  const std::vector<CsvRecord> records = ParseOk("1,\"she said \"\"hi\"\"\",\"\"\"\"\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"1", "she said \"hi\"", "\""}));
}

TEST(CsvReader, QuotedFieldWithEmbeddedNewlines) {
  const std::vector<CsvRecord> records = ParseOk("1,\"first\nsecond\n\nfourth\",x\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"1", "first\nsecond\n\nfourth", "x"}));
  EXPECT_EQ(records[0].line, 1);
}

// Given a record whose quoted field spans three lines, the next record reports the line on
// which it starts, not the line count of records so far.
TEST(CsvReader, RecordAfterMultiLineFieldReportsItsOwnStartLine) {
  const std::vector<CsvRecord> records = ParseOk("h1,h2\na,\"x\ny\nz\"\nb,c\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].fields, (Fields{"a", "x\ny\nz"}));
  EXPECT_EQ(records[2].line, 5);
  EXPECT_EQ(records[2].fields, (Fields{"b", "c"}));
}

// Given blank lines between records, they yield no record but still count as lines.
TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  const std::vector<CsvRecord> records = ParseOk("\nh\n\n\na\n   \nb\n\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"h"}));
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[1].fields, (Fields{"a"}));
  EXPECT_EQ(records[1].line, 5);
  EXPECT_EQ(records[2].fields, (Fields{"b"}));
  EXPECT_EQ(records[2].line, 7);
}

TEST(CsvReader, CrlfLineEndings) {
  const std::vector<CsvRecord> records = ParseOk("a,b\r\n1,\"x\r\ny\"\r\n\r\n2,3\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(records[1].fields, (Fields{"1", "x\r\ny"}));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].fields, (Fields{"2", "3"}));
  EXPECT_EQ(records[2].line, 5);
}

TEST(CsvReader, ByteOrderMarkIsSkipped) {
  const std::vector<CsvRecord> records = ParseOk("\xEF\xBB\xBFid,level\np1,2\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"id", "level"}));
  EXPECT_EQ(records[0].line, 1);
}

TEST(CsvReader, UnquotedFieldsAreTrimmedQuotedAreNot) {
  const std::vector<CsvRecord> records = ParseOk("  a  , \" b \" ,c\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"a", " b ", "c"}));
}

TEST(CsvReader, EmptyTextGivesNoRecords) {
  EXPECT_TRUE(ParseOk("").empty());
  EXPECT_TRUE(ParseOk("\n\n").empty());
  EXPECT_TRUE(ParseOk("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, SinkReturningFalseStops) {
  std::vector<std::int64_t> lines;
  const Status status = ParseCsv("in.csv", "a\nb\nc\n", [&lines](CsvRecord& r) {
    lines.push_back(r.line);
    return lines.size() < 2;
  });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2}));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsInvalidArgument) {
  Status status;
  const std::vector<CsvRecord> records = ParseAll("a,b\n1,2\nx,ab\"c\n", &status);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("in.csv:3: ", 0), 0u) << status.message();
  EXPECT_EQ(records.size(), 2u);
}

TEST(CsvReader, TextAfterClosingQuoteIsInvalidArgument) {
  Status status;
  ParseAll("a,b\n\"x\"y,2\n", &status);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("in.csv:2: ", 0), 0u) << status.message();
}

TEST(CsvReader, MalformedQuoteAfterMultiLineFieldNamesItsLine) {
  Status status;
  ParseAll("a,b\n1,\"x\ny\"\n2,b\"ad\n", &status);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("in.csv:4: ", 0), 0u) << status.message();
}

// Given a quote opened on line 3 and never closed, the error names line 3, not the last line.
TEST(CsvReader, UnterminatedQuoteAtEndNamesOpeningLine) {
  Status status;
  const std::vector<CsvRecord> records =
      ParseAll("a,b\n1,2\n3,\"never closed\nmore\nand more\n", &status);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("in.csv:3: ", 0), 0u) << status.message();
  EXPECT_NE(status.message().find("never closed"), std::string::npos) << status.message();
  EXPECT_EQ(records.size(), 2u);
}

TEST(CsvReader, UnterminatedQuoteWithoutTrailingNewline) {
  Status status;
  ParseAll("a,b\n\"x", &status);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("in.csv:2: ", 0), 0u) << status.message();
}

TEST(CsvReader, AppendCsvFieldQuotesOnlyWhenNeeded) {
  std::string out;
  AppendCsvField(&out, "plain");
  EXPECT_EQ(out, "plain");
  out.clear();
  AppendCsvField(&out, "a,b");
  EXPECT_EQ(out, "\"a,b\"");
  out.clear();
  AppendCsvField(&out, "say \"hi\"");
  EXPECT_EQ(out, "\"say \"\"hi\"\"\"");
  out.clear();
  AppendCsvField(&out, " padded ");
  EXPECT_EQ(out, "\" padded \"");
  out.clear();
  AppendCsvField(&out, "");
  EXPECT_EQ(out, "");
}

// Given awkward fields written with AppendCsvField, parsing the line gives them back unchanged.
TEST(CsvReader, AppendCsvFieldRoundTrip) {
  const Fields fields = {"",
                         "plain",
                         "a,b",
                         "\"",
                         "say \"hi\", then leave",
                         "two\nlines",
                         "crlf\r\ninside",
                         " leading",
                         "trailing ",
                         "   ",
                         "Grüße, 日本語",
                         ""};
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    AppendCsvField(&line, fields[i]);
  }
  line += '\n';
  const std::vector<CsvRecord> records = ParseOk(line + line);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, fields);
  EXPECT_EQ(records[1].fields, fields);
  EXPECT_EQ(records[1].line, 4);  // each copy spans three lines (two embedded line breaks)
}

TEST(CsvReader, IsValidUtf8AcceptsValidText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8(std::string_view("nul\0inside", 10)));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9"));          // é, two bytes
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));      // €, three bytes
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // 😀, four bytes
  EXPECT_TRUE(IsValidUtf8("Grüße aus Köln, 日本"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the largest code point
}

TEST(CsvReader, IsValidUtf8RejectsOverlongEncodings) {
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // U+0000 in two bytes
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // U+007F in two bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x82\x82\xAC"));  // € in four bytes
}

TEST(CsvReader, IsValidUtf8RejectsSurrogatesAndTooLarge) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));
}

TEST(CsvReader, IsValidUtf8RejectsTruncatedAndStraySequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // lead byte at the end
  EXPECT_FALSE(IsValidUtf8("ab\xE2\x82"));    // three-byte sequence cut short
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));  // four-byte sequence cut short
  EXPECT_FALSE(IsValidUtf8("\xE2\x82x"));     // continuation replaced by ASCII
  EXPECT_FALSE(IsValidUtf8("\x80"));          // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));       // Latin-1 é
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

class CsvFiles : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(testing::TempDir()) /
           ("csv_reader_test_" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> DirectoryEntries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  std::filesystem::path dir_;
};

TEST_F(CsvFiles, WriteFileAtomicallyCreatesThenReplaces) {
  const std::string path = (dir_ / "out.csv").string();
  ASSERT_TRUE(WriteFileAtomically(path, "first,version\n").ok());
  std::string read;
  ASSERT_TRUE(ReadFile(path, &read).ok());
  EXPECT_EQ(read, "first,version\n");

  ASSERT_TRUE(WriteFileAtomically(path, "second").ok());
  ASSERT_TRUE(ReadFile(path, &read).ok());
  EXPECT_EQ(read, "second");
  // No temporary file is left beside the target.
  EXPECT_EQ(DirectoryEntries(), (std::vector<std::string>{"out.csv"}));
}

TEST_F(CsvFiles, WriteFileAtomicallyKeepsBinaryContent) {
  const std::string path = (dir_ / "bytes").string();
  const std::string contents("a\0b\r\n\xFF", 6);
  ASSERT_TRUE(WriteFileAtomically(path, contents).ok());
  std::string read;
  ASSERT_TRUE(ReadFile(path, &read).ok());
  EXPECT_EQ(read, contents);
}

TEST_F(CsvFiles, WriteFileAtomicallyIntoMissingDirectoryFails) {
  const std::string path = (dir_ / "missing" / "out.csv").string();
  const Status status = WriteFileAtomically(path, "x");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find(path), std::string::npos) << status.message();
}

TEST_F(CsvFiles, ReadFileOfMissingFileIsNotFound) {
  const std::string path = (dir_ / "absent.csv").string();
  std::string read = "unchanged";
  const Status status = ReadFile(path, &read);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find(path), std::string::npos) << status.message();
  EXPECT_EQ(read, "unchanged");
}

}  // namespace
}  // namespace tandem
