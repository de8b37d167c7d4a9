#include "executor/expression/expression_executor.h"

#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "catalog/function_entry.h"
#include "executor/expression/cast.h"
#include "executor/expression/subquery_plan.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"

namespace tessera::executor {

using planner::BoundExprKind;
using planner::BoundExpression;

namespace {

/// Fills rows sel[0..count) with the selection of all rows when sel is null.
inline sel_t row_at(const sel_t* sel, size_t i) { return sel ? sel[i] : static_cast<sel_t>(i); }

std::string params_key(const std::vector<Value>& params) {
  std::string key;
  for (const auto& p : params) {
    key += p.is_null() ? std::string("\x01N", 2) : "\x02" + p.to_string();
    key += '\x00';
  }
  return key;
}

/// Copies the rows in `sel` of `src` (any representation) into the same rows of flat `dst`.
void scatter_rows(const Vector& src, const sel_t* sel, size_t count, Vector& dst) {
  UnifiedVectorFormat f;
  src.to_unified(count, f);
  const size_t width = dst.type().physical_size();
  const bool is_string = dst.type().physical_type() == PhysicalType::kString;
  if (is_string) dst.keep_heaps_of(src);
  uint8_t* data = dst.mutable_data();
  ValidityMask& validity = dst.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    sel_t r = row_at(sel, i);
    sel_t s = f.sel.get_index(r);
    if (!f.validity->row_is_valid(s)) {
      validity.set_invalid(r);
      continue;
    }
    validity.set_valid(r);
    std::memcpy(data + r * width, f.data + s * width, width);
  }
}

}  // namespace

namespace {

/// Three-valued boolean value at a unified position: 0 false, 1 true, 2 NULL.
inline uint8_t bool_state(const UnifiedVectorFormat& f, sel_t row) {
  sel_t i = f.sel.get_index(row);
  if (!f.validity->row_is_valid(i)) return 2;
  return f.values<uint8_t>()[i] ? 1 : 0;
}

/// The evaluated arguments of one function call, as the pointers kernels take: a column of the
/// input is passed as it is; other arguments are evaluated into vectors owned here (up to three
/// inline, so common calls allocate nothing per chunk).
class Arguments {
 public:
  explicit Arguments(size_t n) : n_(n) {
    if (n > kInline) {
      heap_.resize(n);
      heap_pointers_.resize(n);
    }
  }
  /// Evaluates argument i.
  template <class Eval>
  void set(size_t i, const BoundExpression& expr, const DataChunk& input, Eval&& eval) {
    const Vector** slot = n_ > kInline ? &heap_pointers_[i] : &pointers_[i];
    if (expr.kind == BoundExprKind::kReference) {
      *slot = &input.column(static_cast<const planner::BoundReference&>(expr).index);
      return;
    }
    Vector& owned = n_ > kInline ? heap_[i] : inline_[i];
    eval(expr, owned);
    *slot = &owned;
  }
  std::span<const Vector* const> span() const {
    return n_ > kInline ? std::span<const Vector* const>(heap_pointers_) : std::span<const Vector* const>(pointers_, n_);
  }

 private:
  static constexpr size_t kInline = 3;
  Vector inline_[kInline];
  const Vector* pointers_[kInline] = {};
  std::vector<Vector> heap_;
  std::vector<const Vector*> heap_pointers_;
  size_t n_;
};

/// Runs scalar function `fn` over its evaluated arguments for the rows sel[0..count) into `out`,
/// a fresh flat vector of the result type. For a strict function the NULL rows are marked in
/// `out` before the kernel runs (a constant NULL argument makes `out` a constant NULL instead).
void invoke(const catalog::ScalarFunction& fn, const catalog::FunctionData* data, std::span<const Vector* const> args,
            const sel_t* sel, size_t count, Vector& out) {
  if (fn.strict) {
    for (const Vector* arg : args) {
      const Vector& a = *arg;
      if (a.vector_type() == VectorType::kConstant) {
        if (!a.validity().row_is_valid(0)) {
          out = Vector(Value::null(out.type()));
          return;
        }
        continue;
      }
      if (a.vector_type() == VectorType::kFlat && a.validity().all_valid()) continue;
      UnifiedVectorFormat f;
      a.to_unified(count, f);
      if (f.validity->all_valid()) continue;
      ValidityMask& validity = out.mutable_validity();
      for (size_t i = 0; i < count; i++) {
        sel_t r = row_at(sel, i);
        if (!f.validity->row_is_valid(f.sel.get_index(r))) validity.set_invalid(r);
      }
    }
  }
  fn.execute(args, sel, count, out, data);
}

}  // namespace

