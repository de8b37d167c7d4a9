#include "planner/optimizer/join_order.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "planner/optimizer/cardinality_estimator.h"
#include "src/common/assert.h"
#include "src/common/stack_guard.h"

namespace tessera::planner {

namespace {

using Mask = uint64_t;

/// Row counts are kept below this so products of many leaves stay finite.
constexpr double kMaxRows = 1e300;

bool is_reorderable(const LogicalOperator& op) {
  if (op.kind != LogicalOperatorKind::kJoin) return false;
  const auto type = static_cast<const LogicalJoin&>(op).join_type;
  return type == JoinType::kInner || type == JoinType::kCross;
}

size_t count_leaves(const LogicalOperator& op) {
  if (!is_reorderable(op)) return 1;
  return count_leaves(*op.children[0]) + count_leaves(*op.children[1]);
}

void split_and(BoundExprPtr expr, std::vector<BoundExprPtr>& out) {
  if (expr->kind == BoundExprKind::kConjunction && static_cast<BoundConjunction&>(*expr).is_and) {
    for (auto& c : static_cast<BoundConjunction&>(*expr).children) split_and(std::move(c), out);
    return;
  }
  out.push_back(std::move(expr));
}

/// One join condition of a region: the leaves it reads and its selectivity.
struct Condition {
  BoundExprPtr expr;
  Mask mask = 0;
  double log_selectivity = 0;
  /// For an equality usable as a hash join key: the leaves of each side (0 otherwise).
  Mask hash_left = 0;
  Mask hash_right = 0;
  bool placed = false;
};

/// A node of a candidate join tree: a leaf, or a join of two earlier nodes.
struct Node {
  Mask mask = 0;
  double rows = 1;
  double cost = 0;
  int leaf = -1;
  int left = -1;
  int right = -1;
};

class Region {
 public:
  Region(std::vector<LogicalPtr> leaves, std::vector<BoundExprPtr> conditions) : leaves_(std::move(leaves)) {
    TS_CHECK(leaves_.size() >= 2 && leaves_.size() <= 64, "join region size out of range");
    // Leaf estimates, and every leaf's column statistics in one relation for the selectivities.
    RelationEstimate all;
    all.rows = kMaxRows;
    std::map<uint32_t, int> leaf_of_table;
    for (size_t i = 0; i < leaves_.size(); i++) {
      RelationEstimate e = CardinalityEstimator().estimate(*leaves_[i]);
      log_rows_.push_back(std::log(std::clamp(e.rows, 1.0, kMaxRows)));
      all.columns.insert(e.columns.begin(), e.columns.end());
      for (const auto& b : leaves_[i]->output_bindings()) leaf_of_table[b.table_index] = static_cast<int>(i);
    }
    auto mask_of = [&](const BoundExpression& expr) {
      Mask m = 0;
      visit_expression(expr, [&](const BoundExpression& e) {
        if (e.kind != BoundExprKind::kColumnRef) return;
        auto it = leaf_of_table.find(static_cast<const BoundColumnRef&>(e).binding.table_index);
        if (it != leaf_of_table.end()) m |= Mask{1} << it->second;
      });
      return m;
    };
    for (auto& expr : conditions) {
      Condition c;
      c.mask = mask_of(*expr);
      const double s = CardinalityEstimator::selectivity(*expr, all);
      c.log_selectivity = s <= 0 ? -std::numeric_limits<double>::infinity() : std::log(std::min(1.0, s));
      if (expr->kind == BoundExprKind::kFunction) {
        const auto& f = static_cast<const BoundFunction&>(*expr);
        if (f.function->hashable && f.children.size() == 2) {
          c.hash_left = mask_of(*f.children[0]);
          c.hash_right = mask_of(*f.children[1]);
          if (c.hash_left == 0 || c.hash_right == 0 || (c.hash_left & c.hash_right) != 0) c.hash_left = c.hash_right = 0;
        }
      }
      c.expr = std::move(expr);
      conditions_.push_back(std::move(c));
    }
  }

