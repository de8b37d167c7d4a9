// Schemas: CREATE / ALTER / DROP SCHEMA, COMMENT ON SCHEMA, and how relation names find their
// schema (qualified names, the search path, the creation schema).

#include <algorithm>

#include "catalog/catalog.h"
#include "catalog/search_path.h"
#include "planner/binder/binder.h"
#include "src/common/sql_error.h"

namespace tessera::planner {

namespace {

/// The session user (the one role).
constexpr const char* kSessionUser = catalog::kBootstrapRole;

std::string dotted(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) {
    if (!text.empty()) text += ".";
    text += part;
  }
  return text;
}

SqlError undefined_schema(const std::string& name) {
  return SqlError(SqlState::kInvalidSchemaName, "schema \"" + name + "\" does not exist");
}

/// 3F000 unless schema `name` exists for `txn`.
void require_schema(const catalog::Catalog& catalog, const storage::Transaction& txn, const std::string& name) {
  if (!catalog.find_schema(txn, name)) throw undefined_schema(name);
}

}  // namespace

void Binder::check_database_part(const std::vector<std::string>& parts, int location) const {
  if (parts.size() > 3) {
    throw_at(SqlState::kSyntaxError, "improper qualified name (too many dotted names): " + dotted(parts), location);
  }
  if (parts.size() == 3 && parts[0] != catalog::kDatabaseName) {
    throw_at(SqlState::kFeatureNotSupported,
             "cross-database references are not implemented: \"" + dotted(parts) + "\"", location);
  }
}

std::string Binder::relation_display_name(const std::vector<std::string>& parts) {
  if (parts.size() < 2) return parts.back();
  return parts[parts.size() - 2] + "." + parts.back();
}

std::shared_ptr<catalog::CatalogEntry> Binder::find_relation(const std::vector<std::string>& parts, int location,
                                                             bool missing_schema_error) const {
  check_database_part(parts, location);
  if (parts.size() >= 2) {
    const std::string& name = parts[parts.size() - 2];
    auto schema = catalog_.find_schema(transaction_, name);
    if (!schema) {
      if (missing_schema_error) throw undefined_schema(name);
      return nullptr;
    }
    return catalog_.find(transaction_, schema->oid(), parts.back());
  }
  for (const auto& name : catalog::search_path_schemas(catalog_, transaction_, search_path_, kSessionUser, true)) {
    auto schema = catalog_.find_schema(transaction_, name);
    if (!schema) continue;
    if (auto entry = catalog_.find(transaction_, schema->oid(), parts.back())) return entry;
  }
  return nullptr;
}

Oid Binder::schema_oid(const std::string& name) const {
  auto schema = catalog_.find_schema(transaction_, name);
  if (!schema) throw undefined_schema(name);
  return schema->oid();
}

std::string Binder::schema_name(const catalog::CatalogEntry& entry) const {
  auto schema = catalog_.find_schema(transaction_, entry.schema_oid());
  return schema ? schema->name() : std::string();
}

void Binder::check_creation_in_public(const std::vector<std::string>& parts, int location) const {
  const std::string schema = check_creation_schema(parts, location);
  if (schema != catalog::kPublicSchema) {
    throw_at(SqlState::kFeatureNotSupported,
             "creating views and sequences in schema \"" + schema + "\" is not supported yet (only in schema public)",
             location);
  }
}

std::string Binder::check_creation_schema(const std::vector<std::string>& parts, int location) const {
  check_database_part(parts, location);
  std::string schema;
  if (parts.size() >= 2) {
    schema = parts[parts.size() - 2];
  } else {
    auto creation = catalog::creation_schema(catalog_, transaction_, search_path_, kSessionUser);
    if (!creation) throw_at(SqlState::kInvalidSchemaName, "no schema has been selected to create in", location);
    schema = *creation;
  }
  if (schema == catalog::kCatalogSchema) {
    throw SqlError(SqlState::kInsufficientPrivilege,
                   "permission denied to create \"" + schema + "." + parts.back() + "\"")
        .with_detail("System catalog modifications are currently disallowed.");
  }
  require_schema(catalog_, transaction_, schema);
  if (schema == catalog::kInformationSchema) {
    throw_at(SqlState::kFeatureNotSupported,
             "creating relations in schema \"" + schema + "\" is not supported", location);
  }
  return schema;
}