/// The values of an `x = ANY (subquery)` result as a hash set, so each row is one probe.
struct ValueSet {
  std::unordered_set<std::string> values;  ///< non-NULL values, by value_key
  bool has_null = false;
  bool empty = true;
};

/// Results of a subquery already computed, by parameter values.
struct ExpressionExecutor::SubqueryCache {
  std::unordered_map<std::string, std::vector<DataChunk>> results;
  std::unordered_map<std::string, ValueSet> sets;
};

namespace {

/// A hashable key for one non-NULL value; equal SQL values (also -0 and 0) give equal keys.
std::string value_key(const Value& v) {
  if ((v.type().id() == LogicalTypeId::kDouble || v.type().id() == LogicalTypeId::kReal) && v.get_double() == 0) return "0";
  // A bpchar's output is padded to its type's length; its stored form is the same for every length.
  if (v.type().id() == LogicalTypeId::kChar) return v.get_string();
  // Equal numerics of different scales (1.5 and 1.500) and equal intervals of different
  // fields ('1 day' and '24 hours') share one key.
  if (v.type().id() == LogicalTypeId::kNumeric && !v.get_numeric().is_nan()) {
    __int128 c = v.get_numeric().coefficient();
    int scale = v.get_numeric().scale();
    while (scale > 0 && c % 10 == 0) {
      c /= 10;
      scale--;
    }
    return Value::numeric(Numeric::make(c, scale)).to_string();
  }
  if (v.type().id() == LogicalTypeId::kInterval) {
    const __int128 n = v.get_interval().normalized();
    return std::to_string(static_cast<int64_t>(n >> 64)) + ":" + std::to_string(static_cast<uint64_t>(n));
  }
  return v.to_string();
}

}  // namespace

ExpressionExecutor::ExpressionExecutor(QueryContext& query) : query_(query) {}

ExpressionExecutor::~ExpressionExecutor() = default;

void ExpressionExecutor::execute(const BoundExpression& expr, const DataChunk& input, Vector& result) {
  eval(expr, input, nullptr, input.size(), result);
}

void ExpressionExecutor::execute(const std::vector<planner::BoundExprPtr>& exprs, const DataChunk& input, DataChunk& output) {
  for (size_t i = 0; i < exprs.size(); i++) {
    Vector result;
    eval(*exprs[i], input, nullptr, input.size(), result);
    output.column(i).reference(result);
  }
  output.set_size(input.size());
}

size_t ExpressionExecutor::select(const std::vector<planner::BoundExprPtr>& conjuncts, const DataChunk& input,
                                  SelectionVector& sel) {
  size_t count = input.size();
  const sel_t* current = nullptr;
  SelectionVector buffer(kVectorSize);
  SelectionVector other(kVectorSize);
  for (const auto& c : conjuncts) {
    count = eval_select(*c, input, current, count, buffer.data());
    std::swap(buffer, other);
    current = other.data();
    if (count == 0) break;
  }
  if (current) {
    sel = other;
  } else {
    sel = SelectionVector(kVectorSize);
    for (size_t i = 0; i < count; i++) sel.set_index(i, static_cast<sel_t>(i));
  }
  return count;
}

