// tpch_data(table, scale_factor): the rows of one TPC-H table at a scale factor, as a table
// function (CALL tpch_generate(sf) inserts them into the eight tables).

#include <cmath>
#include <memory>
#include <mutex>

#include "catalog/function_registry.h"
#include "executor/functions/builtin_functions.h"
#include "executor/functions/tpch/dbgen.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

using catalog::TableFunctionPart;
using catalog::TableFunctionRun;
using catalog::TableFunctionSchema;

/// Units (rows; orders for lineitem) per part: parts are generated in parallel.
constexpr uint64_t kUnitsPerPart = 8192;

/// The generator of the last scale factor used: its text pool is built once for the eight tables.
std::shared_ptr<const tpch::Generator> generator_for(double scale_factor) {
  static std::mutex mutex;
  static std::shared_ptr<const tpch::Generator> last;
  std::lock_guard lock(mutex);
  if (!last || last->scale_factor() != scale_factor) last = std::make_shared<const tpch::Generator>(scale_factor);
  return last;
}

tpch::Table table_argument(const Value& value) {
  if (value.is_null()) throw SqlError(SqlState::kNullValueNotAllowed, "the TPC-H table name must not be NULL");
  auto table = tpch::table_by_name(value.get_string());
  if (!table) {
    throw SqlError(SqlState::kInvalidParameterValue, "\"" + value.get_string() + "\" is not a TPC-H table")
        .with_hint("The tables are region, nation, part, supplier, partsupp, customer, orders and lineitem.");
  }
  return *table;
}

double scale_factor_argument(const Value& value) {
  const double sf = value.is_null() ? 0 : value.get_double();
  if (!(sf > 0) || !std::isfinite(sf) || sf > 100000) {
    throw SqlError(SqlState::kInvalidParameterValue, "the TPC-H scale factor must be greater than 0 and at most 100000");
  }
  return sf;
}

class TpchRun : public TableFunctionRun {
 public:
  TpchRun(std::shared_ptr<const tpch::Generator> generator, tpch::Table table)
      : generator_(std::move(generator)), table_(table), units_(generator_->num_units(table)) {}
  size_t num_parts() const override { return static_cast<size_t>((units_ + kUnitsPerPart - 1) / kUnitsPerPart); }
  std::unique_ptr<TableFunctionPart> open_part(size_t part) const override {
    const uint64_t begin = part * kUnitsPerPart;
    return std::make_unique<Part>(*this, begin, std::min(units_, begin + kUnitsPerPart));
  }

 private:
  class Part : public TableFunctionPart {
   public:
    Part(const TpchRun& run, uint64_t begin, uint64_t end) : run_(run), unit_(begin), end_(end) {}
    bool produce(DataChunk& out) override {
      if (unit_ >= end_) return false;
      run_.generator_->produce(run_.table_, unit_, line_, end_, out);
      return out.size() > 0;
    }

   private:
    const TpchRun& run_;
    uint64_t unit_;
    uint32_t line_ = 0;
    uint64_t end_;
  };

  std::shared_ptr<const tpch::Generator> generator_;
  tpch::Table table_;
  uint64_t units_;
};

TableFunctionSchema bind_tpch(std::span<const LogicalType>, std::span<const std::optional<Value>> constants) {
  if (!constants[0].has_value()) {
    throw SqlError(SqlState::kFeatureNotSupported, "the TPC-H table name must be a constant");
  }
  const tpch::Table table = table_argument(*constants[0]);
  TableFunctionSchema schema;
  for (const auto& column : tpch::table_columns(table)) {
    schema.names.push_back(column.name);
    schema.types.push_back(column.type);
  }
  if (constants[1].has_value()) {
    const double sf = scale_factor_argument(*constants[1]);
    schema.estimated_rows = static_cast<double>(tpch::num_units(table, sf)) * tpch::rows_per_unit(table);
  }
  return schema;
}

std::unique_ptr<TableFunctionRun> init_tpch(std::span<const Value> args, const TableFunctionSchema&) {
  const tpch::Table table = table_argument(args[0]);
  return std::make_unique<TpchRun>(generator_for(scale_factor_argument(args[1])), table);
}

}  // namespace

void register_tpch_functions(catalog::FunctionRegistry& registry) {
  catalog::TableFunction f;
  f.name = "tpch_data";
  f.params = {catalog::ParamType::of(LogicalType::varchar()), catalog::ParamType::of(LogicalType::double_precision())};
  f.bind = bind_tpch;
  f.init = init_tpch;
  registry.add(std::move(f));
}

}  // namespace tessera::executor
