#include "sqllogictest/runner/schema_tracker.h"

#include <algorithm>
#include <cctype>

#include "sqllogictest/runner/test_file.h"

namespace tessera {

namespace {

/// A word of SQL: an identifier or keyword (possibly quoted or dotted), or one punctuation char.
std::vector<std::string> tokenize(std::string_view sql) {
  std::vector<std::string> tokens;
  size_t pos = 0;
  while (pos < sql.size()) {
    const char c = sql[pos];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
    } else if (c == '\'') {
      // Skip string literals so their contents are not mistaken for SQL.
      size_t end = pos + 1;
      while (end < sql.size()) {
        if (sql[end] == '\'' && end + 1 < sql.size() && sql[end + 1] == '\'') {
          end += 2;
        } else if (sql[end] == '\'') {
          break;
        } else {
          ++end;
        }
      }
      tokens.emplace_back("'");
      pos = end + 1;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '"') {
      size_t end = pos;
      while (end < sql.size()) {
        const char d = sql[end];
        if (d == '"') {
          const size_t close = sql.find('"', end + 1);
          end = close == std::string_view::npos ? sql.size() : close + 1;
        } else if (std::isalnum(static_cast<unsigned char>(d)) || d == '_' || d == '.' || d == '$') {
          ++end;
        } else {
          break;
        }
      }
      tokens.emplace_back(sql.substr(pos, end - pos));
      pos = end;
    } else {
      tokens.emplace_back(1, c);
      ++pos;
    }
  }
  return tokens;
}

bool keyword_is(const std::string& token, std::string_view keyword) {
  if (token.size() != keyword.size()) return false;
  for (size_t i = 0; i < token.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(token[i])) != keyword[i]) return false;
  }
  return true;
}

/// Unquoted names compare case-insensitively (they fold to lower case).
std::string normalized(const std::string& name) {
  std::string out;
  bool quoted = false;
  for (char c : name) {
    if (c == '"') quoted = !quoted;
    out += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

SchemaTracker SchemaTracker::scan_file(const TestFile& file) {
  SchemaTracker tracker;
  for (const Record& record : file.records()) {
    if (!record.sql.empty()) tracker.scan(record.sql);
  }
  return tracker;
}

void SchemaTracker::scan(std::string_view sql) {
  const std::vector<std::string> tokens = tokenize(sql);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!keyword_is(tokens[i], "create")) continue;
    size_t j = i + 1;
    if (j + 1 < tokens.size() && keyword_is(tokens[j], "or") && keyword_is(tokens[j + 1], "replace")) j += 2;
    while (j < tokens.size() && (keyword_is(tokens[j], "temp") || keyword_is(tokens[j], "temporary") ||
                                 keyword_is(tokens[j], "unlogged") || keyword_is(tokens[j], "global") ||
                                 keyword_is(tokens[j], "local"))) {
      ++j;
    }
    ObjectKind kind;
    if (j < tokens.size() && keyword_is(tokens[j], "table")) {
      kind = ObjectKind::kTable;
      ++j;
    } else if (j < tokens.size() && keyword_is(tokens[j], "view")) {
      kind = ObjectKind::kView;
      ++j;
    } else if (j + 1 < tokens.size() && keyword_is(tokens[j], "materialized") && keyword_is(tokens[j + 1], "view")) {
      kind = ObjectKind::kMaterializedView;
      j += 2;
    } else {
      continue;
    }
    if (j + 2 < tokens.size() && keyword_is(tokens[j], "if") && keyword_is(tokens[j + 1], "not") &&
        keyword_is(tokens[j + 2], "exists")) {
      j += 3;
    }
    if (j >= tokens.size()) continue;
    const char first = tokens[j][0];
    if (!(std::isalpha(static_cast<unsigned char>(first)) || first == '_' || first == '"')) continue;
    add(kind, tokens[j]);
  }
}

void SchemaTracker::add(ObjectKind kind, std::string name) {
  const std::string key = normalized(name);
  for (const Object& object : objects_) {
    if (object.kind == kind && normalized(object.name) == key) return;
  }
  objects_.push_back(Object{kind, std::move(name)});
}

std::vector<std::string> SchemaTracker::drop_statements() const {
  std::vector<std::string> statements;
  for (auto it = objects_.rbegin(); it != objects_.rend(); ++it) {
    if (it->kind == ObjectKind::kView) statements.push_back("DROP VIEW IF EXISTS " + it->name);
    if (it->kind == ObjectKind::kMaterializedView) {
      statements.push_back("DROP MATERIALIZED VIEW IF EXISTS " + it->name);
    }
  }
  for (auto it = objects_.rbegin(); it != objects_.rend(); ++it) {
    if (it->kind == ObjectKind::kTable) statements.push_back("DROP TABLE IF EXISTS " + it->name);
  }
  return statements;
}

void SchemaTracker::drop_all(Connection& connection) const {
  for (const std::string& statement : drop_statements()) {
    if (!connection.execute(statement).ok) connection.execute(statement + " CASCADE");
  }
}

}  // namespace tessera
