#include "executor/functions/builtin_functions.h"

namespace tessera::executor {

void register_builtin_functions(catalog::FunctionRegistry& registry) {
  register_arithmetic_functions(registry);
  register_comparison_functions(registry);
  register_array_functions(registry);
  register_string_functions(registry);
  register_pattern_functions(registry);
  register_math_functions(registry);
  register_null_functions(registry);
  register_system_functions(registry);
  register_aggregate_functions(registry);
  register_ordered_set_aggregates(registry);
  register_datetime_functions(registry);
  register_numeric_functions(registry);
  register_table_functions(registry);
  register_tpch_functions(registry);
  register_bytea_functions(registry);
  register_uuid_functions(registry);
  register_sequence_functions(registry);
}

}  // namespace tessera::executor
