// tessera-fuzz-sql: a differential query fuzzer. Generates random queries (QueryGenerator) over
// a seeded schema, runs each on PostgreSQL and on Tessera, and reports every query whose
// outcomes differ: one fails and the other does not, different SQLSTATEs, or different rows
// (compared as multisets unless the generator ordered them by every column; numbers with a
// relative tolerance of 1e-9, since float sums depend on summation order). A data exception
// (SQLSTATE class 22: overflow, division by zero) on one side only, or different ones on the
// two sides, is counted apart, not as a difference: which rows an engine evaluates an
// expression for is not defined by SQL (PostgreSQL stops EXISTS at the first row, skips the
// outer side of a hash join whose inner side is empty, evaluates uncorrelated subqueries once
// up front), so such errors legitimately depend on the plan.
//
//   tessera-fuzz-sql [--seed S] [--queries N] [--pg HOST:PORT] [--dbname D] [--user U]
//                    [--connect HOST:PORT] [--threads N] [--show N] [--print]
//
// PostgreSQL runs in a schema of its own (created and dropped here) of the database given, so
// other users of that database are not disturbed. Tessera runs in this process unless
// --connect names a server. --print only prints the queries. Exit status: 0 when no query
// differed, 1 otherwise, 2 on bad usage or when a connection fails.

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqllogictest/fuzz/query_generator.h"
#include "sqllogictest/runner/in_process_connection.h"
#include "sqllogictest/runner/libpq_connection.h"

namespace tessera::fuzz {
namespace {

struct Options {
  uint64_t seed = 1;
  size_t queries = 1000;
  WireEndpoint pg{"127.0.0.1", "54329", "tessera", "tessera"};
  std::optional<WireEndpoint> tessera_server;
  size_t threads = 2;
  size_t show = 10;
  bool print_only = false;
};

bool split_endpoint(const std::string& text, WireEndpoint& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  out.host = text.substr(0, colon);
  out.port = text.substr(colon + 1);
  return !out.host.empty() && !out.port.empty();
}

void usage() {
  std::cerr << "usage: tessera-fuzz-sql [--seed S] [--queries N] [--pg HOST:PORT] [--dbname D] [--user U]\n"
               "                        [--connect HOST:PORT] [--threads N] [--show N] [--print]\n";
}

std::optional<double> as_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return d;
}

bool same_value(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a || !b) return !a && !b;
  if (*a == *b) return true;
  auto x = as_number(*a);
  auto y = as_number(*b);
  if (!x || !y) return false;
  if (std::isnan(*x) || std::isnan(*y)) return std::isnan(*x) && std::isnan(*y);
  return std::fabs(*x - *y) <= 1e-9 * std::max({1.0, std::fabs(*x), std::fabs(*y)});
}

using Row = std::vector<std::optional<std::string>>;

std::vector<Row> rows_of(const QueryResult& r) {
  std::vector<Row> rows;
  for (size_t i = 0; i < r.num_rows(); i++) {
    rows.emplace_back(r.values.begin() + static_cast<std::ptrdiff_t>(i * r.num_columns),
                      r.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * r.num_columns));
  }
  return rows;
}

/// A row's sort key: numbers rounded to ten significant digits, so that values equal within the
/// tolerance almost always sort alike.
std::string sort_key(const Row& row) {
  std::string key;
  for (const auto& v : row) {
    if (!v) {
      key += "\x01NULL";
    } else if (auto d = as_number(*v)) {
      char buf[64];
      // -0 sorts with 0 (they are equal, and DISTINCT may keep either).
      std::snprintf(buf, sizeof buf, "%.9e", *d + 0.0);
      key += std::string("\x02") + buf;
    } else {
      key += "\x03" + *v;
    }
    key += '\x00';
  }
  return key;
}

std::string render(const QueryResult& r) {
  if (!r.ok) return "ERROR " + r.sqlstate + ": " + r.error_message;
  std::string out = std::to_string(r.num_rows()) + " row(s)";
  const auto rows = rows_of(r);
  for (size_t i = 0; i < rows.size() && i < 8; i++) {
    out += "\n      ";
    for (size_t c = 0; c < rows[i].size(); c++) out += (c ? "|" : "") + (rows[i][c] ? *rows[i][c] : std::string("NULL"));
  }
  if (rows.size() > 8) out += "\n      ...";
  return out;
}

/// Whether only one side failed, with a data exception, or both with different ones (see the
/// file comment).
bool plan_dependent_error(const QueryResult& pg, const QueryResult& t) {
  // Both failed with different data exceptions: which one is met first depends on the plan.
  if (!pg.ok && !t.ok) {
    return pg.sqlstate != t.sqlstate && pg.sqlstate.rfind("22", 0) == 0 && t.sqlstate.rfind("22", 0) == 0;
  }
  if (pg.ok == t.ok) return false;
  const QueryResult& failed = pg.ok ? t : pg;
  return failed.sqlstate.rfind("22", 0) == 0;
}

