#pragma once

#include <memory>
#include <string>
#include <vector>

#include "planner/logical/logical_operator.h"
#include "src/common/copy_format.h"

namespace tessera::planner {

/// The bytes a COPY FROM reads: filled before the statement executes (from the client's
/// CopyData messages or from the file), then read-only while the plan runs.
struct CopyInput {
  std::string data;
};

/// What the session needs to run a bound COPY: where the data comes from or goes to and its
/// format. For COPY FROM the plan inserts the rows `input` holds; for COPY TO the plan is the
/// query whose rows are written.
struct BoundCopy {
  bool is_from = false;
  /// The server-side file; empty for STDIN / STDOUT.
  std::string filename;
  CopyFormat format;
  /// The COPY's columns (names as written in the header of COPY TO ... HEADER).
  std::vector<std::string> names;
  std::shared_ptr<CopyInput> input;  ///< COPY FROM only
};

/// The rows of COPY FROM input: parses `input` in `format` into the `names` columns, each
/// value through its `types` text input; outputs (table_index, i). `table_name` names the
/// table in error contexts.
class LogicalCopyFrom : public LogicalOperator {
 public:
  LogicalCopyFrom(uint32_t table_index, std::string table_name, std::vector<std::string> names,
                  std::vector<LogicalType> types, CopyFormat format, std::shared_ptr<const CopyInput> input)
      : LogicalOperator(LogicalOperatorKind::kCopyFrom),
        table_index(table_index),
        table_name(std::move(table_name)),
        names(std::move(names)),
        types(std::move(types)),
        format(std::move(format)),
        input(std::move(input)) {}
  std::vector<ColumnBinding> output_bindings() const override {
    std::vector<ColumnBinding> bindings;
    for (uint32_t i = 0; i < types.size(); i++) bindings.push_back(ColumnBinding{table_index, i});
    return bindings;
  }
  std::vector<LogicalType> output_types() const override { return types; }
  std::string describe() const override { return "CopyFrom " + table_name; }

  uint32_t table_index;
  std::string table_name;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  CopyFormat format;
  std::shared_ptr<const CopyInput> input;
};

}  // namespace tessera::planner