size_t ExpressionExecutor::eval_select(const BoundExpression& expr, const DataChunk& input, const sel_t* sel, size_t count,
                                       sel_t* true_sel) {
  if (expr.kind == BoundExprKind::kConjunction) {
    const auto& conj = static_cast<const planner::BoundConjunction&>(expr);
    if (conj.is_and) {
      // Each conjunct only sees the rows the previous ones kept.
      std::vector<sel_t> a(count + 1), b(count + 1);
      const sel_t* current = sel;
      size_t n = count;
      bool use_a = true;
      for (const auto& child : conj.children) {
        sel_t* out = use_a ? a.data() : b.data();
        n = eval_select(*child, input, current, n, out);
        current = out;
        use_a = !use_a;
        if (n == 0) break;
      }
      if (n > 0) std::memcpy(true_sel, current, n * sizeof(sel_t));
      return n;
    }
    // OR: each disjunct sees the rows not yet accepted; the result keeps input order.
    std::vector<uint8_t> accepted(input.size() == 0 ? 1 : input.size(), 0);
    std::vector<sel_t> remaining(count), next(count), matched(count);
    for (size_t i = 0; i < count; i++) remaining[i] = row_at(sel, i);
    size_t n = count;
    for (const auto& child : conj.children) {
      size_t m = eval_select(*child, input, remaining.data(), n, matched.data());
      for (size_t i = 0; i < m; i++) accepted[matched[i]] = 1;
      size_t k = 0;
      for (size_t i = 0; i < n; i++) {
        if (!accepted[remaining[i]]) next[k++] = remaining[i];
      }
      std::swap(remaining, next);
      n = k;
      if (n == 0) break;
    }
    size_t result = 0;
    for (size_t i = 0; i < count; i++) {
      sel_t r = row_at(sel, i);
      if (accepted[r]) true_sel[result++] = r;
    }
    return result;
  }
  Vector v;
  if (expr.kind == BoundExprKind::kFunction && static_cast<const planner::BoundFunction&>(expr).function->select) {
    // The function's filter path, else its value.
    const auto& fn = static_cast<const planner::BoundFunction&>(expr);
    Arguments args(fn.children.size());
    for (size_t i = 0; i < fn.children.size(); i++) {
      args.set(i, *fn.children[i], input, [&](const BoundExpression& e, Vector& v) { eval(e, input, sel, count, v); });
    }
    if (auto selected = fn.function->select(args.span(), sel, count, true_sel, fn.bind_data.get())) return *selected;
    Vector out(fn.type, std::max<size_t>(input.size(), 1));
    invoke(*fn.function, fn.bind_data.get(), args.span(), sel, count, out);
    v = std::move(out);
  } else {
    eval(expr, input, sel, count, v);
  }
  UnifiedVectorFormat f;
  v.to_unified(count, f);
  const uint8_t* values = f.values<uint8_t>();
  size_t result = 0;
  for (size_t i = 0; i < count; i++) {
    sel_t r = row_at(sel, i);
    sel_t idx = f.sel.get_index(r);
    if (f.validity->row_is_valid(idx) && values[idx]) true_sel[result++] = r;
  }
  return result;
}

void ExpressionExecutor::eval(const BoundExpression& expr, const DataChunk& input, const sel_t* sel, size_t count,
                              Vector& result) {
  check_stack_depth();
  switch (expr.kind) {
    case BoundExprKind::kReference:
      result.reference(input.column(static_cast<const planner::BoundReference&>(expr).index));
      return;
    case BoundExprKind::kConstant: {
      const auto& constant = static_cast<const planner::BoundConstant&>(expr);
      TS_CHECK(constant.parameter_types == nullptr, "a $n parameter reached execution without a value");
      result = Vector(constant.value);
      return;
    }
    case BoundExprKind::kParameter: {
      const auto& p = static_cast<const planner::BoundParameter&>(expr);
      TS_CHECK(query_.parameters && p.index < query_.parameters->size(), "parameter without a value");
      const Value& v = (*query_.parameters)[p.index];
      result = v.is_null() ? Vector(Value::null(expr.type)) : Vector(v);
      return;
    }
    case BoundExprKind::kCast: {
      const auto& cast = static_cast<const planner::BoundCast&>(expr);
      Vector child;
      eval(*cast.child, input, sel, count, child);
      Vector out(expr.type, std::max<size_t>(input.size(), 1));
      execute_cast(child, sel, count, out);
      result = std::move(out);
      return;
    }
    case BoundExprKind::kFunction:
      eval_function(static_cast<const planner::BoundFunction&>(expr), input, sel, count, result);
      return;
    case BoundExprKind::kConjunction:
      eval_conjunction(static_cast<const planner::BoundConjunction&>(expr), input, sel, count, result);
      return;
    case BoundExprKind::kCase: eval_case(static_cast<const planner::BoundCase&>(expr), input, sel, count, result); return;
    case BoundExprKind::kBooleanTest:
      eval_boolean_test(static_cast<const planner::BoundBooleanTest&>(expr), input, sel, count, result);
      return;
    case BoundExprKind::kCoalesce:
      eval_coalesce(static_cast<const planner::BoundCoalesce&>(expr), input, sel, count, result);
      return;
    case BoundExprKind::kSubquery:
      eval_subquery(static_cast<const planner::BoundSubquery&>(expr), input, sel, count, result);
      return;
    case BoundExprKind::kColumnRef:
    case BoundExprKind::kAggregate:
    case BoundExprKind::kWindow:
    case BoundExprKind::kGrouping: break;
  }
  TS_CHECK(false, "expression kind cannot be evaluated here: " + expr.to_string());
}

