// Sequence functions: nextval, currval, setval (two and three arguments) and lastval. They take
// the sequence as regclass-style text ('s', '"S"', 'public.s') and work on the thread's
// catalog::SequenceContext, which the query executor installs for the query's tasks.

#include <utility>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "catalog/sequence_session.h"
#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

const catalog::SequenceContext& sequence_context(const char* function) {
  const catalog::SequenceContext* context = catalog::current_sequence_context();
  if (!context) {
    throw SqlError(SqlState::kFeatureNotSupported, std::string(function) + "() is not supported in this context");
  }
  return *context;
}

void nextval_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                    const catalog::FunctionData*) {
  const auto& context = sequence_context("nextval");
  unary_strict<string_t, int64_t>(*args[0], sel, count, result, [&](const string_t& name) {
    auto sequence = catalog::find_sequence(context, name.view());
    int64_t value = sequence->next_value();
    context.session->record_next(sequence->oid(), sequence->name(), value);
    return value;
  });
}

void currval_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                    const catalog::FunctionData*) {
  const auto& context = sequence_context("currval");
  unary_strict<string_t, int64_t>(*args[0], sel, count, result, [&](const string_t& name) {
    auto sequence = catalog::find_sequence(context, name.view());
    auto value = context.session->current(sequence->oid());
    if (!value) {
      throw SqlError(SqlState::kObjectNotInPrerequisiteState,
                     "currval of sequence \"" + sequence->name() + "\" is not yet defined in this session");
    }
    return *value;
  });
}

void lastval_kernel(std::span<const Vector* const>, const sel_t* sel, size_t count, Vector& result,
                    const catalog::FunctionData*) {
  const auto& context = sequence_context("lastval");
  int64_t* out = result.mutable_values<int64_t>();
  for_each_row(sel, count, [&](sel_t r) {
    auto last = context.session->last_used();
    // A sequence dropped since counts as never used (PostgreSQL's check of the relation).
    auto entry = last ? context.catalog->find(*context.transaction, last->first) : nullptr;
    auto value = entry && entry->oid() == last->second ? context.session->current(last->second) : std::nullopt;
    if (!value) throw SqlError(SqlState::kObjectNotInPrerequisiteState, "lastval is not yet defined in this session");
    out[r] = *value;
  });
}

int64_t do_setval(const catalog::SequenceContext& context, const string_t& name, int64_t value, bool is_called) {
  auto sequence = catalog::find_sequence(context, name.view());
  sequence->set_value(value, is_called);
  if (is_called) context.session->record_set(sequence->oid(), value);
  return value;
}

void setval2_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                    const catalog::FunctionData*) {
  const auto& context = sequence_context("setval");
  binary_strict<string_t, int64_t, int64_t>(*args[0], *args[1], sel, count, result,
                                            [&](const string_t& name, int64_t value) {
                                              return do_setval(context, name, value, true);
                                            });
}

void setval3_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                    const catalog::FunctionData*) {
  const auto& context = sequence_context("setval");
  UnifiedVectorFormat names, values, called;
  args[0]->to_unified(count, names);
  args[1]->to_unified(count, values);
  args[2]->to_unified(count, called);
  int64_t* out = result.mutable_values<int64_t>();
  const ValidityMask& valid = std::as_const(result).validity();
  for_each_row(sel, count, [&](sel_t r) {
    if (!valid.row_is_valid(r)) return;
    out[r] = do_setval(context, names.values<string_t>()[names.sel.get_index(r)],
                       values.values<int64_t>()[values.sel.get_index(r)],
                       called.values<uint8_t>()[called.sel.get_index(r)] != 0);
  });
}

catalog::ScalarFunction sequence_function(const char* name, std::vector<LogicalType> params, Oid oid,
                                          catalog::ScalarKernel kernel) {
  catalog::ScalarFunction f = make_function(name, std::move(params), LogicalType::bigint(), kernel);
  f.volatility = catalog::Volatility::kVolatile;
  f.oid = oid;
  return f;
}

}  // namespace

void register_sequence_functions(catalog::FunctionRegistry& registry) {
  // pg_proc's oids; the regclass parameter is text here (a name, as 'seq'::regclass reads it).
  registry.add(sequence_function("nextval", {LogicalType::varchar()}, 1574, nextval_kernel));
  registry.add(sequence_function("currval", {LogicalType::varchar()}, 1575, currval_kernel));
  registry.add(sequence_function("setval", {LogicalType::varchar(), LogicalType::bigint()}, 1576, setval2_kernel));
  registry.add(sequence_function("setval", {LogicalType::varchar(), LogicalType::bigint(), LogicalType::boolean()},
                                 1765, setval3_kernel));
  registry.add(sequence_function("lastval", {}, 2559, lastval_kernel));
}

}  // namespace tessera::executor
