// Functions with their own NULL rules (not strict): NULLIF, GREATEST and LEAST, polymorphic over
// their arguments' common type. (COALESCE evaluates its arguments lazily and is an expression of
// its own, BoundCoalesce.)

#include <vector>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

/// Calls f.template operator()<T>() for the physical type of `type`.
template <class F>
void dispatch_physical(const LogicalType& type, F&& f) {
  switch (type.physical_type()) {
    case PhysicalType::kBool: return f.template operator()<uint8_t>();
    case PhysicalType::kInt16: return f.template operator()<int16_t>();
    case PhysicalType::kInt32: return f.template operator()<int32_t>();
    case PhysicalType::kInt64: return f.template operator()<int64_t>();
    case PhysicalType::kDouble: return f.template operator()<double>();
    case PhysicalType::kFloat: return f.template operator()<float>();
    case PhysicalType::kString: return f.template operator()<string_t>();
    case PhysicalType::kInterval: return f.template operator()<Interval>();
    case PhysicalType::kNumeric: return f.template operator()<Numeric>();
    case PhysicalType::kInvalid: break;
  }
  TS_CHECK(false, "function over a value of invalid type");
}

template <bool GREATEST>
void greatest_least_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                           const catalog::FunctionData*) {
  dispatch_physical(result.type(), [&]<class T>() {
    std::vector<UnifiedVectorFormat> fmts(args.size());
    for (size_t k = 0; k < args.size(); k++) {
      args[k]->to_unified(count, fmts[k]);
      result.keep_heaps_of(*args[k]);
    }
    T* out = result.mutable_values<T>();
    ValidityMask& validity = result.mutable_validity();
    for_each_row(sel, count, [&](sel_t r) {
      bool found = false;
      T best{};
      for (const auto& f : fmts) {
        sel_t i = f.sel.get_index(r);
        if (!f.validity->row_is_valid(i)) continue;
        const T& v = f.values<T>()[i];
        if (!found || (GREATEST ? compare_values(v, best) > 0 : compare_values(v, best) < 0)) best = v;
        found = true;
      }
      if (found) {
        out[r] = best;
      } else {
        validity.set_invalid(r);
      }
    });
  });
}

void nullif_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  dispatch_physical(result.type(), [&]<class T>() {
    UnifiedVectorFormat ua, ub;
    args[0]->to_unified(count, ua);
    args[1]->to_unified(count, ub);
    result.keep_heaps_of(*args[0]);
    T* out = result.mutable_values<T>();
    ValidityMask& validity = result.mutable_validity();
    for_each_row(sel, count, [&](sel_t r) {
      sel_t ia = ua.sel.get_index(r), ib = ub.sel.get_index(r);
      if (!ua.validity->row_is_valid(ia)) {
        validity.set_invalid(r);
        return;
      }
      const T& x = ua.values<T>()[ia];
      if (ub.validity->row_is_valid(ib) && compare_values(x, ub.values<T>()[ib]) == 0) {
        validity.set_invalid(r);
        return;
      }
      out[r] = x;
    });
  });
}

catalog::ScalarFunction polymorphic(const char* name, size_t params, bool variadic, catalog::ScalarKernel kernel) {
  catalog::ScalarFunction f;
  f.name = name;
  f.params.assign(params, catalog::ParamType::any_compatible());
  f.variadic = variadic;
  f.result = catalog::ParamType::any_compatible();
  f.strict = false;
  f.execute = kernel;
  return f;
}

}  // namespace

void register_null_functions(catalog::FunctionRegistry& registry) {
  registry.add(polymorphic("nullif", 2, false, nullif_kernel));
  registry.add(polymorphic("greatest", 1, true, greatest_least_kernel<true>));
  registry.add(polymorphic("least", 1, true, greatest_least_kernel<false>));
}

}  // namespace tessera::executor
