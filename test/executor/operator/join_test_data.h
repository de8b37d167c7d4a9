#pragma once

// Shared inputs and the nested-loop reference of the join operator tests.

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "planner/parser/ast.h"
#include "test/executor/operator/operator_test_plan.h"

namespace tessera::executor::test {

using planner::JoinType;

/// Both sides: k int (key, nullable), v int, s varchar (also used as a second key).
inline std::vector<LogicalType> side_types() { return {LogicalType::integer(), LogicalType::integer(), LogicalType::varchar()}; }

inline std::vector<LogicalType> joined_types() {
  auto t = side_types();
  auto r = side_types();
  t.insert(t.end(), r.begin(), r.end());
  return t;
}

inline Rows random_side(size_t n, uint64_t seed, int key_range) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> strings = {"x", "y", "a string longer than twelve"};
  Rows rows;
  for (size_t i = 0; i < n; i++) {
    rows.push_back({int_or_null(rng() % 10 == 0, static_cast<int32_t>(rng() % key_range)),
                    Value::integer(static_cast<int32_t>(rng() % 100)),
                    rng() % 9 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar(strings[rng() % strings.size()])});
  }
  return rows;
}

using Predicate = std::function<bool(const Row& l, const Row& r)>;

/// Nested-loop reference: pairs satisfying `match`; LEFT adds unmatched left rows with NULLs;
/// SEMI (ANTI) gives the left rows with (without) a match, once each.
inline Rows reference_join(const Rows& left, const Rows& right, JoinType type, const Predicate& match) {
  Rows out;
  for (const auto& l : left) {
    bool any = false;
    for (const auto& r : right) {
      if (!match(l, r)) continue;
      any = true;
      if (type == JoinType::kSemi || type == JoinType::kAnti) break;
      Row row = l;
      row.insert(row.end(), r.begin(), r.end());
      out.push_back(std::move(row));
    }
    if (type == JoinType::kSemi || type == JoinType::kAnti) {
      if (any == (type == JoinType::kSemi)) out.push_back(l);
      continue;
    }
    if (!any && (type == JoinType::kLeft || type == JoinType::kFull)) {
      Row row = l;
      for (const auto& t : side_types()) row.push_back(Value::null(t));
      out.push_back(std::move(row));
    }
  }
  if (type == JoinType::kFull) {
    // The right rows no left row matched, with NULLs on the left.
    for (const auto& r : right) {
      bool any = false;
      for (const auto& l : left) any = any || match(l, r);
      if (any) continue;
      Row row;
      for (const auto& t : side_types()) row.push_back(Value::null(t));
      row.insert(row.end(), r.begin(), r.end());
      out.push_back(std::move(row));
    }
  }
  return out;
}

/// A condition in three-valued logic: nullopt is NULL.
using TriPredicate = std::function<std::optional<bool>(const Row& l, const Row& r)>;

/// Mark join reference: every left row followed by its mark, the OR over the right rows of
/// `match` in three-valued logic (a NULL OR becomes false unless `null_aware`).
inline Rows reference_mark(const Rows& left, const Rows& right, const TriPredicate& match, bool null_aware) {
  Rows out;
  for (const auto& l : left) {
    bool any = false;
    bool unknown = false;
    for (const auto& r : right) {
      const std::optional<bool> m = match(l, r);
      if (!m) unknown = true;
      if (m && *m) any = true;
    }
    Row row = l;
    row.push_back(any ? Value::boolean(true)
                      : (unknown && null_aware ? Value::null(LogicalType::boolean()) : Value::boolean(false)));
    out.push_back(std::move(row));
  }
  return out;
}

inline std::vector<LogicalType> marked_types() {
  auto t = side_types();
  t.push_back(LogicalType::boolean());
  return t;
}

inline bool keys_equal(const Value& a, const Value& b) { return !a.is_null() && !b.is_null() && a == b; }

struct JoinSetup {
  Rows left;
  Rows right;
  size_t left_chunk = 100;
  size_t right_chunk = 100;
};

}  // namespace tessera::executor::test
