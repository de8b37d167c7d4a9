#include "planner/parser/ast_printer.h"

#include <string_view>

namespace tessera::planner {
namespace {

std::string quote_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string join_names(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += separator;
    out += names[i];
  }
  return out;
}

std::string expr_list(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += expr_to_string(*exprs[i]);
  }
  return out;
}

std::string sort_list(const std::vector<SortBy>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += expr_to_string(*items[i].expr);
    if (items[i].direction == SortDirection::kAsc) out += " ASC";
    if (items[i].direction == SortDirection::kDesc) out += " DESC";
    if (items[i].nulls == NullsOrder::kFirst) out += " NULLS FIRST";
    if (items[i].nulls == NullsOrder::kLast) out += " NULLS LAST";
  }
  return out;
}

std::string frame_bound(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kPreceding:
      return expr_to_string(*bound.offset) + " PRECEDING";
    case FrameBoundKind::kCurrentRow:
      return "CURRENT ROW";
    case FrameBoundKind::kFollowing:
      return expr_to_string(*bound.offset) + " FOLLOWING";
    case FrameBoundKind::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "";
}

std::string window_to_string(const WindowDef& window) {
  std::string out = "(";
  std::string sep;
  if (!window.ref_name.empty()) {
    out += window.ref_name;
    sep = " ";
  }
  if (!window.partition_by.empty()) {
    out += sep + "PARTITION BY " + expr_list(window.partition_by);
    sep = " ";
  }
  if (!window.order_by.empty()) {
    out += sep + "ORDER BY " + sort_list(window.order_by);
    sep = " ";
  }
  if (window.frame_mode != FrameMode::kDefault) {
    out += sep;
    out += window.frame_mode == FrameMode::kRows    ? "ROWS"
           : window.frame_mode == FrameMode::kRange ? "RANGE"
                                                    : "GROUPS";
    out += " BETWEEN " + frame_bound(window.frame_start) + " AND " + frame_bound(window.frame_end);
  }
  return out + ")";
}

std::string table_ref_to_string(const TableRef& ref);

std::string alias_to_string(const std::optional<Alias>& alias) {
  if (!alias) return "";
  std::string out = " AS " + alias->name;
  if (!alias->columns.empty()) out += "(" + join_names(alias->columns, ", ") + ")";
  return out;
}

std::string table_ref_to_string(const TableRef& ref) {
  switch (ref.kind) {
    case TableRefKind::kBaseTable: {
      const auto& table = ref.as<BaseTableRef>();
      return join_names(table.name, ".") + alias_to_string(table.alias);
    }
    case TableRefKind::kSubquery: {
      const auto& subquery = ref.as<SubqueryRef>();
      return (subquery.lateral ? "LATERAL (" : "(") + select_to_string(*subquery.subquery) + ")" +
             alias_to_string(subquery.alias);
    }
    case TableRefKind::kFunction: {
      const auto& function = ref.as<FunctionRef>();
      std::string out = function.lateral ? "LATERAL " : "";
      if (function.function) {
        out += expr_to_string(*function.function);
      } else {
        out += "ROWS FROM (";
        for (size_t i = 0; i < function.rows_from.size(); i++) {
          if (i) out += ", ";
          out += expr_to_string(*function.rows_from[i]);
        }
        out += ")";
      }
      if (function.with_ordinality) out += " WITH ORDINALITY";
      return out + alias_to_string(function.alias);
    }
    case TableRefKind::kJoin: {
      const auto& join = ref.as<JoinRef>();
      std::string out = "(" + table_ref_to_string(*join.left);
      if (join.natural) out += " NATURAL";
      switch (join.join_type) {
        case JoinType::kInner:
          out += " JOIN ";
          break;
        case JoinType::kLeft:
          out += " LEFT JOIN ";
          break;
        case JoinType::kRight:
          out += " RIGHT JOIN ";
          break;
        case JoinType::kFull:
          out += " FULL JOIN ";
          break;
        case JoinType::kCross:
          out += " CROSS JOIN ";
          break;
        case JoinType::kSemi:
        case JoinType::kAnti:
        case JoinType::kMark:
          // Planner-only join types; the parser never produces them.
          out += " JOIN ";
          break;
      }
      out += table_ref_to_string(*join.right);
      if (join.on) out += " ON " + expr_to_string(*join.on);
      if (!join.using_columns.empty()) out += " USING (" + join_names(join.using_columns, ", ") + ")";
      return out + ")" + alias_to_string(join.alias);
    }
  }
  return "";
}

}  // namespace

std::string type_name_to_string(const TypeName& type) {
  std::string out = type.name;
  if (!type.interval_fields.empty()) out += " " + type.interval_fields;
  if (!type.modifiers.empty()) {
    out += "(";
    for (size_t i = 0; i < type.modifiers.size(); ++i) {
      if (i > 0) out += ",";
      out += std::to_string(type.modifiers[i]);
    }
    out += ")";
  }
  for (int i = 0; i < type.array_dims; ++i) out += "[]";
  return out;
}

