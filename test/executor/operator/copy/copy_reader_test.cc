#include "executor/operator/copy/copy_reader.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "src/common/sql_error.h"

namespace tessera::executor {
namespace {

using Row = std::vector<std::optional<std::string>>;

CopyFormat text_format() { return CopyFormat{}; }

CopyFormat csv_format() {
  CopyFormat format;
  format.format = CopyFileFormat::kCsv;
  format.delimiter = ',';
  format.null_string = "";
  return format;
}

/// Every row of `data` (split into blocks of `block_bytes`), each as its field values.
std::vector<Row> parse_all(std::string_view data, const CopyFormat& format, size_t num_columns, size_t block_bytes = 1 << 20) {
  std::vector<std::string> names;
  for (size_t i = 0; i < num_columns; i++) names.push_back("c" + std::to_string(i + 1));
  CopyRowParser parser(format, names, "t");
  std::vector<Row> rows;
  for (const CopyBlock& block : split_copy_input(data, format, block_bytes, "t")) {
    size_t pos = block.begin;
    while (pos < block.end) {
      CopyEol eol = block.eol;
      CopyRowExtent extent = find_copy_row(data, pos, format, eol);
      if (extent.end_marker && extent.content_end == pos) break;
      parser.parse_row(data, pos, extent, 0);
      Row row;
      for (const auto& field : parser.fields()) {
        row.push_back(field.is_null ? std::nullopt : std::optional<std::string>(std::string(field.text)));
      }
      rows.push_back(std::move(row));
      if (extent.end_marker) break;
      pos = extent.next;
    }
  }
  return rows;
}

SqlError error_of(std::string_view data, const CopyFormat& format, size_t num_columns) {
  try {
    parse_all(data, format, num_columns);
  } catch (const SqlError& error) {
    return error;
  }
  ADD_FAILURE() << "no error for " << data;
  return SqlError(SqlState::kInternalError, "");
}

TEST(CopyRowParserTest, TextBasics) {
  auto rows = parse_all("1\tabc\n2\t\\N\n", text_format(), 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"1", "abc"}));
  EXPECT_EQ(rows[1], (Row{"2", std::nullopt}));
}

TEST(CopyRowParserTest, TextEscapes) {
  auto rows = parse_all("a\\tb\\nc\\\\d\\b\\f\\r\\v\t\\101\\x41\\x4a2\\q\\\\N\n", text_format(), 2);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "a\tb\nc\\d\b\f\r\v");
  EXPECT_EQ(rows[0][1], "AAJ2q\\N");
}

TEST(CopyRowParserTest, TextEscapedDelimiterAndNewline) {
  auto rows = parse_all("a\\\tb\tx\\\ny\n", text_format(), 2);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{"a\tb", "x\ny"}));
}

TEST(CopyRowParserTest, TextCrLfAndNoFinalNewline) {
  auto rows = parse_all("1\ta\r\n2\tb", text_format(), 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"1", "a"}));
  EXPECT_EQ(rows[1], (Row{"2", "b"}));
}

TEST(CopyRowParserTest, TextEndMarker) {
  auto rows = parse_all("1\n\\.\n2\n", text_format(), 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{"1"}));
  EXPECT_EQ(parse_all("1\n\\.", text_format(), 1).size(), 1u);
  EXPECT_EQ(error_of("1\n\\.x\n", text_format(), 1).state(), SqlState::kBadCopyFileFormat);
  // Anywhere in a line: followed by anything but a newline it is corrupt; else the text
  // before it is a last row.
  SqlError corrupt = error_of("a\\.b\n", text_format(), 1);
  EXPECT_EQ(corrupt.message(), "end-of-copy marker corrupt");
  EXPECT_EQ(corrupt.context(), "COPY t, line 1");
  EXPECT_EQ(parse_all("a\\.\nb\n", text_format(), 1), (std::vector<Row>{{"a"}}));
}

TEST(CopyRowParserTest, TextEmptyLineIsOneEmptyField) {
  auto rows = parse_all("\n", text_format(), 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{""}));
  SqlError error = error_of("\n", text_format(), 2);
  EXPECT_EQ(error.state(), SqlState::kBadCopyFileFormat);
  EXPECT_EQ(error.message(), "missing data for column \"c2\"");
}

