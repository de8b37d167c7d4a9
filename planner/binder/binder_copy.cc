// COPY: option resolution (PostgreSQL's ProcessCopyOptions) and the plans of COPY FROM (an
// INSERT of the parsed input) and COPY TO (the query whose rows are written).

#include <cctype>

#include "planner/binder/binder.h"
#include "planner/logical/logical_copy_from.h"
#include "src/common/encoding_name.h"

namespace tessera::planner {

namespace {

[[noreturn]] void copy_error(SqlState state, const std::string& message) { throw SqlError(state, message); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// PostgreSQL's defGetBoolean; an option written without a value is true.
bool option_boolean(const CopyOption& option) {
  if (option.value.empty()) return true;
  const std::string v = lower(option.value);
  if (v == "true" || v == "on" || v == "1" || v == "yes" || v == "t" || v == "y") return true;
  if (v == "false" || v == "off" || v == "0" || v == "no" || v == "f" || v == "n") return false;
  copy_error(SqlState::kSyntaxError, option.name + " requires a Boolean value");
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    names.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

/// The column lists of FORCE_QUOTE / FORCE_NOT_NULL / FORCE_NULL, as written.
struct ForceLists {
  bool quote_all = false;
  std::optional<std::vector<std::string>> quote, not_null, null;
};

/// Resolves the option list of a COPY with PostgreSQL's checks and defaults.
CopyFormat resolve_copy_options(const std::vector<CopyOption>& options, bool is_from, ForceLists& force) {
  CopyFormat format;
  bool format_given = false, freeze_given = false, header_given = false, encoding_given = false;
  bool binary = false;
  std::optional<std::string> delimiter, null_string, quote, escape;
  auto redundant = [] { copy_error(SqlState::kSyntaxError, "conflicting or redundant options"); };
  for (const CopyOption& option : options) {
    const std::string& name = option.name;
    if (name == "format") {
      if (format_given) redundant();
      format_given = true;
      if (option.value.empty()) copy_error(SqlState::kSyntaxError, "format requires a parameter");
      const std::string v = lower(option.value);
      if (v == "text") {
        format.format = CopyFileFormat::kText;
      } else if (v == "csv") {
        format.format = CopyFileFormat::kCsv;
      } else if (v == "binary") {
        binary = true;
      } else {
        copy_error(SqlState::kInvalidParameterValue, "COPY format \"" + option.value + "\" not recognized");
      }
    } else if (name == "freeze") {
      if (freeze_given) redundant();
      freeze_given = true;
      // Meaningless for COPY TO (as in PostgreSQL); COPY FROM has nothing to freeze into.
      if (option_boolean(option) && is_from) copy_error(SqlState::kFeatureNotSupported, "COPY FREEZE is not supported");
    } else if (name == "delimiter" || name == "null" || name == "quote" || name == "escape") {
      std::optional<std::string>& slot =
          name == "delimiter" ? delimiter : name == "null" ? null_string : name == "quote" ? quote : escape;
      if (slot) redundant();
      slot = option.value;
    } else if (name == "header") {
      if (header_given) redundant();
      header_given = true;
      if (lower(option.value) == "match") {
        if (!is_from) copy_error(SqlState::kFeatureNotSupported, "cannot use \"match\" with HEADER in COPY TO");
        copy_error(SqlState::kFeatureNotSupported, "COPY HEADER MATCH is not supported yet");
      }
      if (!option.value.empty()) {
        const std::string v = lower(option.value);
        const bool valid = v == "true" || v == "on" || v == "1" || v == "yes" || v == "t" || v == "y" ||
                           v == "false" || v == "off" || v == "0" || v == "no" || v == "f" || v == "n";
        if (!valid) copy_error(SqlState::kSyntaxError, "header requires a Boolean value or \"match\"");
      }
      format.header = option_boolean(option);
    } else if (name == "force_quote") {
      if (force.quote || force.quote_all) redundant();
      if (option.value == "*") {
        force.quote_all = true;
      } else {
        force.quote = split_names(option.value);
      }
    } else if (name == "force_not_null" || name == "force_null") {
      auto& slot = name == "force_null" ? force.null : force.not_null;
      if (slot) redundant();
      if (option.value == "*" || option.value.empty()) {
        copy_error(SqlState::kInvalidParameterValue, "argument to option \"" + name + "\" must be a list of column names");
      }
      slot = split_names(option.value);
    } else if (name == "encoding") {
      if (encoding_given) redundant();
      encoding_given = true;
      if (!is_utf8_encoding_name(option.value)) {
        copy_error(SqlState::kFeatureNotSupported, "COPY ENCODING other than UTF8 is not supported");
      }
    } else {
      copy_error(SqlState::kSyntaxError, "option \"" + name + "\" not recognized");
    }
  }
  if (binary) {
    if (delimiter) copy_error(SqlState::kSyntaxError, "cannot specify DELIMITER in BINARY mode");
    if (null_string) copy_error(SqlState::kSyntaxError, "cannot specify NULL in BINARY mode");
    if (format.header) copy_error(SqlState::kSyntaxError, "cannot specify HEADER in BINARY mode");
    copy_error(SqlState::kFeatureNotSupported, "COPY format \"binary\" is not supported yet");
  }
  const bool csv = format.is_csv();
  const std::string delim = delimiter.value_or(csv ? "," : "\t");
  format.null_string = null_string.value_or(csv ? "" : "\\N");
  const std::string quote_text = quote.value_or("\"");
  const std::string escape_text = escape.value_or(quote_text);
  if (delim.size() != 1) copy_error(SqlState::kFeatureNotSupported, "COPY delimiter must be a single one-byte character");
  format.delimiter = delim[0];
  if (delim[0] == '\r' || delim[0] == '\n') {
    copy_error(SqlState::kInvalidParameterValue, "COPY delimiter cannot be newline or carriage return");
  }
  if (format.null_string.find_first_of("\r\n") != std::string::npos) {
    copy_error(SqlState::kInvalidParameterValue, "COPY null representation cannot use newline or carriage return");
  }
  if (!csv && std::string_view("\\.abcdefghijklmnopqrstuvwxyz0123456789").find(delim[0]) != std::string_view::npos) {
    copy_error(SqlState::kInvalidParameterValue, "COPY delimiter cannot be \"" + delim + "\"");
  }
  if (!csv && quote) copy_error(SqlState::kFeatureNotSupported, "COPY quote available only in CSV mode");
  if (csv && quote_text.size() != 1) copy_error(SqlState::kFeatureNotSupported, "COPY quote must be a single one-byte character");
  if (csv && delim[0] == quote_text[0]) copy_error(SqlState::kInvalidParameterValue, "COPY delimiter and quote must be different");
  if (!csv && escape) copy_error(SqlState::kFeatureNotSupported, "COPY escape available only in CSV mode");
  if (csv && escape_text.size() != 1) copy_error(SqlState::kFeatureNotSupported, "COPY escape must be a single one-byte character");
  if (!csv && (force.quote || force.quote_all)) copy_error(SqlState::kFeatureNotSupported, "COPY force quote available only in CSV mode");
  if ((force.quote || force.quote_all) && is_from) copy_error(SqlState::kFeatureNotSupported, "COPY force quote only available using COPY TO");
  if (!csv && force.not_null) copy_error(SqlState::kFeatureNotSupported, "COPY force not null available only in CSV mode");
  if (force.not_null && !is_from) copy_error(SqlState::kFeatureNotSupported, "COPY force not null only available using COPY FROM");
  if (!csv && force.null) copy_error(SqlState::kFeatureNotSupported, "COPY force null available only in CSV mode");
  if (force.null && !is_from) copy_error(SqlState::kFeatureNotSupported, "COPY force null only available using COPY FROM");
  if (format.null_string.find(delim[0]) != std::string::npos) {
    copy_error(SqlState::kFeatureNotSupported, "COPY delimiter must not appear in the NULL specification");
  }
  if (csv && format.null_string.find(quote_text[0]) != std::string::npos) {
    copy_error(SqlState::kFeatureNotSupported, "CSV quote character must not appear in the NULL specification");
  }
  if (csv) {
    format.quote = quote_text[0];
    format.escape = escape_text[0];
  }
  return format;
}

/// Flags aligned with `names` for the columns of a FORCE_* list (42703 for a column the table
/// lacks, 42P10 for one the COPY does not list).
std::vector<bool> force_flags(const std::optional<std::vector<std::string>>& list, const char* option,
                              const std::vector<std::string>& names, const catalog::TableEntry* table,
                              const std::string& relation) {
  std::vector<bool> flags(names.size(), false);
  if (!list) return flags;
  for (const std::string& column : *list) {
    if (table && !table->find_column(column)) {
      copy_error(SqlState::kUndefinedColumn, "column \"" + column + "\" of relation \"" + relation + "\" does not exist");
    }
    bool found = false;
    for (size_t i = 0; i < names.size(); i++) {
      if (names[i] == column) {
        flags[i] = true;
        found = true;
      }
    }
    if (!found) {
      if (!table) copy_error(SqlState::kUndefinedColumn, "column \"" + column + "\" does not exist");
      copy_error(SqlState::kInvalidColumnReference,
                 std::string(option) + " column \"" + column + "\" not referenced by COPY");
    }
  }
  return flags;
}

}  // namespace

BoundStatement Binder::bind_copy(const CopyStatement& stmt) {
  if (stmt.is_program) {
    throw_at(SqlState::kFeatureNotSupported,
             stmt.is_from ? "COPY FROM PROGRAM is not supported" : "COPY TO PROGRAM is not supported", stmt.location);
  }
  if (stmt.where) throw_at(SqlState::kFeatureNotSupported, "COPY FROM ... WHERE is not supported yet", stmt.location);
  auto copy = std::make_shared<BoundCopy>();
  copy->is_from = stmt.is_from;
  copy->filename = stmt.filename;

  BoundStatement result;
  result.properties.command = CommandKind::kCopy;
  std::shared_ptr<catalog::TableEntry> table;
  std::string relation;
  if (!stmt.query) {
    relation = stmt.table.back();
    auto entry = find_relation(stmt.table, stmt.location, true);
    if (!entry) {
      throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(stmt.table) + "\" does not exist",
               stmt.location);
    }
    if (entry->kind() != catalog::EntryKind::kTable) {
      const char* what = entry->kind() == catalog::EntryKind::kView       ? "view"
                         : entry->kind() == catalog::EntryKind::kSequence ? "sequence"
                                                                          : "non-table relation";
      if (stmt.is_from) {
        throw_at(SqlState::kWrongObjectType, std::string("cannot copy to ") + what + " \"" + relation + "\"", stmt.location);
      }
      SqlError error(SqlState::kWrongObjectType, std::string("cannot copy from ") + what + " \"" + relation + "\"");
      if (entry->kind() == catalog::EntryKind::kView) error.with_hint("Try the COPY (SELECT ...) TO variant.");
      throw error;
    }
    table = std::static_pointer_cast<catalog::TableEntry>(entry);
  }

  ForceLists force;
  copy->format = resolve_copy_options(stmt.options, stmt.is_from, force);
  if (!stmt.is_from && !stmt.filename.empty() && stmt.filename[0] != '/') {
    throw_at(SqlState::kInvalidName, "relative path not allowed for COPY to file", stmt.location);
  }

  // The columns: the list given, or every column of the table.
  std::vector<size_t> targets;
  if (table) {
    const auto& columns = table->columns();
    targets = bind_target_columns(*table, stmt.columns, relation, stmt.location);
    for (size_t t : targets) copy->names.push_back(columns[t].name);
  }

  if (stmt.is_from) {
    copy->format.force_not_null = force_flags(force.not_null, "FORCE_NOT_NULL", copy->names, table.get(), relation);
    copy->format.force_null = force_flags(force.null, "FORCE_NULL", copy->names, table.get(), relation);
    copy->input = std::make_shared<CopyInput>();
    std::vector<LogicalType> types;
    for (size_t t : targets) {
      const LogicalType& type = table->columns()[t].type;
      // A string column's length is checked on assignment (22001), as INSERT does.
      types.push_back(type.is_string() ? LogicalType(type.id()) : type);
    }
    auto source = std::make_unique<LogicalCopyFrom>(next_table_index(), relation, copy->names, std::move(types),
                                                    copy->format, copy->input);
    uint32_t projection_index = 0;
    result.plan = make_insert(table, std::move(source), targets, false, projection_index);
    result.properties.read_only = false;
    result.copy = std::move(copy);
    return result;
  }

  std::vector<std::string> names;
  if (stmt.query) {
    Binder child(*this, false);
    result.plan = child.bind_query(*stmt.query, names);
    copy->names = names;
  } else {
    auto get = std::make_unique<LogicalGet>(table, next_table_index(), relation);
    for (size_t t : targets) get->column_ids.push_back(t);
    result.plan = std::move(get);
    names = copy->names;
  }
  if (force.quote_all) {
    copy->format.force_quote_all = true;
    copy->format.force_quote.assign(copy->names.size(), true);
  } else {
    copy->format.force_quote = force_flags(force.quote, "FORCE_QUOTE", copy->names, table.get(), relation);
  }
  result.names = std::move(names);
  result.copy = std::move(copy);
  return result;
}

}  // namespace tessera::planner
