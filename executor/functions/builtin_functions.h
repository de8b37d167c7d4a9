#pragma once

namespace tessera::catalog { class FunctionRegistry; }

namespace tessera::executor {

/// Registers every built-in function, operator and aggregate into `registry` (once, when a
/// database is built; tests call it for their own registry). The implementations live in the
/// executor, one file per family; the catalog keeps their signatures and kernel pointers.
void register_builtin_functions(catalog::FunctionRegistry& registry);

// The families, each defined in its own file of executor/functions/.
void register_arithmetic_functions(catalog::FunctionRegistry& registry);
void register_comparison_functions(catalog::FunctionRegistry& registry);
void register_array_functions(catalog::FunctionRegistry& registry);
void register_string_functions(catalog::FunctionRegistry& registry);
void register_pattern_functions(catalog::FunctionRegistry& registry);
void register_math_functions(catalog::FunctionRegistry& registry);
void register_null_functions(catalog::FunctionRegistry& registry);
void register_system_functions(catalog::FunctionRegistry& registry);
void register_aggregate_functions(catalog::FunctionRegistry& registry);
void register_ordered_set_aggregates(catalog::FunctionRegistry& registry);
void register_datetime_functions(catalog::FunctionRegistry& registry);
void register_numeric_functions(catalog::FunctionRegistry& registry);
void register_table_functions(catalog::FunctionRegistry& registry);
void register_tpch_functions(catalog::FunctionRegistry& registry);
void register_bytea_functions(catalog::FunctionRegistry& registry);
void register_uuid_functions(catalog::FunctionRegistry& registry);
void register_sequence_functions(catalog::FunctionRegistry& registry);

}  // namespace tessera::executor
