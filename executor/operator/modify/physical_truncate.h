#pragma once

#include <memory>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::catalog { class TableEntry; }

namespace tessera::executor {

/// TRUNCATE: locks each table's name exclusively for the rest of the transaction (waiting for
/// transactions that write to it or read its definition to end; 42P01 if a DROP committed
/// meanwhile), then deletes all of its rows inside the transaction, so a ROLLBACK brings them
/// back. Unlike a DELETE it also removes rows committed after the transaction's snapshot, as
/// PostgreSQL's TRUNCATE does. A source that emits nothing.
class PhysicalTruncate : public PhysicalOperator {
 public:
  explicit PhysicalTruncate(std::vector<std::shared_ptr<catalog::TableEntry>> tables);

  bool is_source() const override { return true; }
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override;

 private:
  std::vector<std::shared_ptr<catalog::TableEntry>> tables_;
};

}  // namespace tessera::executor
