#include "planner/parser/keywords.h"

#include <string_view>
#include <unordered_set>

namespace tessera::planner {
namespace {

using WordSet = std::unordered_set<std::string_view>;

const WordSet& reserved_words() {
  static const WordSet words = {
      "all",          "analyse",      "analyze",        "and",
      "any",          "array",        "as",             "asc",
      "asymmetric",   "both",         "case",           "cast",
      "check",        "collate",      "column",         "constraint",
      "create",       "current_catalog", "current_date", "current_role",
      "current_time", "current_timestamp", "current_user", "default",
      "deferrable",   "desc",         "distinct",       "do",
      "else",         "end",          "except",         "false",
      "fetch",        "for",          "foreign",        "from",
      "grant",        "group",        "having",         "in",
      "initially",    "intersect",    "into",           "lateral",
      "leading",      "limit",        "localtime",      "localtimestamp",
      "not",          "null",         "offset",         "on",
      "only",         "or",           "order",          "placing",
      "primary",      "references",   "returning",      "select",
      "session_user", "some",         "symmetric",      "table",
      "then",         "to",           "trailing",       "true",
      "union",        "unique",       "user",           "using",
      "variadic",     "when",         "where",          "window",
      "with",
  };
  return words;
}

const WordSet& type_func_name_words() {
  static const WordSet words = {
      "authorization", "binary",  "collation", "concurrently", "cross",    "current_schema",
      "freeze",        "full",    "ilike",     "inner",        "is",       "isnull",
      "join",          "left",    "like",      "natural",      "notnull",  "outer",
      "overlaps",      "right",   "similar",   "tablesample",  "verbose",
  };
  return words;
}

const WordSet& col_name_words() {
  static const WordSet words = {
      "between",  "bigint",  "bit",      "boolean",   "char",      "character", "coalesce",
      "dec",      "decimal", "exists",   "extract",   "float",     "greatest",  "grouping",
      "inout",    "int",     "integer",  "interval",  "least",     "national",  "nchar",
      "none",     "normalize", "nullif", "numeric",   "out",       "overlay",   "position",
      "precision", "real",   "row",      "setof",     "smallint",  "substring", "time",
      "timestamp", "treat",  "trim",     "values",    "varchar",   "xmlattributes",
      "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse",
      "xmlpi",    "xmlroot", "xmlserialize", "xmltable",
  };
  return words;
}

/// Non-reserved keywords that PostgreSQL accepts as a column alias only after AS, because
/// they may legitimately follow an expression.
const WordSet& as_only_label_words() {
  static const WordSet words = {
      "at",     "between", "day",    "escape",  "filter", "hour",   "minute", "month",
      "over",   "precision", "second", "varying", "within", "without", "year",  "char",
      "character",
  };
  return words;
}

}  // namespace

KeywordCategory keyword_category(std::string_view word) {
  if (reserved_words().count(word) != 0) return KeywordCategory::kReserved;
  if (type_func_name_words().count(word) != 0) return KeywordCategory::kTypeFuncName;
  if (col_name_words().count(word) != 0) return KeywordCategory::kColName;
  return KeywordCategory::kUnreserved;
}

bool is_bare_label(std::string_view word) {
  switch (keyword_category(word)) {
    case KeywordCategory::kReserved:
    case KeywordCategory::kTypeFuncName:
      return false;
    default:
      return as_only_label_words().count(word) == 0;
  }
}

}  // namespace tessera::planner
