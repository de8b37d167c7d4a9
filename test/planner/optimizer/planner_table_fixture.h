#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "planner/binder/binder.h"
#include "planner/optimizer/optimizer.h"
#include "planner/parser/parser.h"
#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/executor/builtin_registry.h"

namespace tessera::planner::test {

/// A catalog with tables filled through storage (so their statistics are real), and SQL bound
/// and optimized against it.
class PlannerTableFixture : public ::testing::Test {
 protected:
  void make_table(const std::string& name, std::vector<catalog::ColumnDefinition> columns, size_t rows,
                  const std::function<Value(size_t, size_t)>& value) {
    auto table = catalog_.create_table(*txn_, name, columns, false);
    std::vector<LogicalType> types;
    for (const auto& c : columns) types.push_back(c.type);
    for (size_t start = 0; start < rows; start += kVectorSize) {
      const size_t n = std::min(kVectorSize, rows - start);
      DataChunk chunk;
      chunk.initialize(types);
      for (size_t r = 0; r < n; r++) {
        for (size_t c = 0; c < types.size(); c++) chunk.set_value(c, r, value(start + r, c));
      }
      chunk.set_size(n);
      table->storage().append(*txn_, chunk);
    }
  }

  LogicalPtr optimized(const std::string& sql) {
    auto statements = parse_sql(sql);
    Binder binder(catalog_, executor::builtin_registry(), *txn_, sql);
    return Optimizer().optimize(binder.bind(*statements[0]).plan);
  }

  catalog::Catalog catalog_;
  storage::TransactionManager transactions_;
  std::unique_ptr<storage::Transaction> txn_ = transactions_.begin();
};

}  // namespace tessera::planner::test