namespace {

/// The role a role specification names: the session user for CURRENT_USER and friends; 42704
/// for a role that does not exist (there is one).
std::string resolve_role(const SchemaStatement& stmt) {
  if (stmt.role_keyword || *stmt.role == kSessionUser) return kSessionUser;
  throw SqlError(SqlState::kUndefinedObject, "role \"" + *stmt.role + "\" does not exist");
}

/// 42939 for the names PostgreSQL reserves for system schemas.
void check_schema_name(const std::string& name) {
  if (name.rfind("pg_", 0) == 0) {
    throw SqlError(SqlState::kReservedName, "unacceptable schema name \"" + name + "\"")
        .with_detail("The prefix \"pg_\" is reserved for system schemas.");
  }
}

}  // namespace

BoundStatement Binder::bind_schema(const SchemaStatement& stmt) {
  auto command = std::make_unique<LogicalSchemaCommand>();
  BoundStatement result;
  result.properties.read_only = false;
  switch (stmt.action) {
    case SchemaStatement::Action::kCreate: {
      command->action = SchemaAction::kCreate;
      command->owner = stmt.role ? resolve_role(stmt) : kSessionUser;
      const std::string name = stmt.name.empty() ? command->owner : stmt.name;
      check_schema_name(name);
      command->names = {name};
      command->if_exists = stmt.if_not_exists;
      result.properties.command = CommandKind::kCreateSchema;
      break;
    }
    case SchemaStatement::Action::kRename:
      require_schema(catalog_, transaction_, stmt.name);
      if (catalog_.find_schema(transaction_, stmt.new_name)) {
        throw SqlError(SqlState::kDuplicateSchema, "schema \"" + stmt.new_name + "\" already exists");
      }
      check_schema_name(stmt.new_name);
      command->action = SchemaAction::kRename;
      command->names = {stmt.name};
      command->new_name = stmt.new_name;
      result.properties.command = CommandKind::kAlterSchema;
      break;
    case SchemaStatement::Action::kOwner:
      require_schema(catalog_, transaction_, stmt.name);
      command->action = SchemaAction::kOwner;
      command->names = {stmt.name};
      command->owner = resolve_role(stmt);
      result.properties.command = CommandKind::kAlterSchema;
      break;
  }
  result.plan = std::move(command);
  return result;
}

BoundStatement Binder::bind_drop_schema(const DropStatement& stmt) {
  auto command = std::make_unique<LogicalSchemaCommand>();
  command->action = SchemaAction::kDrop;
  for (const auto& name : stmt.names) {
    if (name.size() != 1) throw_at(SqlState::kSyntaxError, "syntax error at or near \".\"", stmt.location);
    command->names.push_back(name[0]);
  }
  command->if_exists = stmt.if_exists;
  command->cascade = stmt.cascade;
  BoundStatement result;
  result.properties.command = CommandKind::kDropSchema;
  result.properties.read_only = false;
  result.plan = std::move(command);
  return result;
}

BoundStatement Binder::bind_comment_on_schema(const CommentStatement& stmt) {
  if (stmt.name.size() != 1) throw_at(SqlState::kSyntaxError, "syntax error at or near \".\"", stmt.location);
  require_schema(catalog_, transaction_, stmt.name[0]);
  auto command = std::make_unique<LogicalSchemaCommand>();
  command->action = SchemaAction::kComment;
  command->names = {stmt.name[0]};
  command->comment = stmt.comment.value_or("");
  BoundStatement result;
  result.properties.command = CommandKind::kComment;
  result.properties.read_only = false;
  result.plan = std::move(command);
  return result;
}

}  // namespace tessera::planner