void ExpressionExecutor::eval_function(const planner::BoundFunction& expr, const DataChunk& input, const sel_t* sel,
                                       size_t count, Vector& result) {
  Arguments args(expr.children.size());
  for (size_t i = 0; i < expr.children.size(); i++) {
    args.set(i, *expr.children[i], input, [&](const BoundExpression& e, Vector& v) { eval(e, input, sel, count, v); });
  }
  Vector out(expr.type, std::max<size_t>(input.size(), 1));
  invoke(*expr.function, expr.bind_data.get(), args.span(), sel, count, out);
  result = std::move(out);
}

void ExpressionExecutor::eval_boolean_test(const planner::BoundBooleanTest& expr, const DataChunk& input, const sel_t* sel,
                                           size_t count, Vector& result) {
  Vector arg;
  eval(*expr.child, input, sel, count, arg);
  UnifiedVectorFormat f;
  arg.to_unified(count, f);
  Vector out(LogicalType::boolean(), std::max<size_t>(input.size(), 1));
  uint8_t* values = out.mutable_values<uint8_t>();
  if (expr.test == planner::BooleanTest::kNot) {
    ValidityMask& validity = out.mutable_validity();
    for (size_t i = 0; i < count; i++) {
      sel_t r = row_at(sel, i);
      uint8_t s = bool_state(f, r);
      if (s == 2) {
        validity.set_invalid(r);
      } else {
        values[r] = s == 0;
      }
    }
  } else {
    for (size_t i = 0; i < count; i++) {
      sel_t r = row_at(sel, i);
      const bool valid = f.validity->row_is_valid(f.sel.get_index(r));
      switch (expr.test) {
        case planner::BooleanTest::kIsNull: values[r] = !valid; break;
        case planner::BooleanTest::kIsNotNull: values[r] = valid; break;
        case planner::BooleanTest::kIsTrue: values[r] = bool_state(f, r) == 1; break;
        case planner::BooleanTest::kIsNotTrue: values[r] = bool_state(f, r) != 1; break;
        case planner::BooleanTest::kIsFalse: values[r] = bool_state(f, r) == 0; break;
        case planner::BooleanTest::kIsNotFalse: values[r] = bool_state(f, r) != 0; break;
        case planner::BooleanTest::kNot: break;
      }
    }
  }
  result = std::move(out);
}

void ExpressionExecutor::eval_coalesce(const planner::BoundCoalesce& expr, const DataChunk& input, const sel_t* sel,
                                       size_t count, Vector& result) {
  // Each argument is evaluated only for the rows all earlier arguments left NULL.
  Vector out(expr.type, std::max<size_t>(input.size(), 1));
  std::vector<sel_t> remaining(count), found(count), rest(count);
  for (size_t i = 0; i < count; i++) remaining[i] = row_at(sel, i);
  size_t n = count;
  for (const auto& arg : expr.children) {
    if (n == 0) break;
    Vector v;
    eval(*arg, input, remaining.data(), n, v);
    UnifiedVectorFormat f;
    v.to_unified(n, f);
    size_t k = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
      if (f.validity->row_is_valid(f.sel.get_index(remaining[i]))) {
        found[m++] = remaining[i];
      } else {
        rest[k++] = remaining[i];
      }
    }
    if (m > 0) scatter_rows(v, found.data(), m, out);
    std::swap(remaining, rest);
    n = k;
  }
  ValidityMask& out_validity = out.mutable_validity();
  for (size_t i = 0; i < n; i++) out_validity.set_invalid(remaining[i]);
  result = std::move(out);
}