std::string select_to_string(const SelectStmt& select) {
  std::string out;
  if (select.with) {
    out += select.with->recursive ? "WITH RECURSIVE " : "WITH ";
    for (size_t i = 0; i < select.with->ctes.size(); ++i) {
      const auto& cte = select.with->ctes[i];
      if (i > 0) out += ", ";
      out += cte.name;
      if (!cte.column_aliases.empty()) out += "(" + join_names(cte.column_aliases, ", ") + ")";
      out += " AS (" + select_to_string(*cte.query) + ")";
    }
    out += " ";
  }
  switch (select.select_kind) {
    case SelectKind::kSimple: {
      out += "SELECT ";
      if (select.distinct) {
        out += "DISTINCT ";
        if (!select.distinct_on.empty()) out += "ON (" + expr_list(select.distinct_on) + ") ";
      }
      for (size_t i = 0; i < select.targets.size(); ++i) {
        if (i > 0) out += ", ";
        out += expr_to_string(*select.targets[i].expr);
        if (!select.targets[i].alias.empty()) out += " AS " + select.targets[i].alias;
      }
      if (!select.from.empty()) {
        out += " FROM ";
        for (size_t i = 0; i < select.from.size(); ++i) {
          if (i > 0) out += ", ";
          out += table_ref_to_string(*select.from[i]);
        }
      }
      if (select.where) out += " WHERE " + expr_to_string(*select.where);
      if (!select.group_by.empty()) out += std::string(" GROUP BY ") + (select.group_by_distinct ? "DISTINCT " : "") + expr_list(select.group_by);
      if (select.having) out += " HAVING " + expr_to_string(*select.having);
      break;
    }
    case SelectKind::kValues: {
      out += "VALUES ";
      for (size_t i = 0; i < select.values_lists.size(); ++i) {
        if (i > 0) out += ", ";
        out += "(" + expr_list(select.values_lists[i]) + ")";
      }
      break;
    }
    case SelectKind::kSetOp: {
      out += "(" + select_to_string(*select.larg) + ")";
      switch (select.set_op) {
        case SetOpKind::kUnion:
          out += " UNION ";
          break;
        case SetOpKind::kIntersect:
          out += " INTERSECT ";
          break;
        case SetOpKind::kExcept:
          out += " EXCEPT ";
          break;
      }
      if (select.set_all) out += "ALL ";
      out += "(" + select_to_string(*select.rarg) + ")";
      break;
    }
  }
  if (!select.order_by.empty()) out += " ORDER BY " + sort_list(select.order_by);
  if (select.limit) {
    out += select.limit_with_ties ? " FETCH FIRST (" + expr_to_string(*select.limit) + ") ROWS WITH TIES"
                                  : " LIMIT " + expr_to_string(*select.limit);
  }
  if (select.offset) out += " OFFSET " + expr_to_string(*select.offset);
  return out;
}

