// Session and system information functions: version(), current_database() (current_catalog),
// current_schema(), current_user (session_user, user, current_role) and pg_typeof("any").

#include <memory>
#include <string>

#include "catalog/catalog.h"
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
constexpr char kSchema[] = "public";
constexpr char kUser[] = "tessera";

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

catalog::ScalarFunction session_function(const char* name, catalog::ScalarKernel kernel) {
  catalog::ScalarFunction f = make_function(name, {}, LogicalType::varchar(), kernel);
  f.volatility = catalog::Volatility::kStable;
  return f;
}

}  // namespace

void register_system_functions(catalog::FunctionRegistry& registry) {
  registry.add(session_function("version", constant_kernel<kVersion>));
  registry.add(session_function("current_database", constant_kernel<catalog::kDatabaseName>));
  registry.add(session_function("current_catalog", constant_kernel<catalog::kDatabaseName>));
  registry.add(session_function("current_schema", constant_kernel<kSchema>));
  for (const char* name : {"current_user", "session_user", "user", "current_role"}) {
    registry.add(session_function(name, constant_kernel<kUser>));
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
}

}  // namespace tessera::executor