TEST(CopyRowParserTest, MissingAndExtraColumns) {
  SqlError missing = error_of("1\n", text_format(), 2);
  EXPECT_EQ(missing.message(), "missing data for column \"c2\"");
  EXPECT_EQ(missing.context(), "COPY t, line 0: \"1\"");
  SqlError extra = error_of("1\t2\t3\n", text_format(), 2);
  EXPECT_EQ(extra.state(), SqlState::kBadCopyFileFormat);
  EXPECT_EQ(extra.message(), "extra data after last expected column");
  EXPECT_EQ(error_of("1,2,3\n", csv_format(), 2).message(), "extra data after last expected column");
}

TEST(CopyRowParserTest, TextEscapeMakingInvalidUtf8) {
  SqlError error = error_of("\\xff\n", text_format(), 1);
  EXPECT_EQ(error.state(), SqlState::kCharacterNotInRepertoire);
}

TEST(CopyRowParserTest, CsvQuoting) {
  auto rows = parse_all("1,\"a,b\",\"say \"\"hi\"\"\"\n2,,\"\"\n", csv_format(), 3);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"1", "a,b", "say \"hi\""}));
  // Unquoted empty = NULL; quoted empty = empty string.
  EXPECT_EQ(rows[1], (Row{"2", std::nullopt, ""}));
}

TEST(CopyRowParserTest, CsvEmbeddedNewlinesAndCrLf) {
  auto rows = parse_all("1,\"line1\nline2\"\r\n2,\"x\r\ny\"\r\n", csv_format(), 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"1", "line1\nline2"}));
  EXPECT_EQ(rows[1], (Row{"2", "x\r\ny"}));
}

TEST(CopyRowParserTest, CsvEndMarkerOnlyUnquotedAtLineStart) {
  auto rows = parse_all("\"\\.\"\n\\.\nafter\n", csv_format(), 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{"\\."}));
  // Inside a quoted field spanning lines, \. is data.
  rows = parse_all("\"a\n\\.\nb\"\n", csv_format(), 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{"a\n\\.\nb"}));
}

TEST(CopyRowParserTest, CsvUnterminatedQuote) {
  SqlError error = error_of("1,\"abc\n\\.\n", csv_format(), 2);
  EXPECT_EQ(error.state(), SqlState::kBadCopyFileFormat);
  EXPECT_EQ(error.message(), "unterminated CSV quoted field");
  // The rest of the input is the row.
  EXPECT_EQ(error.context(), "COPY t, line 0: \"1,\"abc\n\\.\n\"");
}

TEST(CopyRowParserTest, LoneCarriageReturn) {
  // The first line ending decides the input's: a lone "\r" ends every row then.
  for (const CopyFormat& format : {text_format(), csv_format()}) {
    EXPECT_EQ(parse_all("a\rb\rc\r", format, 1), (std::vector<Row>{{"a"}, {"b"}, {"c"}}));
    EXPECT_EQ(parse_all("a\rb\rc", format, 1), (std::vector<Row>{{"a"}, {"b"}, {"c"}}));
    EXPECT_EQ(parse_all("a\rb\r\\.\rignored\r", format, 1), (std::vector<Row>{{"a"}, {"b"}}));
    EXPECT_EQ(parse_all("a\r\nb\r\n", format, 1), (std::vector<Row>{{"a"}, {"b"}}));
  }
  // The rows split into blocks keep it.
  EXPECT_EQ(parse_all("1,2\r3,4\r5,6\r", csv_format(), 2, 1), (std::vector<Row>{{"1", "2"}, {"3", "4"}, {"5", "6"}}));
  // Another ending after it is 22P04 on its line.
  SqlError newline = error_of("a\rb\n", text_format(), 1);
  EXPECT_EQ(newline.state(), SqlState::kBadCopyFileFormat);
  EXPECT_EQ(newline.message(), "literal newline found in data");
  EXPECT_EQ(newline.hint(), "Use \"\\n\" to represent newline.");
  EXPECT_EQ(newline.context(), "COPY t, line 2");
  SqlError csv_newline = error_of("a\rb\n", csv_format(), 1);
  EXPECT_EQ(csv_newline.message(), "unquoted newline found in data");
  EXPECT_EQ(csv_newline.hint(), "Use quoted CSV field to represent newline.");
  SqlError text = error_of("a\nb\rc\n", text_format(), 1);
  EXPECT_EQ(text.message(), "literal carriage return found in data");
  EXPECT_EQ(text.hint(), "Use \"\\r\" to represent carriage return.");
  EXPECT_EQ(text.context(), "COPY t, line 2");
  SqlError csv = error_of("a\r\nb\rc\r\n", csv_format(), 1);
  EXPECT_EQ(csv.message(), "unquoted carriage return found in data");
  EXPECT_EQ(csv.hint(), "Use quoted CSV field to represent carriage return.");
  EXPECT_EQ(csv.context(), "COPY t, line 2");
  // "\r\n" lines: a "\r" at the end of the input is not a line ending.
  EXPECT_EQ(error_of("a\r\nb\r", text_format(), 1).message(), "literal carriage return found in data");
  EXPECT_EQ(error_of("a\r\\.\n", text_format(), 1).message(), "end-of-copy marker does not match previous newline style");
  EXPECT_EQ(error_of("a\r\\.\n", csv_format(), 1).message(), "end-of-copy marker does not match previous newline style");
  // Quoted, or escaped in text format, it is data.
  EXPECT_EQ(parse_all("\"a\rb\"\n", csv_format(), 1), (std::vector<Row>{{"a\rb"}}));
  EXPECT_EQ(parse_all("a\\rb\n", text_format(), 1), (std::vector<Row>{{"a\rb"}}));
}