void ExpressionExecutor::eval_conjunction(const planner::BoundConjunction& expr, const DataChunk& input, const sel_t* sel,
                                          size_t count, Vector& result) {
  // Three-valued AND/OR. Later operands are evaluated only for rows the earlier ones have not
  // decided, as PostgreSQL's left-to-right evaluation would.
  Vector out(LogicalType::boolean(), std::max<size_t>(input.size(), 1));
  uint8_t* values = out.mutable_values<uint8_t>();
  const uint8_t decided = expr.is_and ? 0 : 1;
  std::vector<uint8_t> state(input.size() == 0 ? 1 : input.size(), static_cast<uint8_t>(expr.is_and ? 1 : 0));
  std::vector<sel_t> rows(count);
  for (size_t i = 0; i < count; i++) rows[i] = row_at(sel, i);
  size_t n = count;
  for (const auto& child : expr.children) {
    if (n == 0) break;
    Vector v;
    eval(*child, input, rows.data(), n, v);
    UnifiedVectorFormat f;
    v.to_unified(n, f);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
      sel_t r = rows[i];
      uint8_t s = bool_state(f, r);
      if (s == decided) {
        state[r] = decided;
        continue;
      }
      if (s == 2) state[r] = 2;
      rows[k++] = r;
    }
    n = k;
  }
  ValidityMask& out_validity = out.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    sel_t r = row_at(sel, i);
    if (state[r] == 2) {
      out_validity.set_invalid(r);
    } else {
      values[r] = state[r];
    }
  }
  result = std::move(out);
}

void ExpressionExecutor::eval_case(const planner::BoundCase& expr, const DataChunk& input, const sel_t* sel, size_t count,
                                   Vector& result) {
  Vector out(expr.type, std::max<size_t>(input.size(), 1));
  std::vector<sel_t> remaining(count), matched(count), rest(count);
  for (size_t i = 0; i < count; i++) remaining[i] = row_at(sel, i);
  size_t n = count;
  for (const auto& when : expr.whens) {
    if (n == 0) break;
    size_t m = eval_select(*when.condition, input, remaining.data(), n, matched.data());
    if (m > 0) {
      Vector branch;
      eval(*when.result, input, matched.data(), m, branch);
      scatter_rows(branch, matched.data(), m, out);
    }
    // Rows not matched go on to the next WHEN, in order.
    size_t k = 0, j = 0;
    for (size_t i = 0; i < n; i++) {
      if (j < m && matched[j] == remaining[i]) {
        j++;
      } else {
        rest[k++] = remaining[i];
      }
    }
    std::swap(remaining, rest);
    n = k;
  }
  if (n > 0) {
    Vector branch;
    eval(*expr.else_result, input, remaining.data(), n, branch);
    scatter_rows(branch, remaining.data(), n, out);
  }
  result = std::move(out);
}

void ExpressionExecutor::eval_subquery(const planner::BoundSubquery& expr, const DataChunk& input, const sel_t* sel,
                                       size_t count, Vector& result) {
  TS_CHECK(expr.prepared != nullptr, "subquery without a physical plan");
  std::vector<Vector> correlated(expr.correlated.size());
  for (size_t i = 0; i < expr.correlated.size(); i++) eval(*expr.correlated[i], input, sel, count, correlated[i]);
  Vector left;
  if (expr.left) eval(*expr.left, input, sel, count, left);
  Vector out(expr.type, std::max<size_t>(input.size(), 1));
  std::vector<Value> params(expr.correlated.size());
  for (size_t i = 0; i < count; i++) {
    sel_t r = row_at(sel, i);
    for (size_t p = 0; p < params.size(); p++) params[p] = correlated[p].get_value(r);
    Value l = expr.left ? left.get_value(r) : Value();
    out.set_value(r, subquery_value(expr, params, l));
  }
  result = std::move(out);
}

