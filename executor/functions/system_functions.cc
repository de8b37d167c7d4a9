// Session and system information functions: version(), current_database() (current_catalog),
// current_schema(), current_schemas(bool), current_user (session_user, user, current_role),
// pg_typeof("any") and the table function tessera_storage() (how tables are stored).

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "catalog/function_registry.h"
#include "storage/data_table.h"
#include "catalog/search_path.h"
#include "catalog/sequence_session.h"
#include "src/common/array_value.h"
#include "src/common/sql_error.h"
#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"

namespace tessera::executor {

namespace {

template <const char* VALUE>
void constant_kernel(std::span<const Vector* const>, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  fill_string(VALUE, sel, count, result);
}

constexpr char kVersion[] = "PostgreSQL 15.6 (Tessera) on x86_64-pc-linux-gnu, compiled by g++, 64-bit";
constexpr const char* kUser = catalog::kBootstrapRole;

/// pg_typeof's call-site state: the name of its argument's type, known once bound.
struct TypeName : catalog::FunctionData {
  explicit TypeName(std::string name) : name(std::move(name)) {}
  std::string name;
};

std::shared_ptr<const catalog::FunctionData> bind_typeof(std::span<const LogicalType> arg_types) {
  return std::make_shared<TypeName>(catalog::signature_type_name(arg_types[0]));
}

void typeof_kernel(std::span<const Vector* const>, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData* data) {
  fill_string(static_cast<const TypeName&>(*data).name, sel, count, result);
}

/// The search path of the query's session, as its transaction sees the schemas
/// (current_schemas; `include_implicit` adds pg_catalog when not listed).
std::vector<std::string> session_search_path(const char* function, bool include_implicit) {
  const catalog::SequenceContext* context = catalog::current_sequence_context();
  if (!context || !context->catalog || !context->transaction) {
    throw SqlError(SqlState::kFeatureNotSupported, std::string(function) + "() is not supported in this context");
  }
  return catalog::search_path_schemas(*context->catalog, *context->transaction, context->search_path, kUser,
                                      include_implicit);
}

/// current_schema(): the first schema of the search path that exists (pg_catalog only when
/// listed), NULL when there is none.
void current_schema_kernel(std::span<const Vector* const>, const sel_t* sel, size_t count, Vector& result,
                           const catalog::FunctionData*) {
  const auto path = session_search_path("current_schema", false);
  for_each_row(sel, count, [&](sel_t r) {
    result.set_value(r, path.empty() ? Value::null(LogicalType::varchar()) : Value::varchar(path.front()));
  });
}

/// current_schemas(include_implicit): the schemas of the search path that exist, as text[].
void current_schemas_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                            const catalog::FunctionData*) {
  for_each_row(sel, count, [&](sel_t r) {
    const Value implicit = args[0]->get_value(r);
    if (implicit.is_null()) {
      result.set_value(r, Value::null(result.type()));
      return;
    }
    std::vector<Value> elements;
    for (const auto& schema : session_search_path("current_schemas", implicit.get_bool())) {
      elements.push_back(Value::varchar(schema));
    }
    result.set_value(r, array::make(LogicalType::varchar(), elements));
  });
}

catalog::ScalarFunction session_function(const char* name, catalog::ScalarKernel kernel) {
  catalog::ScalarFunction f = make_function(name, {}, LogicalType::varchar(), kernel);
  f.volatility = catalog::Volatility::kStable;
  return f;
}

/// tessera_storage(): one row per table, row group and column of the tables the query's
/// transaction sees: how the column's segments in that row group are stored (their encodings,
/// most rows first, comma-separated), the block codec of the row group's data file ('none'
/// for row groups only in memory: appended since the last checkpoint, or not yet full),
/// the rows, the bytes the segments take and would take uncompressed, and the row group's
/// min and max of the column as text (NULL when it has no non-NULL value), and the table's
/// schema.
catalog::TableFunctionSchema bind_tessera_storage(std::span<const LogicalType>, std::span<const std::optional<Value>>) {
  catalog::TableFunctionSchema schema;
  schema.names = {"table_name", "row_group", "column_name", "encoding", "codec",
                  "rows", "compressed_bytes", "uncompressed_bytes", "min", "max", "schema_name"};
  schema.types = {LogicalType::varchar(), LogicalType::bigint(), LogicalType::varchar(), LogicalType::varchar(),
                  LogicalType::varchar(), LogicalType::bigint(), LogicalType::bigint(), LogicalType::bigint(),
                  LogicalType::varchar(), LogicalType::varchar(), LogicalType::varchar()};
  return schema;
}

class StorageRun : public catalog::TableFunctionRun, public catalog::TableFunctionPart {
 public:
  explicit StorageRun(std::vector<std::vector<Value>> rows) : rows_(std::move(rows)) {}
  size_t num_parts() const override { return 1; }
  std::unique_ptr<catalog::TableFunctionPart> open_part(size_t) const override {
    return std::make_unique<StorageRun>(rows_);
  }
  bool produce(DataChunk& out) override {
    if (next_ == rows_.size()) return false;
    const size_t n = std::min(kVectorSize, rows_.size() - next_);
    for (size_t r = 0; r < n; r++) {
      for (size_t c = 0; c < rows_[next_ + r].size(); c++) out.set_value(c, r, rows_[next_ + r][c]);
    }
    out.set_size(n);
    next_ += n;
    return true;
  }

