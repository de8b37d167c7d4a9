#include "storage/durable/log_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include "test/support/sqlstate_of.h"
#include "test/support/temp_directory.h"

namespace tessera::storage {
namespace {

using test_support::sqlstate_of;

class LogFileTest : public ::testing::Test {
 protected:
  void TearDown() override { internal::set_io_fault_hook(nullptr); }
  std::string read_all() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void write_all(const std::string& bytes) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  static std::vector<std::string> payloads(const LogContents& contents) {
    std::vector<std::string> out;
    for (const auto& r : contents.records) out.push_back(std::to_string(r.type) + ":" + r.payload);
    return out;
  }

  test_support::TempDirectory temp_{"tessera-log-test"};
  const std::string dir_ = temp_.path();
  const std::string path_ = dir_ + "/wal.log";
};

TEST_F(LogFileTest, FlushedRecordsReadBackInOrder) {
  auto writer = LogWriter::create(path_);
  EXPECT_EQ(kLogHeaderBytes, writer->end_lsn());
  const uint64_t first = writer->append(1, "hello");
  const uint64_t second = writer->append(2, "");
  const uint64_t third = writer->append(3, std::string(100000, 'z'));
  EXPECT_EQ(kLogHeaderBytes, first);
  EXPECT_EQ(first + kLogRecordHeaderBytes + 5, second);
  EXPECT_EQ(second + kLogRecordHeaderBytes, third);
  EXPECT_LT(writer->durable_lsn(), writer->end_lsn());
  writer->flush();
  EXPECT_EQ(writer->end_lsn(), writer->durable_lsn());
  const LogContents contents = read_log_file(path_);
  EXPECT_EQ((std::vector<std::string>{"1:hello", "2:", "3:" + std::string(100000, 'z')}), payloads(contents));
  EXPECT_EQ(third, contents.records[2].lsn);
  EXPECT_EQ(writer->end_lsn(), contents.valid_end);
  EXPECT_EQ(0u, contents.torn_bytes);
}

TEST_F(LogFileTest, UnflushedRecordsAreNotInTheFile) {
  auto writer = LogWriter::create(path_);
  writer->append(1, "a");
  writer->flush();
  writer->append(1, "b");
  EXPECT_EQ((std::vector<std::string>{"1:a"}), payloads(read_log_file(path_)));
}

// A crash in the middle of appending leaves part of a record: every cut point of the last
// record, and a flipped byte in it, end the log after the previous record; reopening cuts the
// tail off and appends after it.
TEST_F(LogFileTest, ATornOrCorruptTailIsCutOff) {
  {
    auto writer = LogWriter::create(path_);
    writer->append(1, "first");
    writer->append(2, "second record");
    writer->flush();
  }
  const std::string whole = read_all();
  const size_t second_start = kLogHeaderBytes + kLogRecordHeaderBytes + 5;
  for (size_t cut = second_start; cut < whole.size(); cut++) {
    write_all(whole.substr(0, cut));
    const LogContents contents = read_log_file(path_);
    ASSERT_EQ((std::vector<std::string>{"1:first"}), payloads(contents)) << "cut at " << cut;
    EXPECT_EQ(second_start, contents.valid_end);
    EXPECT_EQ(cut - second_start, contents.torn_bytes);
  }
  for (size_t flip = second_start; flip < whole.size(); flip++) {
    std::string corrupt = whole;
    corrupt[flip] ^= 0x40;
    write_all(corrupt);
    ASSERT_EQ((std::vector<std::string>{"1:first"}), payloads(read_log_file(path_))) << "flip at " << flip;
  }
  // Reopen after a torn tail: the tail is truncated and new records follow the valid ones.
  write_all(whole.substr(0, whole.size() - 3));
  {
    const LogContents contents = read_log_file(path_);
    auto writer = LogWriter::open_for_append(path_, contents);
    EXPECT_EQ(second_start, writer->end_lsn());
    writer->append(3, "third");
    writer->flush();
  }
  EXPECT_EQ((std::vector<std::string>{"1:first", "3:third"}), payloads(read_log_file(path_)));
}

TEST_F(LogFileTest, MissingOrForeignFiles) {
  EXPECT_EQ("58P01", sqlstate_of([&] { read_log_file(path_); }));
  write_all("not a log file at all");
  EXPECT_EQ("XX001", sqlstate_of([&] { read_log_file(path_); }));
  // Another format version.
  { LogWriter::create(dir_ + "/other.log"); }
  std::ifstream in(dir_ + "/other.log", std::ios::binary);
  std::string header(std::istreambuf_iterator<char>(in), {});
  header[8] = 9;
  write_all(header);
  try {
    read_log_file(path_);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(SqlState::kDataCorrupted, e.state());
    EXPECT_NE(std::string::npos, std::string(e.message()).find("checksum")) << e.message();
  }
  // Creating over an existing file is refused.
  EXPECT_EQ("58030", sqlstate_of([&] { LogWriter::create(path_); }));
}

int g_fail_errno = 0;
const char* g_fail_operation = "";
int fail_operation(const char* operation) { return std::string(operation) == g_fail_operation ? g_fail_errno : 0; }

// A failed write (disk full) or sync fails the flush with the right SQLSTATE, and the writer
// refuses everything after it; what was durable before stays readable.
TEST_F(LogFileTest, IoErrorsBreakTheWriter) {
  for (const auto& [operation, error, state] :
       {std::tuple{"write", ENOSPC, "53100"}, std::tuple{"sync", EIO, "58030"}}) {
    std::filesystem::remove(path_);
    auto writer = LogWriter::create(path_);
    writer->append(1, "durable");
    writer->flush();
    g_fail_operation = operation;
    g_fail_errno = error;
    internal::set_io_fault_hook(&fail_operation);
    writer->append(1, "lost");
    try {
      writer->flush();
      FAIL() << operation;
    } catch (const SqlError& e) {
      EXPECT_EQ(state, std::string(sqlstate_code(e.state())));
      EXPECT_NE(std::string::npos, e.message().find(path_)) << e.message();
    }
    internal::set_io_fault_hook(nullptr);
    EXPECT_EQ(state, sqlstate_of([&] { writer->append(1, "after"); }));
    EXPECT_EQ(state, sqlstate_of([&] { writer->flush(); }));
    const LogContents contents = read_log_file(path_);
    ASSERT_GE(contents.records.size(), 1u);
    EXPECT_EQ("durable", contents.records[0].payload);
  }
}

}  // namespace
}  // namespace tessera::storage