std::string expr_to_string(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kColumnRef:
      return join_names(expr.as<ColumnRefExpr>().fields, ".");
    case ExprKind::kStar: {
      const auto& star = expr.as<StarExpr>();
      return star.qualifier.empty() ? "*" : join_names(star.qualifier, ".") + ".*";
    }
    case ExprKind::kConstant: {
      const auto& constant = expr.as<ConstantExpr>();
      switch (constant.constant_kind) {
        case ConstantKind::kInteger:
          return std::to_string(constant.int_value);
        case ConstantKind::kNumeric:
          return constant.text;
        case ConstantKind::kString:
          return quote_string(constant.text);
        case ConstantKind::kBoolean:
          return constant.bool_value ? "TRUE" : "FALSE";
        case ConstantKind::kNull:
          return "NULL";
      }
      return "";
    }
    case ExprKind::kParameter:
      return "$" + std::to_string(expr.as<ParameterExpr>().index);
    case ExprKind::kTypeCast: {
      const auto& cast = expr.as<TypeCastExpr>();
      return "CAST(" + expr_to_string(*cast.arg) + " AS " + type_name_to_string(cast.type) + ")";
    }
    case ExprKind::kUnaryOp: {
      const auto& unary = expr.as<UnaryOpExpr>();
      return "(" + unary.op + (unary.op == "NOT" ? " " : "") + expr_to_string(*unary.operand) + ")";
    }
    case ExprKind::kBinaryOp: {
      const auto& binary = expr.as<BinaryOpExpr>();
      return "(" + expr_to_string(*binary.left) + " " + binary.op + " " +
             expr_to_string(*binary.right) + ")";
    }
    case ExprKind::kFuncCall: {
      const auto& call = expr.as<FuncCallExpr>();
      std::string out = join_names(call.name, ".");
      if (call.sql_value_function && call.args.empty()) return out;
      out += "(";
      if (call.star) out += "*";
      if (call.distinct) out += "DISTINCT ";
      out += expr_list(call.args);
      if (!call.agg_order_by.empty() && !call.agg_within_group) {
        out += " ORDER BY " + sort_list(call.agg_order_by);
      }
      out += ")";
      if (call.agg_within_group) out += " WITHIN GROUP (ORDER BY " + sort_list(call.agg_order_by) + ")";
      if (call.filter) out += " FILTER (WHERE " + expr_to_string(*call.filter) + ")";
      if (call.over) {
        out += " OVER ";
        out += call.over->name.empty() ? window_to_string(*call.over) : call.over->name;
      }
      return out;
    }
    case ExprKind::kCase: {
      const auto& case_expr = expr.as<CaseExpr>();
      std::string out = "CASE";
      if (case_expr.arg) out += " " + expr_to_string(*case_expr.arg);
      for (const auto& when : case_expr.whens) {
        out += " WHEN " + expr_to_string(*when.condition) + " THEN " + expr_to_string(*when.result);
      }
      if (case_expr.else_result) out += " ELSE " + expr_to_string(*case_expr.else_result);
      return out + " END";
    }
    case ExprKind::kSubLink: {
      const auto& sublink = expr.as<SubLinkExpr>();
      const std::string query = "(" + select_to_string(*sublink.subquery) + ")";
      switch (sublink.sublink_kind) {
        case SubLinkKind::kExists:
          return "EXISTS " + query;
        case SubLinkKind::kScalar:
          return query;
        case SubLinkKind::kAny:
          if (sublink.is_in) return "(" + expr_to_string(*sublink.test_expr) + " IN " + query + ")";
          return "(" + expr_to_string(*sublink.test_expr) + " " + sublink.op + " ANY " + query + ")";
        case SubLinkKind::kAll:
          return "(" + expr_to_string(*sublink.test_expr) + " " + sublink.op + " ALL " + query + ")";
      }
      return "";
    }
    case ExprKind::kInList: {
      const auto& in_list = expr.as<InListExpr>();
      return "(" + expr_to_string(*in_list.expr) + (in_list.negated ? " NOT IN (" : " IN (") +
             expr_list(in_list.list) + "))";
    }
    case ExprKind::kBetween: {
      const auto& between = expr.as<BetweenExpr>();
      return "(" + expr_to_string(*between.expr) + (between.negated ? " NOT BETWEEN " : " BETWEEN ") +
             (between.symmetric ? "SYMMETRIC " : "") + expr_to_string(*between.low) + " AND " +
             expr_to_string(*between.high) + ")";
    }
    case ExprKind::kNullTest: {
      const auto& test = expr.as<NullTestExpr>();
      return "(" + expr_to_string(*test.expr) + (test.is_not ? " IS NOT NULL)" : " IS NULL)");
    }
    case ExprKind::kBoolTest: {
      const auto& test = expr.as<BoolTestExpr>();
      static const char* const kSuffix[] = {" IS TRUE",  " IS NOT TRUE",  " IS FALSE",
                                            " IS NOT FALSE", " IS UNKNOWN", " IS NOT UNKNOWN"};
      return "(" + expr_to_string(*test.expr) + kSuffix[static_cast<int>(test.test)] + ")";
    }
    case ExprKind::kLike: {
      const auto& like = expr.as<LikeExpr>();
      std::string op = like.similar ? "SIMILAR TO" : like.case_insensitive ? "ILIKE" : "LIKE";
      std::string out = "(" + expr_to_string(*like.expr) + (like.negated ? " NOT " : " ") + op + " " +
                        expr_to_string(*like.pattern);
      if (like.escape) out += " ESCAPE " + expr_to_string(*like.escape);
      return out + ")";
    }
    case ExprKind::kIsDistinct: {
      const auto& distinct = expr.as<IsDistinctExpr>();
      return "(" + expr_to_string(*distinct.left) +
             (distinct.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
             expr_to_string(*distinct.right) + ")";
    }
    case ExprKind::kRow:
      return "ROW(" + expr_list(expr.as<RowExpr>().args) + ")";
    case ExprKind::kGroupingSet: {
      const auto& set = expr.as<GroupingSetExpr>();
      switch (set.set_kind) {
        case GroupingSetKind::kEmpty:
          return "()";
        case GroupingSetKind::kRollup:
          return "ROLLUP(" + expr_list(set.items) + ")";
        case GroupingSetKind::kCube:
          return "CUBE(" + expr_list(set.items) + ")";
        case GroupingSetKind::kSets:
          return "GROUPING SETS(" + expr_list(set.items) + ")";
      }
      return "";
    }
    case ExprKind::kDefault:
      return "DEFAULT";
    case ExprKind::kArray: {
      const auto& array = expr.as<ArrayExpr>();
      if (array.subquery) return "ARRAY(" + select_to_string(*array.subquery) + ")";
      return "ARRAY[" + expr_list(array.elements) + "]";
    }
    case ExprKind::kSubscript: {
      const auto& subscript = expr.as<SubscriptExpr>();
      std::string out = expr_to_string(*subscript.arg) + "[";
      if (subscript.lower) out += expr_to_string(*subscript.lower);
      if (subscript.is_slice) out += ":";
      if (subscript.upper) out += expr_to_string(*subscript.upper);
      return out + "]";
    }
    case ExprKind::kArrayOp: {
      const auto& op = expr.as<ArrayOpExpr>();
      return "(" + expr_to_string(*op.left) + " " + op.op + (op.all ? " ALL (" : " ANY (") + expr_to_string(*op.array) +
             "))";
    }
  }
  return "";
}

}  // namespace tessera::planner