  /// The cheapest tree found, with every condition placed.
  LogicalPtr build() {
    const size_t n = leaves_.size();
    for (size_t i = 0; i < n; i++) {
      Node leaf;
      leaf.mask = Mask{1} << i;
      leaf.rows = rows(leaf.mask);
      leaf.leaf = static_cast<int>(i);
      nodes_.push_back(leaf);
    }
    const int root = n <= JoinOrderOptimizer::kExhaustiveLimit ? exhaustive() : greedy();
    LogicalPtr plan = materialize(root);
    // Conditions that read no leaf's columns (outer references only) go to the top join.
    auto& top = static_cast<LogicalJoin&>(*plan);
    for (auto& c : conditions_) {
      if (!c.placed) top.conditions.push_back(std::move(c.expr));
    }
    top.join_type = top.conditions.empty() ? JoinType::kCross : JoinType::kInner;
    return plan;
  }

 private:
  /// Estimated rows of the join of the leaves in `mask`.
  double rows(Mask mask) const {
    double log = 0;
    for (Mask m = mask; m != 0; m &= m - 1) log += log_rows_[std::countr_zero(m)];
    for (const auto& c : conditions_) {
      if (c.mask != 0 && (c.mask & ~mask) == 0) log += c.log_selectivity;
    }
    return std::clamp(std::exp(log), 1.0, kMaxRows);
  }

  /// Whether a condition joins `a` and `b` (it reads both and nothing outside them).
  bool connected(Mask a, Mask b) const {
    const Mask both = a | b;
    for (const auto& c : conditions_) {
      if ((c.mask & ~both) == 0 && (c.mask & a) != 0 && (c.mask & b) != 0) return true;
    }
    return false;
  }

  bool hashable(Mask a, Mask b) const {
    const Mask both = a | b;
    for (const auto& c : conditions_) {
      if (c.hash_left == 0 || (c.mask & ~both) != 0) continue;
      if (((c.hash_left & ~a) == 0 && (c.hash_right & ~b) == 0) || ((c.hash_left & ~b) == 0 && (c.hash_right & ~a) == 0)) {
        return true;
      }
    }
    return false;
  }

  /// The node joining nodes `l` and `r` (not yet stored).
  Node join_node(int l, int r) const {
    const Node& a = nodes_[l];
    const Node& b = nodes_[r];
    Node node;
    node.mask = a.mask | b.mask;
    node.rows = rows(node.mask);
    node.left = l;
    node.right = r;
    const double inputs = hashable(a.mask, b.mask) ? a.rows + b.rows : std::min(kMaxRows, a.rows * b.rows);
    node.cost = std::min(kMaxRows, a.cost + b.cost + node.rows + inputs);
    return node;
  }

  int add(const Node& node) {
    nodes_.push_back(node);
    return static_cast<int>(nodes_.size() - 1);
  }

  /// Joins `parts` smallest first (parts no binary condition connects: cross products).
  int cross_join(std::vector<int> parts) {
    std::stable_sort(parts.begin(), parts.end(), [&](int a, int b) { return nodes_[a].rows < nodes_[b].rows; });
    int current = parts[0];
    for (size_t i = 1; i < parts.size(); i++) current = add(join_node(current, parts[i]));
    return current;
  }

  /// Dynamic programming over every subset, each split into a part holding its lowest leaf and
  /// the rest: splits joined by a condition when the subset has one (a connected subset),
  /// else any split (a cross product: a disconnected subset, or one connected only through a
  /// condition over three or more leaves).
  int exhaustive() {
    const size_t n = leaves_.size();
    const Mask full = (Mask{1} << n) - 1;
    std::vector<int> best(size_t{1} << n, -1);
    for (size_t i = 0; i < n; i++) best[Mask{1} << i] = static_cast<int>(i);
    for (Mask s = 1; s <= full; s++) {
      if (std::popcount(s) < 2) continue;
      const Mask low = s & (~s + 1);
      Node chosen;
      bool found = false;
      bool found_connected = false;
      for (Mask s1 = (s - 1) & s; s1 != 0; s1 = (s1 - 1) & s) {
        if ((s1 & low) == 0) continue;
        const Mask s2 = s ^ s1;
        const bool joined = connected(s1, s2);
        if (found_connected && !joined) continue;
        Node candidate = join_node(best[s1], best[s2]);
        if (!found || (joined && !found_connected) || candidate.cost < chosen.cost) {
          chosen = candidate;
          found = true;
          found_connected = found_connected || joined;
        }
      }
      best[s] = add(chosen);
    }
    return best[full];
  }