 private:
  std::vector<std::vector<Value>> rows_;
  size_t next_ = 0;
};

std::unique_ptr<catalog::TableFunctionRun> init_tessera_storage(std::span<const Value>,
                                                                const catalog::TableFunctionSchema&) {
  const catalog::SequenceContext* context = catalog::current_sequence_context();
  if (!context || !context->catalog || !context->transaction) {
    throw SqlError(SqlState::kFeatureNotSupported, "tessera_storage() is not supported in this context");
  }
  std::vector<std::vector<Value>> rows;
  for (const auto& entry : context->catalog->entries(*context->transaction)) {
    if (entry->kind() != catalog::EntryKind::kTable) continue;
    const auto& table = static_cast<const catalog::TableEntry&>(*entry);
    auto schema = context->catalog->find_schema(*context->transaction, table.schema_oid());
    const Value schema_name = Value::varchar(schema ? schema->name() : std::to_string(table.schema_oid()));
    struct Group {
      std::map<storage::SegmentEncoding, size_t> rows_by_encoding;
      size_t rows = 0, compressed = 0, uncompressed = 0;
      const char* codec = "none";
    };
    std::map<std::pair<size_t, size_t>, Group> groups;  // (row group, column)
    for (const storage::SegmentStats& s : table.storage().segment_stats()) {
      Group& g = groups[{s.row_group, s.column}];
      g.rows_by_encoding[s.encoding] += s.rows;
      g.codec = s.codec;
      g.rows += s.rows;
      g.compressed += s.compressed_bytes;
      g.uncompressed += s.uncompressed_bytes;
    }
    for (const auto& [key, g] : groups) {
      const auto [row_group, column] = key;
      std::vector<std::pair<size_t, storage::SegmentEncoding>> encodings;
      for (const auto& [encoding, n] : g.rows_by_encoding) encodings.push_back({n, encoding});
      std::stable_sort(encodings.begin(), encodings.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      std::string names;
      for (const auto& e : encodings) names += (names.empty() ? "" : ",") + std::string(segment_encoding_name(e.second));
      const storage::ZoneMap zone = table.storage().row_group_zone_map(column, row_group);
      auto text = [](const Value& v) { return v.is_null() ? Value::null(LogicalType::varchar()) : Value::varchar(v.to_string()); };
      rows.push_back({Value::varchar(table.name()), Value::bigint(static_cast<int64_t>(row_group)),
                      Value::varchar(table.columns()[column].name), Value::varchar(names), Value::varchar(g.codec),
                      Value::bigint(static_cast<int64_t>(g.rows)), Value::bigint(static_cast<int64_t>(g.compressed)),
                      Value::bigint(static_cast<int64_t>(g.uncompressed)), text(zone.min()), text(zone.max()),
                      schema_name});
    }
  }
  return std::make_unique<StorageRun>(std::move(rows));
}

}  // namespace

void register_system_functions(catalog::FunctionRegistry& registry) {
  registry.add(session_function("version", constant_kernel<kVersion>));
  registry.add(session_function("current_database", constant_kernel<catalog::kDatabaseName>));
  registry.add(session_function("current_catalog", constant_kernel<catalog::kDatabaseName>));
  // Volatile, not stable as in PostgreSQL: they read the session's search path, which only a
  // running query has, so they are never evaluated at plan time.
  catalog::ScalarFunction schema_fn = session_function("current_schema", current_schema_kernel);
  schema_fn.volatility = catalog::Volatility::kVolatile;
  registry.add(std::move(schema_fn));
  catalog::ScalarFunction schemas_fn = make_function("current_schemas", {LogicalType::boolean()},
                                                     LogicalType::array_of(LogicalType::varchar()),
                                                     current_schemas_kernel);
  schemas_fn.volatility = catalog::Volatility::kVolatile;
  registry.add(std::move(schemas_fn));
  for (const char* name : {"current_user", "session_user", "user", "current_role"}) {
    registry.add(session_function(name, constant_kernel<catalog::kBootstrapRole>));
  }
  // pg_typeof returns regtype, printed as the type's name; Tessera returns that name as text.
  catalog::ScalarFunction typeof_fn;
  typeof_fn.name = "pg_typeof";
  typeof_fn.params = {catalog::ParamType::any()};
  typeof_fn.result = catalog::ParamType::of(LogicalType::varchar());
  typeof_fn.volatility = catalog::Volatility::kStable;
  typeof_fn.strict = false;
  typeof_fn.execute = typeof_kernel;
  typeof_fn.bind = bind_typeof;
  registry.add(std::move(typeof_fn));
  catalog::TableFunction storage;
  storage.name = "tessera_storage";
  storage.volatility = catalog::Volatility::kVolatile;
  storage.bind = bind_tessera_storage;
  storage.init = init_tessera_storage;
  registry.add(std::move(storage));
}

}  // namespace tessera::executor
