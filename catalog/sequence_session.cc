#include "catalog/sequence_session.h"

#include <cctype>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "src/common/sql_error.h"

namespace tessera::catalog {

void SequenceSession::record_next(Oid sequence, const std::string& name, int64_t value) {
  std::lock_guard lock(mutex_);
  values_[sequence] = value;
  last_used_ = std::make_pair(name, sequence);
}

void SequenceSession::record_set(Oid sequence, int64_t value) {
  std::lock_guard lock(mutex_);
  values_[sequence] = value;
}

std::optional<int64_t> SequenceSession::current(Oid sequence) const {
  std::lock_guard lock(mutex_);
  auto it = values_.find(sequence);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::pair<std::string, Oid>> SequenceSession::last_used() const {
  std::lock_guard lock(mutex_);
  return last_used_;
}

namespace {
thread_local const SequenceContext* tls_sequence_context = nullptr;

/// Splits a regclass text into its dot-separated names: quoted parts kept as written
/// ("" inside quotes is a quote), unquoted ones lower-cased. Throws 42602 when malformed.
std::vector<std::string> split_qualified_name(std::string_view text) {
  std::vector<std::string> parts;
  size_t i = 0;
  auto invalid = [&] {
    throw SqlError(SqlState::kInvalidName, "invalid name syntax");
  };
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) i++;
  for (;;) {
    std::string part;
    if (i < text.size() && text[i] == '"') {
      i++;
      for (;;) {
        if (i >= text.size()) invalid();
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i++];
      }
      if (part.empty()) invalid();
    } else {
      while (i < text.size() && text[i] != '.' && !std::isspace(static_cast<unsigned char>(text[i]))) {
        part += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
      }
      if (part.empty()) invalid();
    }
    parts.push_back(std::move(part));
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) i++;
    if (i == text.size()) break;
    if (text[i] != '.') invalid();
    i++;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) i++;
  }
  return parts;
}

}  // namespace

const SequenceContext* current_sequence_context() { return tls_sequence_context; }

ScopedSequenceContext::ScopedSequenceContext(const SequenceContext* context) : previous_(tls_sequence_context) {
  if (context && context->session) tls_sequence_context = context;
}

ScopedSequenceContext::~ScopedSequenceContext() { tls_sequence_context = previous_; }

std::shared_ptr<SequenceEntry> find_sequence(const SequenceContext& context, std::string_view text) {
  std::vector<std::string> parts = split_qualified_name(text);
  if (parts.size() > 3) {
    throw SqlError(SqlState::kSyntaxError, "improper relation name (too many dotted names): " + std::string(text));
  }
  // database.schema.name: only this database exists (PostgreSQL's own 0A000 for any other).
  if (parts.size() == 3 && parts[0] != kDatabaseName) {
    throw SqlError(SqlState::kFeatureNotSupported, "cross-database references are not implemented: \"" + std::string(text) + "\"");
  }
  if (parts.size() >= 2 && !context.catalog->find_schema(*context.transaction, parts[parts.size() - 2])) {
    throw SqlError(SqlState::kInvalidSchemaName, "schema \"" + parts[parts.size() - 2] + "\" does not exist");
  }
  const std::string& name = parts.back();
  // Sequences live in public. An unqualified name finds them there whatever the search path
  // is (a serial column's DEFAULT names its sequence without a schema).
  const bool in_public = parts.size() < 2 || parts[parts.size() - 2] == kPublicSchema;
  auto entry = in_public ? context.catalog->find(*context.transaction, name) : nullptr;
  if (!entry) {
    throw SqlError(SqlState::kUndefinedTable,
                   "relation \"" + (parts.size() >= 2 ? parts[parts.size() - 2] + "." + name : name) +
                       "\" does not exist");
  }
  if (entry->kind() != EntryKind::kSequence) {
    throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not a sequence");
  }
  return std::static_pointer_cast<SequenceEntry>(entry);
}

}  // namespace tessera::catalog
