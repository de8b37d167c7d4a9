#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/logical/logical_operator.h"

namespace tessera::executor {

/// Plain VACUUM rewrites a table when at least this share of its row slots holds rows no
/// transaction can see any more (deleted by a committed transaction, or inserted by one that
/// rolled back); VACUUM FULL rewrites every table.
inline constexpr double kVacuumDeadShare = 0.2;

/// VACUUM and ANALYZE. For each table in turn:
///  - VACUUM counts the dead row slots (under the table's exclusive lock, which waits for the
///    transactions writing it) and, past kVacuumDeadShare or with FULL, rewrites the table
///    (rewrite_table: a new version with new storage holding the live rows only, new row ids,
///    indexes rebuilt; snapshots older than the commit keep reading the old version);
///  - ANALYZE measures the live rows of the transaction's snapshot (DataTable::analyze) for the
///    planner's estimates.
/// VERBOSE reports each step as a notice. A source that emits nothing.
class PhysicalVacuum : public PhysicalOperator {
 public:
  PhysicalVacuum(planner::VacuumOptions options, std::vector<planner::VacuumTarget> targets,
                 std::vector<std::array<std::string, 3>> notices);

  bool is_source() const override { return true; }
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override;

 private:
  planner::VacuumOptions options_;
  std::vector<planner::VacuumTarget> targets_;
  std::vector<std::array<std::string, 3>> notices_;
};

}  // namespace tessera::executor
