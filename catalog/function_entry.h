#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "src/common/arena.h"
#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"
#include "src/common/selection_vector.h"
#include "src/common/value.h"
#include "src/common/vector.h"

namespace tessera::catalog {

/// How a function is called from SQL: by name, or as an operator symbol (pg_operator), or as an
/// aggregate.
enum class FunctionKind : uint8_t { kFunction = 0, kOperator = 1, kAggregate = 2 };

/// pg_proc.provolatile: whether the result depends only on the arguments (immutable), also on
/// the session or statement (stable), or may change from call to call (volatile).
enum class Volatility : uint8_t { kImmutable = 0, kStable = 1, kVolatile = 2 };

/// What a parameter of a signature accepts.
enum class ParamKind : uint8_t {
  kConcrete = 0,       ///< exactly `type`, or an input implicitly cast to it
  kAny = 1,            ///< PostgreSQL's "any": every input as it is, unknown included
  kAnyNonArray = 2,    ///< polymorphic: every input; all anynonarray inputs share one type
  kAnyCompatible = 3,  ///< polymorphic: inputs promoted to their common type (unknown alone: text)
  /// polymorphic: an array whose element type joins the anycompatible inputs' common type
  /// (PostgreSQL's anycompatiblearray); as a result, the array of that type (or of the
  /// anynonarray type when there is no anycompatible input: array_agg).
  kAnyArray = 4,
  /// As kAnyArray, but every kAnyArrayExact input of a call must have the same type
  /// (PostgreSQL's anyarray: int[] = bigint[] does not resolve).
  kAnyArrayExact = 5,
};

/// One parameter (or the result) of a signature.
struct ParamType {
  ParamKind kind = ParamKind::kConcrete;
  LogicalType type;  ///< for kConcrete

  static ParamType of(LogicalType t) { return ParamType{ParamKind::kConcrete, t}; }
  static ParamType any() { return ParamType{ParamKind::kAny, LogicalType()}; }
  static ParamType any_non_array() { return ParamType{ParamKind::kAnyNonArray, LogicalType()}; }
  static ParamType any_compatible() { return ParamType{ParamKind::kAnyCompatible, LogicalType()}; }
  static ParamType any_array() { return ParamType{ParamKind::kAnyArray, LogicalType()}; }
  static ParamType any_array_exact() { return ParamType{ParamKind::kAnyArrayExact, LogicalType()}; }
  bool is_polymorphic() const { return kind != ParamKind::kConcrete; }
  /// The name pg_proc would show ("integer", "\"any\"", "anynonarray", "anycompatible").
  std::string name() const;
};

/// Per-call-site state a function computes once when it is bound (from its argument types),
/// handed to every execution of that call. Immutable once built; shared by copies of the plan.
class FunctionData {
 public:
  virtual ~FunctionData() = default;
};

/// Vectorized implementation of a scalar function: computes rows sel[0..count) (0..count when
/// sel is null) of `result` from the argument vectors `args` (pointers, so columns of the input
/// chunk are passed without copying) (a flat vector of the call's return type, row r = function of row r of
/// the arguments). The arguments are in the types the signature resolved to, in any
/// representation. For a strict function the caller has already marked invalid in `result`
/// every selected row where an argument is NULL; the kernel must skip those rows (it may compute
/// garbage there but must not raise). Raises SqlError for data errors (22012, 22003, ...).
using ScalarKernel = void (*)(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                              const FunctionData* data);

/// Optional filter fast path of a boolean function: writes the rows of sel[0..count) for which
/// the function is true (not false, not NULL) to `true_sel`, in order, and returns their number;
/// nullopt when the arguments' representation has no fast path (the caller then evaluates the
/// function and keeps the true rows).
using SelectKernel = std::optional<size_t> (*)(std::span<const Vector* const> args, const sel_t* sel, size_t count,
                                               sel_t* true_sel, const FunctionData* data);

/// Optional bind hook: the call site's state from the argument types as resolved (unknown
/// literals are LogicalTypeId::kSqlNull).
using BindKernel = std::shared_ptr<const FunctionData> (*)(std::span<const LogicalType> arg_types);

/// A scalar function or operator overload (pg_proc + pg_operator). Entries live in a
/// FunctionRegistry and never move; plans point at them.
struct ScalarFunction {
  std::string name;  ///< lower-case function name, or the operator symbol ("+", "~~", "IS DISTINCT FROM")
  FunctionKind kind = FunctionKind::kFunction;
  std::vector<ParamType> params;
  /// The last parameter repeats (VARIADIC): calls pass params.size() or more arguments.
  bool variadic = false;
  /// The result type; polymorphic results take the type their polymorphic parameters resolved to.
  ParamType result;
  Volatility volatility = Volatility::kImmutable;
  /// NULL in any argument gives NULL without calling the kernel for that row (pg_proc.proisstrict).
  bool strict = true;
  /// An equality operator whose true result implies equal hashes (pg_operator.oprcanhash): hash
  /// joins, IN sets and decorrelation may use it as a key equality.
  bool hashable = false;
  /// pg_proc oid; assigned from the signature when registered with 0.
  Oid oid = 0;
  ScalarKernel execute = nullptr;
  SelectKernel select = nullptr;
  BindKernel bind = nullptr;

