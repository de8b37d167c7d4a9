#include "executor/operator/ddl/physical_utility.h"

#include <set>

#include "catalog/catalog.h"
#include "executor/session_settings.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

std::vector<LogicalType> utility_types(const UtilityStatement& s) {
  if (s.kind == UtilityKind::kShow) return {LogicalType::varchar()};
  return {};
}

const char* utility_name(UtilityKind kind) {
  switch (kind) {
    case UtilityKind::kDrop: return "DROP";
    case UtilityKind::kCreateView: return "CREATE_VIEW";
    case UtilityKind::kSet: return "SET";
    case UtilityKind::kShow: return "SHOW";
  }
  return "UTILITY";
}

}  // namespace

PhysicalUtility::PhysicalUtility(UtilityStatement statement)
    : PhysicalOperator(utility_name(statement.kind), utility_types(statement)), statement_(std::move(statement)) {}

SourceResult PhysicalUtility::get_data(WorkerContext& worker, DataChunk& out, GlobalState&, LocalState&) const {
  QueryContext& query = worker.query;
  const UtilityStatement& s = statement_;
  switch (s.kind) {
    case UtilityKind::kDrop:
      for (const auto& name : s.names) {
        const std::set<std::string> dropping(s.names.begin(), s.names.end());
        auto dropped = query.catalog->drop(*query.transaction, name, s.entry_kind, s.if_exists, s.cascade, dropping);
        if (dropped.empty()) {
          const char* kind = s.entry_kind == catalog::EntryKind::kTable ? "table" : "view";
          query.notice("00000", std::string(kind) + " \"" + name + "\" does not exist, skipping");
          continue;
        }
        if (dropped.size() > 1) {
          // PostgreSQL's form: one object in the message, several as DETAIL lines, in the
          // order they were found (dropped holds them in reverse, the named one last).
          std::string detail;
          for (size_t i = dropped.size() - 1; i-- > 0;) {
            if (!detail.empty()) detail += "\n";
            detail += "drop cascades to view " + dropped[i]->name();
          }
          if (dropped.size() == 2) {
            query.notice("00000", detail);
          } else {
            query.notice("00000", "drop cascades to " + std::to_string(dropped.size() - 1) + " other objects", detail);
          }
        }
      }
      break;
    case UtilityKind::kCreateView:
      query.catalog->create_view(*query.transaction, s.name, s.columns, s.query_text, s.dependencies, s.or_replace);
      break;
    case UtilityKind::kSet:
      TS_CHECK(query.settings != nullptr, "SET needs the session's settings");
      query.settings->set(s.name, s.value ? &*s.value : nullptr, s.local);
      break;
    case UtilityKind::kShow:
      TS_CHECK(query.settings != nullptr, "SHOW needs the session's settings");
      out.set_value(0, 0, Value::varchar(query.settings->show(s.name)));
      out.set_size(1);
      break;
  }
  return SourceResult::kFinished;
}

std::string PhysicalUtility::explain_details() const { return statement_.name; }

}  // namespace tessera::executor
