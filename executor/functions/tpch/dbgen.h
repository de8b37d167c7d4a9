#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"

namespace tessera::executor::tpch {

/// The eight tables of the TPC-H benchmark.
enum class Table : uint8_t { kRegion, kNation, kPart, kSupplier, kPartsupp, kCustomer, kOrders, kLineitem };

/// The table named `name` (lower case), or nullopt.
std::optional<Table> table_by_name(std::string_view name);
std::string_view table_name(Table table);

/// The generated columns of a table, as produced: INTEGER columns are integer, text columns
/// varchar, DECIMAL(15,2) columns double precision (two decimals, exactly representable in
/// their text form), dates date. INSERT converts them to the table's declared column types.
struct Column {
  std::string name;
  LogicalType type;
};
std::vector<Column> table_columns(Table table);

/// CREATE TABLE for `table` with the column types of the specification (clause 1.4), as in
/// ../shared/bench/tpch/schema.sql, except that CHAR(n) columns are VARCHAR(n) until char(n)
/// is a type of Tessera's.
std::string create_table_sql(Table table);

/// The number of units of `table` at a scale factor: rows, except for LINEITEM, whose unit is an
/// order (with its one to seven line items).
uint64_t num_units(Table table, double scale_factor);
/// Rows per unit, on average.
double rows_per_unit(Table table);

/// Every table, in the order they are created and filled.
constexpr Table kAllTables[] = {Table::kRegion,   Table::kNation,   Table::kPart,   Table::kSupplier,
                                Table::kPartsupp, Table::kCustomer, Table::kOrders, Table::kLineitem};

/// The data of the TPC-H tables at one scale factor, following the specification's clause 4.2:
/// row counts scaled by SF, keys and foreign keys as specified (sparse order keys, customers
/// with key divisible by 3 without orders, four suppliers per part), the specified value
/// domains and distributions, and text from the specification's grammar and word weights.
///
/// Every value is a pure function of (table, column, row): rows are produced in any order and
/// in parallel, in "units" (a unit is one row, except for LINEITEM, whose unit is one order and
/// its one to seven line items). Immutable after construction; thread-safe.
class Generator {
 public:
  /// Builds the text pool. `scale_factor` > 0.
  explicit Generator(double scale_factor);

  double scale_factor() const { return scale_factor_; }
  /// The number of units of `table` (LINEITEM: the number of orders).
  uint64_t num_units(Table table) const;
  /// The rows of units [first, ...) of `table`, appended to `out` (initialized to
  /// table_columns(table)'s types) until `out` holds kVectorSize rows or the units up to `end`
  /// are done. `next_unit` and `next_line` (LINEITEM: the line item of `next_unit` to continue
  /// from) are advanced past what was produced.
  void produce(Table table, uint64_t& next_unit, uint32_t& next_line, uint64_t end, DataChunk& out) const;

 private:
  struct OrderLines;

  /// A random text of [min_length, max_length] characters for (stream, row): a piece of the pool.
  std::string_view text(uint64_t stream, uint64_t row, int min_length, int max_length) const;
  /// The order of unit `order_index` with its line items.
  void order(uint64_t order_index, OrderLines& lines) const;

  double scale_factor_;
  uint64_t suppliers_;
  uint64_t parts_;
  uint64_t customers_;
  uint64_t orders_;
  uint64_t clerks_;
  std::string pool_;
};

}  // namespace tessera::executor::tpch