Value ExpressionExecutor::subquery_value(const planner::BoundSubquery& expr, const std::vector<Value>& params, const Value& left) {
  auto& cache = subquery_caches_[&expr];
  if (!cache) cache = std::make_unique<SubqueryCache>();
  std::string key = params_key(params);
  const bool use_set = expr.subquery_kind == planner::SubqueryKind::kAny && expr.comparison->hashable;
  auto set_it = use_set ? cache->sets.find(key) : cache->sets.end();
  auto it = cache->results.find(key);
  if ((!use_set || set_it == cache->sets.end()) && it == cache->results.end()) {
    const auto& plan = static_cast<const SubqueryPlan&>(*expr.prepared);
    it = cache->results.emplace(key, run_subquery(plan, query_, params)).first;
  }
  if (use_set) {
    // x = ANY (s): true when x is in s; else NULL when x is NULL or s holds a NULL; else false.
    if (set_it == cache->sets.end()) {
      ValueSet set;
      for (const auto& c : it->second) {
        for (size_t i = 0; i < c.size(); i++) {
          Value v = c.get_value(0, i);
          set.empty = false;
          if (v.is_null()) {
            set.has_null = true;
          } else {
            set.values.insert(value_key(v));
          }
        }
      }
      set_it = cache->sets.emplace(key, std::move(set)).first;
      cache->results.erase(it);  // the set replaces the rows
    }
    const ValueSet& set = set_it->second;
    if (set.empty) return Value::boolean(false);
    if (left.is_null()) return Value::null(LogicalType::boolean());
    if (set.values.count(value_key(left))) return Value::boolean(true);
    return set.has_null ? Value::null(LogicalType::boolean()) : Value::boolean(false);
  }
  const std::vector<DataChunk>& rows = it->second;
  size_t total = 0;
  for (const auto& c : rows) total += c.size();
  switch (expr.subquery_kind) {
    case planner::SubqueryKind::kExists: return Value::boolean(total > 0);
    case planner::SubqueryKind::kScalar: {
      if (total > 1) throw SqlError(SqlState::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
      if (total == 0) return Value::null(expr.type);
      for (const auto& c : rows) {
        if (c.size() > 0) return c.get_value(0, 0);
      }
      return Value::null(expr.type);
    }
    case planner::SubqueryKind::kAny:
    case planner::SubqueryKind::kAll: {
      // x op ANY(s): true if some comparison is true, else NULL if some is NULL, else false.
      // x op ALL(s): false if some comparison is false, else NULL if some is NULL, else true.
      const bool any = expr.subquery_kind == planner::SubqueryKind::kAny;
      bool saw_null = false;
      for (const auto& c : rows) {
        if (c.size() == 0) continue;
        DataChunk pair;
        pair.initialize({left.type(), c.column(0).type()}, c.size());
        for (size_t i = 0; i < c.size(); i++) pair.set_value(0, i, left);
        pair.column(1).reference(c.column(0));
        pair.set_size(c.size());
        const Vector* args[2] = {&pair.column(0), &pair.column(1)};
        Vector cmp(LogicalType::boolean(), c.size());
        invoke(*expr.comparison, nullptr, args, nullptr, c.size(), cmp);
        UnifiedVectorFormat f;
        cmp.to_unified(c.size(), f);
        for (size_t i = 0; i < c.size(); i++) {
          const uint8_t b3 = bool_state(f, static_cast<sel_t>(i));
          if (b3 == 2) {
            saw_null = true;
            continue;
          }
          bool b = b3 == 1;
          if (any && b) return Value::boolean(true);
          if (!any && !b) return Value::boolean(false);
        }
      }
      if (saw_null) return Value::null(LogicalType::boolean());
      return Value::boolean(!any);
    }
  }
  return Value::null(expr.type);
}

}  // namespace tessera::executor
