#include "storage/durable/row_group_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "src/common/sql_error.h"
#include "storage/column_data.h"
#include "storage/buffer_pool.h"
#include "storage/data_table.h"
#include "storage/durable/binary_io.h"
#include "storage/durable/log_file.h"
#include "storage/row_group.h"
#include "storage/transaction_manager.h"
#include "test/storage/table_test_data.h"
#include "test/support/sqlstate_of.h"
#include "test/support/temp_directory.h"

namespace tessera::storage {
namespace {

using test::all_types;
using test::kKeyColumn;
using test::make_chunk;
using test_support::sqlstate_of;

/// A table whose first row group is full: keys 0 .. kRowGroupSize - 1 (every type, NULLs,
/// long strings; the encoder picks every kind of segment), then `extra` more rows.
std::unique_ptr<DataTable> full_table(size_t extra = 0) {
  auto table = std::make_unique<DataTable>(all_types());
  for (size_t row = 0; row < kRowGroupSize + extra; row += kVectorSize) {
    table->restore_rows(row, make_chunk(static_cast<int64_t>(row), std::min(kVectorSize, kRowGroupSize + extra - row)));
  }
  return table;
}

/// Every visible row of `table` as text, in row id order.
std::vector<std::string> contents(const DataTable& table) {
  TransactionManager manager;
  auto txn = manager.begin();
  std::vector<size_t> columns;
  for (size_t c = 0; c < all_types().size(); c++) columns.push_back(c);
  columns.push_back(kRowIdColumn);
  auto types = all_types();
  types.push_back(LogicalType::bigint());
  auto scan = table.begin_scan(*txn, columns);
  LocalTableScanState local;
  DataChunk out;
  out.initialize(types);
  std::vector<std::string> rows;
  while (table.next_morsel(*scan, local)) {
    while (table.scan(local, out)) {
      for (size_t r = 0; r < out.size(); r++) {
        std::string row;
        for (size_t c = 0; c < types.size(); c++) row += out.get_value(c, r).to_string() + "|";
        rows.push_back(row);
      }
    }
  }
  manager.commit(*txn);
  return rows;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class RowGroupFileTest : public ::testing::Test {
 protected:
  std::string file_path(uint64_t storage_id, uint64_t index) const {
    return dir_.path() + "/" + row_group_file_name(storage_id, index);
  }
  test_support::TempDirectory dir_{"tessera-rowgroup"};
};

TEST_F(RowGroupFileTest, RowGroupRoundTripsWithItsSegmentsAndZoneMaps) {
  for (const BlockCodec codec : {BlockCodec::kNone, BlockCodec::kLz4, BlockCodec::kZstd}) {
    SCOPED_TRACE(block_codec_name(codec));
    const auto table = full_table(100);
    const auto group = table->row_groups().front();
    const std::string path = file_path(table->storage_id(), 0);
    const RowGroupFileStats stats = write_row_group_file(path, *group, codec);
    EXPECT_EQ(stats.file_bytes, std::filesystem::file_size(path));
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    if (codec != BlockCodec::kNone) {
      EXPECT_LT(stats.file_bytes, stats.uncompressed_bytes);
    }

    DataTable restored(all_types(), table->storage_id());
    restored.restore_row_group(read_row_group_file(path, all_types(), table->storage_id(), 0, "table \"t\""));
    BinaryWriter sketches;
    table->write_sketches(sketches);
    BinaryReader sketches_in(sketches.data(), "sketches");
    restored.merge_sketches(sketches_in);
    // The rest of the table goes on after the restored group, as recovery replays it.
    restored.restore_rows(kRowGroupSize, make_chunk(kRowGroupSize, 100));
    EXPECT_EQ(contents(*table), contents(restored));
    EXPECT_EQ(table->row_id_end(), restored.row_id_end());
    const auto original = table->segment_stats();
    const auto copy = restored.segment_stats();
    ASSERT_EQ(original.size(), copy.size());
    for (size_t i = 0; i < original.size(); i++) {
      EXPECT_EQ(original[i].encoding, copy[i].encoding) << i;
      EXPECT_EQ(original[i].compressed_bytes, copy[i].compressed_bytes) << i;
      EXPECT_EQ(original[i].rows, copy[i].rows) << i;
      EXPECT_TRUE(original[i].zone_map.min() == copy[i].zone_map.min()) << i;
      EXPECT_TRUE(original[i].zone_map.max() == copy[i].zone_map.max()) << i;
      EXPECT_EQ(original[i].zone_map.null_count(), copy[i].zone_map.null_count()) << i;
    }
    // Statistics as the appends made them (the sketches saved and merged).
    const auto a = table->statistics();
    const auto b = restored.statistics();
    for (size_t c = 0; c < all_types().size(); c++) {
      EXPECT_DOUBLE_EQ(a.columns[c].distinct_count, b.columns[c].distinct_count) << c;
      EXPECT_DOUBLE_EQ(a.columns[c].null_fraction, b.columns[c].null_fraction) << c;
    }
  }
}

TEST_F(RowGroupFileTest, EveryDamageIsDataCorruptedNamingTheTable) {
  const auto table = full_table();
  const std::string path = file_path(table->storage_id(), 0);
  write_row_group_file(path, *table->row_groups().front(), BlockCodec::kLz4);
  const std::string good = read_bytes(path);
  auto read = [&] { return read_row_group_file(path, all_types(), table->storage_id(), 0, "table \"orders\""); };
  ASSERT_NO_THROW(read());
  // Flipped bytes all over the file (header, every block, footer, trailer), and truncations.
  std::vector<size_t> positions;
  for (size_t pos = 0; pos < good.size(); pos += good.size() / 97 + 1) positions.push_back(pos);
  for (size_t tail = 1; tail <= 20; tail++) positions.push_back(good.size() - tail);
  for (const size_t pos : positions) {
    std::string bad = good;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x20);
    write_bytes(path, bad);
    try {
      read();
      ADD_FAILURE() << "a flipped byte at " << pos << " was read";
    } catch (const SqlError& e) {
      EXPECT_EQ(SqlState::kDataCorrupted, e.state()) << pos;
      EXPECT_NE(std::string::npos, e.message().find("table \"orders\"")) << e.message();
    }
  }
  for (const size_t len : {size_t{0}, size_t{10}, good.size() / 2, good.size() - 1}) {
    write_bytes(path, good.substr(0, len));
    EXPECT_EQ("XX001", sqlstate_of(read)) << len;
  }
  // Another table's or another row group's file, other column types, no file.
  write_bytes(path, good);
  EXPECT_EQ("XX001", sqlstate_of([&] { read_row_group_file(path, all_types(), table->storage_id() + 1, 0, "t"); }));
  EXPECT_EQ("XX001",
            sqlstate_of([&] { read_row_group_file(path, all_types(), table->storage_id(), kRowGroupSize, "t"); }));
  auto types = all_types();
  types[1] = LogicalType::integer();
  EXPECT_EQ("XX001", sqlstate_of([&] { read_row_group_file(path, types, table->storage_id(), 0, "t"); }));
  std::filesystem::remove(path);
  EXPECT_EQ("XX001", sqlstate_of(read));
}

TEST_F(RowGroupFileTest, UnnamedFilesAndLeftoversAreRemoved) {
  for (const char* name : {"1-0.rg", "1-1.rg", "2-0.rg", "2-0.rg.tmp", "wal.log", "notes.txt", "3-x.rg"}) {
    write_bytes(dir_.path() + "/" + name, "x");
  }
  EXPECT_EQ(2u, remove_unnamed_row_group_files(dir_.path(), {{1, 0}, {1, 1}, {9, 9}}));
  std::vector<std::string> left;
  for (const auto& file : std::filesystem::directory_iterator(dir_.path())) left.push_back(file.path().filename());
  std::sort(left.begin(), left.end());
  EXPECT_EQ((std::vector<std::string>{"1-0.rg", "1-1.rg", "3-x.rg", "notes.txt", "wal.log"}), left);
  EXPECT_EQ(0u, remove_unnamed_row_group_files(dir_.path() + "/missing", {}));
}

TEST_F(RowGroupFileTest, FailedWriteLeavesNoFile) {
  const auto table = full_table();
  const std::string path = file_path(table->storage_id(), 0);
  internal::set_io_fault_hook([](const char* operation) { return std::string(operation) == "sync" ? EIO : 0; });
  EXPECT_EQ("58030", sqlstate_of([&] { write_row_group_file(path, *table->row_groups().front(), BlockCodec::kLz4); }));
  internal::set_io_fault_hook(nullptr);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

/// A table restored from `groups` data files of full_table rows, each opened (not loaded).
std::unique_ptr<DataTable> opened_table(const std::string& directory, size_t groups, uint64_t storage_id) {
  auto restored = std::make_unique<DataTable>(all_types(), storage_id);
  for (size_t g = 0; g < groups; g++) {
    restored->restore_row_group(open_row_group_file(directory + "/" + row_group_file_name(storage_id, g), all_types(),
                                                    storage_id, g * kRowGroupSize, "table \"t\""));
  }
  return restored;
}

TEST_F(RowGroupFileTest, ColumnsAreReadOnFirstUseAndZoneMapsPruneWithoutReading) {
  const auto table = full_table();
  write_row_group_file(file_path(table->storage_id(), 0), *table->row_groups().front(), BlockCodec::kLz4);
  const auto restored = opened_table(dir_.path(), 1, table->storage_id());
  const uint64_t loads = BufferPool::instance().stats().loads;
  // Sizes, encodings and zone maps come from the footer.
  EXPECT_EQ(table->segment_stats().size(), restored->segment_stats().size());
  EXPECT_TRUE(table->row_group_zone_map(kKeyColumn, 0).max() == restored->row_group_zone_map(kKeyColumn, 0).max());
  // A filter the zone maps exclude reads nothing.
  TransactionManager manager;
  auto txn = manager.begin();
  TableFilterSet filters;
  filters.add(kKeyColumn, std::make_unique<CompareFilter>(CompareOp::kGreater, Value::bigint(1 << 30)));
  auto scan = restored->begin_scan(*txn, {0, kKeyColumn}, std::move(filters));
  LocalTableScanState local;
  DataChunk out;
  out.initialize({all_types()[0], all_types()[kKeyColumn]});
  size_t rows = 0;
  while (restored->next_morsel(*scan, local)) {
    while (restored->scan(local, out)) rows += out.size();
  }
  manager.commit(*txn);
  EXPECT_EQ(0u, rows);
  EXPECT_EQ(loads, BufferPool::instance().stats().loads);
  // Reading the rows loads each column once.
  EXPECT_EQ(contents(*table), contents(*restored));
  EXPECT_EQ(loads + all_types().size(), BufferPool::instance().stats().loads);
}

TEST_F(RowGroupFileTest, DamagedBlockFailsTheReadThatLoadsIt) {
  const auto table = full_table();
  const std::string path = file_path(table->storage_id(), 0);
  write_row_group_file(path, *table->row_groups().front(), BlockCodec::kLz4);
  std::string bytes = read_bytes(path);
  bytes[bytes.size() / 3] ^= 0x01;  // inside a column block, past the header
  write_bytes(path, bytes);
  const auto restored = opened_table(dir_.path(), 1, table->storage_id());  // the footer is intact
  EXPECT_EQ("XX001", sqlstate_of([&] { contents(*restored); }));
  EXPECT_EQ("XX001", sqlstate_of([&] { contents(*restored); }));  // and stays so
}

TEST_F(RowGroupFileTest, BufferPoolKeepsLoadedColumnsWithinItsLimitUnderConcurrentScans) {
  const auto table = full_table(kRowGroupSize * 2);  // three full row groups
  for (size_t g = 0; g < 3; g++) {
    write_row_group_file(file_path(table->storage_id(), g), *table->row_groups()[g], BlockCodec::kLz4);
  }
  const auto restored = opened_table(dir_.path(), 3, table->storage_id());
  const auto expected = contents(*table);
  BufferPool& pool = BufferPool::instance();
  const uint64_t evictions = pool.stats().evictions;
  // Room for about two columns of one row group: scans keep loading and dropping columns.
  pool.set_limit(600 << 10);
  std::vector<std::thread> readers;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 3; t++) {
    readers.emplace_back([&] {
      for (int i = 0; i < 2; i++) {
        if (contents(*restored) != expected) mismatches++;
      }
    });
  }
  for (auto& reader : readers) reader.join();
  const BufferPoolStats stats = pool.stats();
  pool.set_limit(0);
  EXPECT_EQ(0, mismatches.load());
  EXPECT_GT(stats.evictions, evictions);
  EXPECT_LE(stats.loaded_bytes, uint64_t{600 << 10} + 2 * 1024 * 1024);  // the limit, or one column over it
}

}  // namespace
}  // namespace tessera::storage
