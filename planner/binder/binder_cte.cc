// WITH queries: scoping, inlining or materialization (PostgreSQL 12+ rules), WITH RECURSIVE.
//
// Every CTE's query is bound once where it is declared (its definition: names, types, errors,
// and the plan a materialization runs). Each reference to a non-recursive CTE binds the query
// again into an inlined copy under a projection. When the query level is bound, a CTE that is
// MATERIALIZED, or referenced more than once and not NOT MATERIALIZED, is materialized: its
// references' copies are replaced by scans of the stored rows. References are counted only
// while the plan they sit in is still part of the statement (PlanLiveness).

#include <algorithm>

#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"

namespace tessera::planner {

namespace {

/// Whether `op`'s subtree reads the working table of recursive CTE `cte_index`.
bool reads_working_table(const LogicalOperator& op, uint32_t cte_index) {
  if (op.kind == LogicalOperatorKind::kCteScan) {
    const auto& scan = static_cast<const LogicalCteScan&>(op);
    if (scan.working_table && scan.cte_index == cte_index) return true;
  }
  for (const auto& child : op.children) {
    if (reads_working_table(*child, cte_index)) return true;
  }
  return false;
}

/// PostgreSQL's restrictions on where a recursive reference may appear in the recursive term:
/// not on the nullable side of an outer join, not under an aggregate.
void check_recursive_term(const LogicalOperator& op, uint32_t cte_index, const std::string& name, uint32_t position) {
  if (op.kind == LogicalOperatorKind::kJoin) {
    const auto& join = static_cast<const LogicalJoin&>(op);
    bool left_nullable = join.join_type == JoinType::kRight || join.join_type == JoinType::kFull;
    bool right_nullable = join.join_type == JoinType::kLeft || join.join_type == JoinType::kFull;
    if ((left_nullable && reads_working_table(*op.children[0], cte_index)) ||
        (right_nullable && reads_working_table(*op.children[1], cte_index))) {
      throw SqlError(SqlState::kInvalidRecursion,
                     "recursive reference to query \"" + name + "\" must not appear within an outer join")
          .with_position(position);
    }
  }
  if (op.kind == LogicalOperatorKind::kSetOperation) {
    // PostgreSQL: not under INTERSECT ALL or EXCEPT ALL at all, not on EXCEPT's right side.
    const auto& set_op = static_cast<const LogicalSetOperation&>(op);
    const bool left_forbidden = set_op.all && set_op.set_kind != SetOperationKind::kUnion;
    const bool right_forbidden = left_forbidden || set_op.set_kind == SetOperationKind::kExcept;
    if ((left_forbidden && reads_working_table(*op.children[0], cte_index)) ||
        (right_forbidden && reads_working_table(*op.children[1], cte_index))) {
      throw SqlError(SqlState::kInvalidRecursion,
                     "recursive reference to query \"" + name + "\" must not appear within " +
                         (set_op.set_kind == SetOperationKind::kExcept ? "EXCEPT" : "INTERSECT"))
          .with_position(position);
    }
  }
  if (op.kind == LogicalOperatorKind::kAggregate && reads_working_table(op, cte_index)) {
    const auto& aggregate = static_cast<const LogicalAggregate&>(op);
    if (!aggregate.aggregates.empty()) {
      throw SqlError(SqlState::kInvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term")
          .with_position(position);
    }
  }
  for (const auto& child : op.children) check_recursive_term(*child, cte_index, name, position);
}

}  // namespace

Binder::CteBinding* Binder::find_cte(const std::string& name) {
  Binder* binder = this;
  size_t limit = cte_stack_.size();
  // A view's query sees no WITH query of the statement that reads the view.
  while (binder && binder->view_depth_ == view_depth_) {
    for (size_t i = std::min(limit, binder->cte_stack_.size()); i-- > 0;) {
      if (binder->cte_stack_[i]->ast->name == name) return binder->cte_stack_[i];
    }
    limit = binder->parent_cte_limit_;
    binder = binder->parent_;
  }
  return nullptr;
}

LogicalPtr Binder::bind_with(const WithClause& with, const std::function<LogicalPtr()>& body) {
  check_stack_depth();
  const size_t base = cte_stack_.size();
  std::vector<std::unique_ptr<CteBinding>> ctes;
  LogicalPtr plan;
  try {
    for (const auto& ast : with.ctes) {
      for (const auto& earlier : ctes) {
        if (earlier->ast->name == ast.name) {
          throw_at(SqlState::kDuplicateAlias, "WITH query name \"" + ast.name + "\" specified more than once", ast.location);
        }
      }
      auto cte = std::make_unique<CteBinding>();
      cte->ast = &ast;
      cte->owner = this;
      cte->visible = cte_stack_.size();
      cte->cte_index = next_table_index();
      cte->definition_liveness = std::make_shared<PlanLiveness>();
      cte->definition_liveness->parent = liveness_;
      if (with.recursive) {
        bind_recursive_cte(*cte);
      } else {
        bind_cte_definition(*cte);
      }
      cte_stack_.push_back(cte.get());
      ctes.push_back(std::move(cte));
    }
    plan = body();
  } catch (...) {
    cte_stack_.resize(base);
    throw;
  }
  cte_stack_.resize(base);

  // Decide from the last CTE to the first: a later CTE's definition may reference an earlier
  // one, and counts only if that definition is kept.
  for (size_t i = ctes.size(); i-- > 0;) {
    CteBinding& cte = *ctes[i];
    size_t live = 0;
    for (const auto& ref : cte.references) live += !ref.origin || ref.origin->is_alive();
    const CteMaterialize mode = cte.ast->materialize;
    cte.materialized = live > 0 && (cte.recursive || (mode != CteMaterialize::kNotMaterialized &&
                                                      (mode == CteMaterialize::kMaterialized || live > 1)));
    if (cte.materialized) {
      materialize_references(cte);
    } else {
      cte.definition_liveness->alive = false;
      inline_placeholders(cte);
    }
  }
  for (size_t i = ctes.size(); i-- > 0;) {
    CteBinding& cte = *ctes[i];
    if (!cte.materialized) continue;
    auto node = std::make_unique<LogicalMaterializedCte>(cte.cte_index, cte.ast->name);
    node->children.push_back(std::move(cte.plan));
    node->children.push_back(std::move(plan));
    plan = std::move(node);
  }
  return plan;
}

void Binder::set_cte_columns(CteBinding& cte, LogicalPtr& plan, const std::vector<std::string>& names) {
  const auto& aliases = cte.ast->column_aliases;
  if (aliases.size() > names.size()) {
    throw_at(SqlState::kInvalidColumnReference,
             "WITH query \"" + cte.ast->name + "\" has " + std::to_string(names.size()) + " columns available but " +
                 std::to_string(aliases.size()) + " columns specified",
             cte.ast->location);
  }
  cte.names = names;
  for (size_t i = 0; i < aliases.size(); i++) cte.names[i] = aliases[i];
  auto types = plan->output_types();
  auto bindings = plan->output_bindings();
  bool changed = false;
  cte.types.clear();
  for (const auto& t : types) {
    cte.types.push_back(result_column_type(t));
    changed |= !(cte.types.back() == t);
  }
  if (changed) {
    auto projection = std::make_unique<LogicalProjection>(next_table_index());
    for (size_t i = 0; i < types.size(); i++) {
      projection->expressions.push_back(cast_to(std::make_unique<BoundColumnRef>(types[i], bindings[i], cte.names[i]), cte.types[i]));
    }
    projection->children.push_back(std::move(plan));
    plan = std::move(projection);
  }
}

void Binder::bind_in_cte_scope(size_t visible_ctes, std::shared_ptr<PlanLiveness> liveness, const std::function<void()>& bind) {
  Scope saved_scope = std::move(scope_);
  std::vector<CteBinding*> saved_ctes = cte_stack_;
  SelectContext* saved_context = select_context_;
  const char* saved_clause = no_aggregates_clause_;
  std::shared_ptr<PlanLiveness> saved_liveness = std::move(liveness_);
  auto restore = [&] {
    scope_ = std::move(saved_scope);
    cte_stack_ = std::move(saved_ctes);
    select_context_ = saved_context;
    no_aggregates_clause_ = saved_clause;
    liveness_ = std::move(saved_liveness);
  };
  scope_ = Scope();
  cte_stack_.resize(std::min(visible_ctes, cte_stack_.size()));
  select_context_ = nullptr;
  no_aggregates_clause_ = nullptr;
  liveness_ = std::move(liveness);
  try {
    bind();
  } catch (...) {
    restore();
    throw;
  }
  restore();
}

void Binder::bind_cte_definition(CteBinding& cte) {
  std::vector<std::string> names;
  LogicalPtr plan;
  bind_in_cte_scope(cte.visible + (cte.recursion == CteRecursion::kOtherForm ? 1 : 0), cte.definition_liveness,
                    [&] { plan = bind_query(*cte.ast->query, names); });
  set_cte_columns(cte, plan, names);
  cte.plan = std::move(plan);
}

void Binder::bind_recursive_cte(CteBinding& cte) {
  const SelectStmt& query = *cte.ast->query;
  const std::string& name = cte.ast->name;
  // The CTE is visible to its own query while it is bound.
  cte_stack_.push_back(&cte);
  struct Pop {
    std::vector<CteBinding*>& stack;
    ~Pop() { stack.pop_back(); }
  } pop{cte_stack_};

  if (query.select_kind != SelectKind::kSetOp || query.set_op != SetOpKind::kUnion) {
    // Not of the recursive form: fine as long as it does not reference itself.
    cte.recursion = CteRecursion::kOtherForm;
    bind_cte_definition(cte);
    cte.recursion = CteRecursion::kNone;
    return;
  }

  // The non-recursive term fixes the column names and types. Both terms are bound under
  // `terms`, which dies if the query turns out not to reference itself and is bound again.
  auto terms = std::make_shared<PlanLiveness>();
  terms->parent = cte.definition_liveness;
  cte.recursion = CteRecursion::kNonRecursiveTerm;
  std::vector<std::string> names;
  LogicalPtr anchor;
  bind_in_cte_scope(cte.visible + 1, terms, [&] { anchor = bind_query(*query.larg, names); });
  std::vector<bool> unknown = last_unknown_outputs_;
  unknown.resize(names.size(), false);
  {
    // Untyped literals of the non-recursive term are text, as PostgreSQL resolves them.
    auto types = anchor->output_types();
    bool cast = false;
    for (size_t i = 0; i < types.size(); i++) cast |= unknown[i] && types[i].id() != LogicalTypeId::kVarchar;
    if (cast) {
      auto bindings = anchor->output_bindings();
      auto projection = std::make_unique<LogicalProjection>(next_table_index());
      for (size_t i = 0; i < types.size(); i++) {
        LogicalType target = unknown[i] ? LogicalType::varchar() : types[i];
        projection->expressions.push_back(cast_to(std::make_unique<BoundColumnRef>(types[i], bindings[i], names[i]), target));
      }
      projection->children.push_back(std::move(anchor));
      anchor = std::move(projection);
    }
  }
  set_cte_columns(cte, anchor, names);

  cte.recursion = CteRecursion::kRecursiveTerm;
  cte.recursive_term_binder = this;
  std::vector<std::string> recursive_names;
  LogicalPtr recursive;
  try {
    bind_in_cte_scope(cte.visible + 1, terms, [&] { recursive = bind_query(*query.rarg, recursive_names); });
  } catch (...) {
    cte.recursive_term_binder = nullptr;
    cte.recursion = CteRecursion::kNone;
    throw;
  }
  std::vector<bool> recursive_unknown = last_unknown_outputs_;
  std::vector<int> recursive_locations = last_output_locations_;
  cte.recursive_term_binder = nullptr;
  cte.recursion = CteRecursion::kNone;

  if (cte.self_references == 0) {
    // WITH RECURSIVE without a self-reference is an ordinary WITH query.
    terms->alive = false;
    cte.names.clear();
    cte.types.clear();
    bind_cte_definition(cte);
    return;
  }
  cte.recursive = true;
  const uint32_t where = position(cte.ast->location);
  if (!query.order_by.empty()) {
    throw_at(SqlState::kFeatureNotSupported, "ORDER BY in a recursive query is not implemented", query.order_by[0].expr->location);
  }
  if (query.offset) throw_at(SqlState::kFeatureNotSupported, "OFFSET in a recursive query is not implemented", query.offset->location);
  if (query.limit) throw_at(SqlState::kFeatureNotSupported, "LIMIT in a recursive query is not implemented", query.limit->location);
  check_recursive_term(*recursive, cte.cte_index, name, where);

  auto recursive_types = recursive->output_types();
  if (recursive_types.size() != cte.types.size()) {
    throw_at(SqlState::kSyntaxError, "each UNION query must have the same number of columns",
             query.rarg->select_kind == SelectKind::kSimple && !query.rarg->targets.empty()
                 ? query.rarg->targets[0].expr->location
                 : query.rarg->location);
  }
  recursive_unknown.resize(recursive_types.size(), false);
  recursive_locations.resize(recursive_types.size(), query.rarg->location);
  // The recursive term must produce the non-recursive term's types (PostgreSQL resolves the
  // union's types and requires them to equal the non-recursive term's).
  auto bindings = recursive->output_bindings();
  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  for (size_t i = 0; i < recursive_types.size(); i++) {
    const LogicalType& anchor_type = cte.types[i];
    if (!recursive_unknown[i]) {
      auto common = common_supertype(anchor_type, recursive_types[i]);
      if (!common) {
        throw_at(SqlState::kDatatypeMismatch,
                 "UNION types " + anchor_type.name() + " and " + recursive_types[i].name() + " cannot be matched",
                 recursive_locations[i]);
      }
      if (!(*common == anchor_type)) {
        throw SqlError(SqlState::kDatatypeMismatch, "recursive query \"" + name + "\" column " + std::to_string(i + 1) +
                                                        " has type " + anchor_type.name() +
                                                        " in non-recursive term but type " + common->name() + " overall")
            .with_hint("Cast the output of the non-recursive term to the correct type.")
            .with_position(position(query.larg->select_kind == SelectKind::kSimple && !query.larg->targets.empty() &&
                                            i < query.larg->targets.size()
                                        ? query.larg->targets[i].expr->location
                                        : query.larg->location));
      }
    }
    projection->expressions.push_back(
        cast_to(std::make_unique<BoundColumnRef>(recursive_types[i], bindings[i], cte.names[i]), anchor_type));
  }
  projection->children.push_back(std::move(recursive));
  auto node = std::make_unique<LogicalRecursiveCte>(cte.cte_index, name, query.set_all, next_table_index(), cte.types);
  node->children.push_back(std::move(anchor));
  node->children.push_back(std::move(projection));
  cte.plan = std::move(node);
}

LogicalPtr Binder::bind_working_table_reference(CteBinding& cte, const BaseTableRef& ref) {
  const std::string& name = cte.ast->name;
  switch (cte.recursion) {
    case CteRecursion::kOtherForm:
      throw_at(SqlState::kInvalidRecursion,
               "recursive query \"" + name + "\" does not have the form non-recursive-term UNION [ALL] recursive-term",
               cte.ast->location);
    case CteRecursion::kNonRecursiveTerm:
      throw_at(SqlState::kInvalidRecursion,
               "recursive reference to query \"" + name + "\" must not appear within its non-recursive term", ref.location);
    default: break;
  }
  // Only FROM items of the recursive term (and of its FROM subqueries) may read the working
  // table; a subquery expression may not.
  for (Binder* b = this; b != cte.recursive_term_binder; b = b->parent_) {
    if (!b || b->correlated_) {
      throw_at(SqlState::kInvalidRecursion, "recursive reference to query \"" + name + "\" must not appear within a subquery",
               ref.location);
    }
  }
  if (cte.self_references > 0) {
    throw_at(SqlState::kInvalidRecursion, "recursive reference to query \"" + name + "\" must not appear more than once",
             ref.location);
  }
  cte.self_references++;
  auto scan = std::make_unique<LogicalCteScan>(cte.cte_index, name, next_table_index(), cte.types, true);
  std::string alias = ref.alias ? ref.alias->name : name;
  return bind_derived(std::move(scan), cte.names, alias, ref.alias ? ref.alias->columns : std::vector<std::string>{},
                      ref.location);
}

LogicalPtr Binder::bind_cte_reference(CteBinding& cte, const BaseTableRef& ref) {
  if (cte.recursion != CteRecursion::kNone) return bind_working_table_reference(cte, ref);
  std::string alias = ref.alias ? ref.alias->name : cte.ast->name;
  for (const auto& e : scope_.entries) {
    if (e.alias == alias) throw_at(SqlState::kDuplicateAlias, "table name \"" + alias + "\" specified more than once", ref.location);
  }
  std::vector<std::string> column_aliases = ref.alias ? ref.alias->columns : std::vector<std::string>{};
  CteReference reference;
  reference.origin = liveness_;
  if (cte.recursive) {
    // A recursive CTE is always materialized.
    cte.references.push_back(std::move(reference));
    auto scan = std::make_unique<LogicalCteScan>(cte.cte_index, cte.ast->name, next_table_index(), cte.types, false);
    scan->source = cte.plan.get();
    return bind_derived(std::move(scan), cte.names, alias, column_aliases, ref.location);
  }
  bool in_subquery_expression = false;
  for (Binder* b = this; b && b != cte.owner; b = b->parent_) in_subquery_expression |= b->correlated_;
  if (in_subquery_expression) {
    auto scan = std::make_unique<LogicalCteScan>(cte.cte_index, cte.ast->name, next_table_index(), cte.types, false);
    reference.placeholder = scan.get();
    cte.references.push_back(std::move(reference));
    return bind_derived(std::move(scan), cte.names, alias, column_aliases, ref.location);
  }
  // An inlined copy of the CTE's query, bound where the CTE was declared.
  reference.copy = std::make_shared<PlanLiveness>();
  reference.copy->parent = liveness_;
  std::vector<std::string> names;
  LogicalPtr plan;
  cte.owner->bind_in_cte_scope(cte.visible, reference.copy, [&] { plan = cte.owner->bind_query(*cte.ast->query, names); });
  auto types = plan->output_types();
  if (types.size() != cte.types.size()) throw SqlError(SqlState::kInternalError, "WITH query bound with a different shape");
  LogicalPtr projection = bind_derived(std::move(plan), cte.names, alias, column_aliases, ref.location);
  reference.node = static_cast<LogicalProjection*>(projection.get());
  cte.references.push_back(std::move(reference));
  return projection;
}

void Binder::inline_placeholders(CteBinding& cte) {
  for (auto& ref : cte.references) {
    if (!ref.placeholder || (ref.origin && !ref.origin->is_alive())) continue;
    ref.copy = std::make_shared<PlanLiveness>();
    ref.copy->parent = ref.origin;
    std::vector<std::string> names;
    LogicalPtr plan;
    bind_in_cte_scope(cte.visible, ref.copy, [&] { plan = bind_query(*cte.ast->query, names); });
    auto types = plan->output_types();
    auto bindings = plan->output_bindings();
    auto projection = std::make_unique<LogicalProjection>(next_table_index());
    for (size_t i = 0; i < types.size(); i++) {
      projection->expressions.push_back(cast_to(std::make_unique<BoundColumnRef>(types[i], bindings[i], cte.names[i]), cte.types[i]));
    }
    projection->children.push_back(std::move(plan));
    ref.placeholder->children.push_back(std::move(projection));
  }
}

void Binder::materialize_references(CteBinding& cte) {
  for (auto& ref : cte.references) {
    if (ref.placeholder) ref.placeholder->source = cte.plan.get();
    if (!ref.node || (ref.origin && !ref.origin->is_alive())) continue;
    // Replace the inlined copy under the reference's projection by a scan of the stored rows.
    ref.copy->alive = false;
    auto scan = std::make_unique<LogicalCteScan>(cte.cte_index, cte.ast->name, next_table_index(), cte.types, false);
    scan->source = cte.plan.get();
    for (size_t i = 0; i < cte.types.size(); i++) {
      BoundExprPtr column = std::make_unique<BoundColumnRef>(cte.types[i], ColumnBinding{scan->table_index, static_cast<uint32_t>(i)},
                                                             cte.names[i]);
      std::string alias = ref.node->expressions[i]->alias;
      ref.node->expressions[i] = cast_to(std::move(column), ref.node->expressions[i]->type);
      ref.node->expressions[i]->alias = alias;
    }
    ref.node->children[0] = std::move(scan);
  }
}

}  // namespace tessera::planner