  /// "name(type, type)" as PostgreSQL's error messages and pg_proc print a signature.
  std::string signature() const;
};

// ---- aggregates ---------------------------------------------------------------------------

/// Aggregate states are fixed-size, trivially copyable and trivially destructible blobs laid out
/// by the aggregate (state_size bytes, aligned to state_alignment). The caller may keep the states
/// of several aggregates of a group in one row: functions taking a state pointer per row and an
/// `offset` find row i's state at states[i] + offset (offset is a multiple of state_alignment).
/// Strings a state keeps live in the StringHeap passed to update/combine, which the owner of the
/// states keeps alive.
using AggregateState = std::byte;

/// Sets the states of `count` rows to the empty aggregate.
using AggregateInit = void (*)(AggregateState* const* states, size_t offset, size_t count);
/// Folds row i of the arguments (rows 0..count) into row i's state (several rows may share a
/// state). Rows with a NULL argument are skipped (aggregates are strict).
using AggregateUpdate = void (*)(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset,
                                 StringHeap& heap);
/// Folds rows 0..count of the arguments into the one state `state` (no GROUP BY): the SIMD path.
using AggregateSimpleUpdate = void (*)(std::span<const Vector> args, size_t count, AggregateState* state,
                                       StringHeap& heap);
/// Merges sources[i] into targets[i] for i < count (thread-local states into the global ones).
using AggregateCombine = void (*)(const AggregateState* const* sources, AggregateState* const* targets, size_t offset,
                                  size_t count, StringHeap& heap);
/// Writes the result of row i's state to row i of the flat vector `result` (rows 0..count).
using AggregateFinalize = void (*)(const AggregateState* const* states, size_t offset, size_t count, Vector& result);
/// The inverse of update: removes row i of the arguments from row i's state (incremental
/// maintenance of deleted rows).
using AggregateRetract = void (*)(std::span<const Vector> args, size_t count, AggregateState* const* states,
                                  size_t offset);

/// An ordered-set aggregate's result for one group (`f(direct) WITHIN GROUP (ORDER BY x)`):
/// rows[0..count) are the positions in `values` of the group's non-NULL aggregated values in
/// the requested order; `direct` row `direct_row` is the group's direct argument (unused without
/// one). Writes row `row` of the flat vector `result`, or marks it NULL.
using AggregateOrderedSet = void (*)(const Vector& direct, size_t direct_row, const Vector& values, const sel_t* rows,
                                     size_t count, Vector& result, size_t row);

/// An aggregate function overload (pg_aggregate + pg_proc).
struct AggregateFunction {
  std::string name;
  /// No parameters: count(*).
  std::vector<ParamType> params;
  ParamType result;
  Oid oid = 0;
  /// DISTINCT cannot change the result (min, max, bool_and, bool_or).
  bool distinct_insensitive = false;
  size_t state_size = 0;
  size_t state_alignment = 1;
  AggregateInit init = nullptr;
  AggregateUpdate update = nullptr;
  AggregateSimpleUpdate simple_update = nullptr;  ///< optional
  AggregateCombine combine = nullptr;
  AggregateFinalize finalize = nullptr;
  AggregateRetract retract = nullptr;  ///< optional
  /// Set for ordered-set aggregates (percentile_cont, percentile_disc, mode), which have no
  /// update/combine/finalize: their parameters are the direct arguments, then the aggregated one.
  AggregateOrderedSet ordered_set = nullptr;

  std::string signature() const;
};

// ---- table functions -----------------------------------------------------------------------

/// The columns a table function call returns, decided when the call is bound.
struct TableFunctionSchema {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  /// The planner's row estimate (PostgreSQL's prorows default is 1000).
  double estimated_rows = 1000;
};

/// The rows of one part of a table function's run, produced chunk by chunk by one worker.
class TableFunctionPart {
 public:
  virtual ~TableFunctionPart() = default;
  /// Appends the part's next rows to `out` (initialized to the schema's types, empty): at least
  /// one and at most kVectorSize. Returns false, with no rows added, when the part is done.
  virtual bool produce(DataChunk& out) = 0;
};

/// One run of a table function, from its argument values: immutable, shared by the workers that
/// produce its rows. The rows split into `num_parts()` independent parts that workers produce in
/// parallel, each part by one worker.
class TableFunctionRun {
 public:
  virtual ~TableFunctionRun() = default;
  virtual size_t num_parts() const = 0;
  virtual std::unique_ptr<TableFunctionPart> open_part(size_t part) const = 0;
};

/// Binds a call: the output columns, from the argument types as resolved and each argument's
/// value when it is a constant at plan time (nullopt when it is not). Throws SqlError for bad
/// arguments that are known at plan time.
using TableFunctionBind = TableFunctionSchema (*)(std::span<const LogicalType> arg_types,
                                                  std::span<const std::optional<Value>> constants);
/// Starts a run from the argument values (cast to the resolved types), evaluated once when the
/// query starts. Throws SqlError for bad arguments.
using TableFunctionInit = std::unique_ptr<TableFunctionRun> (*)(std::span<const Value> args,
                                                                const TableFunctionSchema& schema);

/// A function used in FROM that returns a set of rows (pg_proc with proretset), e.g.
/// generate_series. Entries live in a FunctionRegistry and never move.
struct TableFunction {
  std::string name;
  std::vector<ParamType> params;
  Volatility volatility = Volatility::kImmutable;
  Oid oid = 0;
  TableFunctionBind bind = nullptr;
  TableFunctionInit init = nullptr;

  std::string signature() const;
};

}  // namespace tessera::catalog