/// Empty when the outcomes agree, else what differs.
std::string compare(bool ordered, const QueryResult& pg, const QueryResult& t) {
  if (pg.ok != t.ok) return pg.ok ? "Tessera failed where PostgreSQL succeeded" : "Tessera succeeded where PostgreSQL failed";
  if (!pg.ok) return pg.sqlstate == t.sqlstate ? "" : "different SQLSTATEs";
  if (pg.num_columns != t.num_columns) return "different column counts";
  auto a = rows_of(pg);
  auto b = rows_of(t);
  if (a.size() != b.size()) return "different row counts";
  if (!ordered) {
    auto by_key = [](const Row& x, const Row& y) { return sort_key(x) < sort_key(y); };
    std::sort(a.begin(), a.end(), by_key);
    std::sort(b.begin(), b.end(), by_key);
  }
  for (size_t i = 0; i < a.size(); i++) {
    for (size_t c = 0; c < a[i].size(); c++) {
      if (!same_value(a[i][c], b[i][c])) return "different values in row " + std::to_string(i + 1);
    }
  }
  return "";
}

int run(const Options& options) {
  QueryGenerator generator(options.seed);
  if (options.print_only) {
    for (size_t i = 0; i < options.queries; i++) std::cout << generator.next_query() << ";\n";
    return 0;
  }
  std::unique_ptr<Connection> pg;
  std::unique_ptr<Connection> tessera;
  try {
    pg = std::make_unique<LibpqConnection>(options.pg);
    if (options.tessera_server) {
      tessera = std::make_unique<LibpqConnection>(*options.tessera_server);
    } else {
      tessera = std::make_unique<InProcessConnection>(options.threads);
    }
  } catch (const std::exception& e) {
    std::cerr << "tessera-fuzz-sql: " << e.what() << "\n";
    return 2;
  }
  const std::string schema = "tessera_fuzz_" + std::to_string(getpid());
  for (const std::string& sql : {"CREATE SCHEMA " + schema, "SET search_path TO " + schema}) {
    QueryResult r = pg->execute(sql);
    if (!r.ok) {
      std::cerr << "tessera-fuzz-sql: PostgreSQL: " << r.error_message << "\n";
      return 2;
    }
  }
  for (const std::string& sql : QueryGenerator::schema_sql()) {
    for (Connection* c : {pg.get(), tessera.get()}) {
      QueryResult r = c->execute(sql);
      if (!r.ok) {
        std::cerr << "tessera-fuzz-sql: schema statement failed on " << (c == pg.get() ? "PostgreSQL" : "Tessera")
                  << ": " << r.error_message << "\n  " << sql << "\n";
        pg->execute("DROP SCHEMA " + schema + " CASCADE");
        return 2;
      }
    }
  }
  size_t differences = 0, both_ok = 0, both_failed = 0, plan_dependent = 0;
  for (size_t i = 0; i < options.queries; i++) {
    const std::string sql = generator.next_query();
    const QueryResult a = pg->execute(sql);
    const QueryResult b = tessera->execute(sql);
    if (plan_dependent_error(a, b)) {
      plan_dependent++;
      continue;
    }
    const std::string diff = compare(generator.last_ordered(), a, b);
    if (diff.empty()) {
      (a.ok ? both_ok : both_failed)++;
      continue;
    }
    if (++differences <= options.show) {
      std::cout << "DIFFERENCE (seed " << options.seed << ", query " << i + 1 << "): " << diff << "\n  " << sql
                << "\n    PostgreSQL: " << render(a) << "\n    Tessera:    " << render(b) << "\n";
    }
  }
  pg->execute("DROP SCHEMA " + schema + " CASCADE");
  std::cout << "queries: " << options.queries << ", same rows: " << both_ok << ", same error: " << both_failed
            << ", data error on one side only (plan-dependent): " << plan_dependent << ", differences: " << differences
            << " (seed " << options.seed << ")\n";
  return differences == 0 ? 0 : 1;
}

}  // namespace
}  // namespace tessera::fuzz

int main(int argc, char** argv) {
  tessera::fuzz::Options options;
  for (int i = 1; i < argc; i++) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        tessera::fuzz::usage();
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (arg == "--seed") {
        options.seed = std::stoull(value());
      } else if (arg == "--queries") {
        options.queries = std::stoull(value());
      } else if (arg == "--pg") {
        if (!tessera::fuzz::split_endpoint(value(), options.pg)) throw std::invalid_argument("endpoint");
      } else if (arg == "--dbname") {
        options.pg.dbname = value();
      } else if (arg == "--user") {
        options.pg.user = value();
      } else if (arg == "--connect") {
        tessera::WireEndpoint e;
        if (!tessera::fuzz::split_endpoint(value(), e)) throw std::invalid_argument("endpoint");
        options.tessera_server = e;
      } else if (arg == "--threads") {
        options.threads = std::stoull(value());
      } else if (arg == "--show") {
        options.show = std::stoull(value());
      } else if (arg == "--print") {
        options.print_only = true;
      } else {
        tessera::fuzz::usage();
        return 2;
      }
    } catch (const std::exception&) {
      std::cerr << "tessera-fuzz-sql: bad value for " << arg << "\n";
      return 2;
    }
  }
  return tessera::fuzz::run(options);
}