  /// Greedy operator ordering: join the connected pair with the fewest result rows until none
  /// is left, then cross-join the rest.
  int greedy() {
    std::vector<int> parts;
    for (size_t i = 0; i < leaves_.size(); i++) parts.push_back(static_cast<int>(i));
    while (parts.size() > 1) {
      int best_i = -1, best_j = -1;
      Node chosen;
      for (size_t i = 0; i < parts.size(); i++) {
        for (size_t j = i + 1; j < parts.size(); j++) {
          if (!connected(nodes_[parts[i]].mask, nodes_[parts[j]].mask)) continue;
          Node candidate = join_node(parts[i], parts[j]);
          if (best_i < 0 || candidate.rows < chosen.rows || (candidate.rows == chosen.rows && candidate.cost < chosen.cost)) {
            chosen = candidate;
            best_i = static_cast<int>(i);
            best_j = static_cast<int>(j);
          }
        }
      }
      if (best_i < 0) break;
      parts[best_i] = add(chosen);
      parts.erase(parts.begin() + best_j);
    }
    return parts.size() == 1 ? parts[0] : cross_join(std::move(parts));
  }

  /// Builds the logical operators of node `index`, placing each condition at the lowest join
  /// that has every leaf it reads.
  LogicalPtr materialize(int index) {
    const Node node = nodes_[index];
    if (node.leaf >= 0) return std::move(leaves_[node.leaf]);
    LogicalPtr left = materialize(node.left);
    LogicalPtr right = materialize(node.right);
    auto join = std::make_unique<LogicalJoin>(JoinType::kCross);
    for (auto& c : conditions_) {
      if (!c.placed && c.mask != 0 && (c.mask & ~node.mask) == 0) {
        join->conditions.push_back(std::move(c.expr));
        c.placed = true;
      }
    }
    join->join_type = join->conditions.empty() ? JoinType::kCross : JoinType::kInner;
    join->children.push_back(std::move(left));
    join->children.push_back(std::move(right));
    return join;
  }

  std::vector<LogicalPtr> leaves_;
  std::vector<double> log_rows_;
  std::vector<Condition> conditions_;
  std::vector<Node> nodes_;
};

/// Takes the region rooted at `op` apart: its leaves (each optimized inside) and conditions.
void flatten(LogicalPtr op, JoinOrderOptimizer& optimizer, std::vector<LogicalPtr>& leaves,
             std::vector<BoundExprPtr>& conditions) {
  if (!is_reorderable(*op)) {
    leaves.push_back(optimizer.optimize(std::move(op)));
    return;
  }
  auto& join = static_cast<LogicalJoin&>(*op);
  for (auto& c : join.conditions) split_and(std::move(c), conditions);
  flatten(std::move(op->children[0]), optimizer, leaves, conditions);
  flatten(std::move(op->children[1]), optimizer, leaves, conditions);
}

}  // namespace

LogicalPtr JoinOrderOptimizer::optimize(LogicalPtr plan) {
  check_stack_depth();
  if (!is_reorderable(*plan) || count_leaves(*plan) > 64) {
    for (auto& child : plan->children) child = optimize(std::move(child));
    return plan;
  }
  std::vector<LogicalPtr> leaves;
  std::vector<BoundExprPtr> conditions;
  flatten(std::move(plan), *this, leaves, conditions);
  return Region(std::move(leaves), std::move(conditions)).build();
}

}  // namespace tessera::planner
