#pragma once

// Shared inputs and the reference ordering of the ORDER / TOP_N / LIMIT operator tests.

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "executor/operator/sort/sort_key.h"
#include "test/executor/operator/operator_test_plan.h"

namespace tessera::executor::test {

/// Columns: a int (nullable, few values), b varchar (nullable), d double (nullable, with NaN,
/// -0, 0, infinities), id int (unique, the input position).
inline std::vector<LogicalType> sort_types() {
  return {LogicalType::integer(), LogicalType::varchar(), LogicalType::double_precision(), LogicalType::integer()};
}

inline Rows sort_rows(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> strings = {"", "a", "B", "b", "ab", "a long string beyond twelve bytes",
                                            "a long string beyond twelve bytes, longer"};
  const std::vector<double> doubles = {0.0, -0.0, 1.5, -2.25, std::numeric_limits<double>::quiet_NaN(),
                                       std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                       1e300};
  Rows rows;
  for (size_t i = 0; i < n; i++) {
    rows.push_back({int_or_null(rng() % 8 == 0, static_cast<int32_t>(rng() % 20) - 10),
                    rng() % 7 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar(strings[rng() % strings.size()]),
                    rng() % 9 == 0 ? Value::null(LogicalType::double_precision())
                                   : Value::double_precision(doubles[rng() % doubles.size()]),
                    Value::integer(static_cast<int32_t>(i))});
  }
  return rows;
}

/// A key spec for tests: column, DESC, NULLS FIRST.
struct KeySpec {
  uint32_t column;
  bool descending;
  bool nulls_first;
};

inline std::vector<SortKey> make_keys(const std::vector<KeySpec>& specs) {
  std::vector<SortKey> keys;
  for (const auto& s : specs) keys.push_back(SortKey{ref(sort_types()[s.column], s.column), s.descending, s.nulls_first});
  return keys;
}

/// PostgreSQL's comparison of two non-NULL values of one column.
inline int compare_values(const Value& a, const Value& b) {
  switch (a.type().id()) {
    case LogicalTypeId::kDouble: {
      const double x = a.get_double(), y = b.get_double();
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) == std::isnan(y) ? 0 : (std::isnan(x) ? 1 : -1);
      return x < y ? -1 : (y < x ? 1 : 0);
    }
    case LogicalTypeId::kVarchar: {
      const int c = a.get_string().compare(b.get_string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: return a.get_int64() < b.get_int64() ? -1 : (a.get_int64() > b.get_int64() ? 1 : 0);
  }
}

inline int compare_rows(const Row& x, const Row& y, const std::vector<KeySpec>& specs) {
  for (const auto& s : specs) {
    const Value& a = x[s.column];
    const Value& b = y[s.column];
    if (a.is_null() || b.is_null()) {
      if (a.is_null() && b.is_null()) continue;
      return a.is_null() == s.nulls_first ? -1 : 1;
    }
    const int c = compare_values(a, b);
    if (c != 0) return s.descending ? -c : c;
  }
  return 0;
}

/// The rows in ORDER BY order; equal keys keep the input order.
inline Rows reference_sort(Rows rows, const std::vector<KeySpec>& specs) {
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return compare_rows(a, b, specs) < 0; });
  return rows;
}

/// The key columns of each row, with -0 shown as 0 (equal keys), in row order.
inline std::vector<std::string> key_strings(const Rows& rows, const std::vector<KeySpec>& specs) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    std::string line;
    for (const auto& s : specs) {
      Value v = r[s.column];
      if (!v.is_null() && v.type().id() == LogicalTypeId::kDouble && v.get_double() == 0) v = Value::double_precision(0);
      line += (v.is_null() ? std::string("NULL") : v.to_string()) + "|";
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace tessera::executor::test