TEST(CopyRowParserTest, CsvEscapeAndQuoteCharacters) {
  CopyFormat format = csv_format();
  format.quote = '\'';
  format.escape = '\\';
  format.delimiter = ';';
  auto rows = parse_all("'a\\'b';'c\\\\d';'e''f'\n", format, 3);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{"a'b", "c\\d", "ef"}));
}

TEST(CopyRowParserTest, CsvNullStringAndForceOptions) {
  CopyFormat format = csv_format();
  format.null_string = "NA";
  format.force_not_null = {true, false, false};
  format.force_null = {false, false, true};
  auto rows = parse_all("NA,NA,\"NA\"\n", format, 3);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{"NA", std::nullopt, std::nullopt}));
  rows = parse_all("x,\"NA\",y\n", format, 3);
  EXPECT_EQ(rows[0], (Row{"x", "NA", "y"}));
}

TEST(CopyRowParserTest, HeaderIsSkippedAndLinesCounted) {
  CopyFormat format = csv_format();
  format.header = true;
  auto blocks = split_copy_input("a,b\n1,2\n3,4\n", format, 1, "t");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].first_line, 2u);
  EXPECT_EQ(blocks[1].first_line, 3u);
  EXPECT_EQ(parse_all("a,b\n1,2\n", format, 2), (std::vector<Row>{{"1", "2"}}));
  EXPECT_TRUE(split_copy_input("a,b\n", format, 1, "t").empty());
  EXPECT_TRUE(split_copy_input("", format, 1, "t").empty());
}

TEST(CopyRowParserTest, BlocksEndOnRowBoundaries) {
  std::string data;
  std::vector<Row> expected;
  for (int i = 0; i < 500; i++) {
    std::string value = "v" + std::to_string(i);
    data += std::to_string(i) + ",\"" + value + "\nmore\"\n";
    expected.push_back(Row{std::to_string(i), value + "\nmore"});
  }
  for (size_t block_bytes : {1, 7, 100, 4096, 1 << 20}) {
    EXPECT_EQ(parse_all(data, csv_format(), 2, block_bytes), expected) << block_bytes;
  }
  uint64_t line = 1;
  for (const CopyBlock& block : split_copy_input(data, csv_format(), 100, "t")) {
    EXPECT_EQ(block.first_line, line);
    size_t pos = block.begin;
    while (pos < block.end) {
      CopyEol eol = block.eol;
      pos = find_copy_row(data, pos, csv_format(), eol).next;
      line++;
    }
    EXPECT_EQ(pos, block.end);
  }
}

TEST(CopyRowParserTest, ContextTruncatesLongValues) {
  const CopyFormat format = text_format();
  CopyRowParser parser(format, {"a"}, "t");
  CopyRowParser::Field field{std::string_view("x"), false};
  EXPECT_EQ(parser.column_context(3, 0, field), "COPY t, line 3, column a: \"x\"");
  field.is_null = true;
  EXPECT_EQ(parser.column_context(3, 0, field), "COPY t, line 3, column a: null input");
  std::string long_row(150, 'y');
  EXPECT_EQ(parser.context(1, long_row), "COPY t, line 1: \"" + std::string(100, 'y') + "...\"");
}

}  // namespace
}  // namespace tessera::executor
