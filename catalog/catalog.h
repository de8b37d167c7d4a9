#pragma once

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "catalog/catalog_entry.h"
#include "storage/lock_manager.h"

namespace tessera::storage { class Transaction; }

namespace tessera::catalog {

/// The only database a server serves (current_database(); the first part of a three-part name).
inline constexpr char kDatabaseName[] = "tessera";

/// The schemas every database starts with: relations live in `public`; `pg_catalog` and
/// `information_schema` hold nothing a user may create.
inline constexpr char kPublicSchema[] = "public";
inline constexpr char kCatalogSchema[] = "pg_catalog";
inline constexpr char kInformationSchema[] = "information_schema";
/// The only role (the session user of every session; the owner of the built-in schemas).
inline constexpr char kBootstrapRole[] = "tessera";

/// A table's definition as ALTER TABLE leaves it (Catalog::alter_table).
struct AlteredTable {
  std::string name;
  /// SET SCHEMA: the schema it moves to, with its indexes (empty: it stays).
  std::string schema;
  std::vector<ColumnDefinition> columns;
  /// For each column, the column of the old version it continues (renamed, retyped or
  /// unchanged), or nullopt for a new column.
  std::vector<std::optional<size_t>> sources;
  std::vector<CheckConstraint> checks;
  std::vector<ForeignKey> foreign_keys;
  /// Every index of the new version (column positions in `columns`).
  std::vector<IndexDefinition> indexes;
  /// For each index, the name of the old version's index it continues (its FOREIGN KEY
  /// references follow it), or empty for a new index.
  std::vector<std::string> index_sources;
  /// Sequences of new serial or identity columns, created owned by the table.
  std::vector<SequenceDefinition> sequences;
  /// FOREIGN KEYs of other tables referencing this one that go with it (CASCADE), as
  /// (table, constraint) names.
  std::set<std::pair<std::string, std::string>> dropped_referencing;
};

/// The schemas of the database and their relations, versioned like rows: each relation's key
/// (its schema's OID and its name) maps to its versions (CatalogEntry), each stamped with the transaction that created and the one that
/// dropped it. Changes are recorded in the writing transaction's undo log, so they become
/// visible to others atomically with its data at COMMIT and vanish at ROLLBACK.
///
/// Reads (find, get, entries) see exactly the transaction's snapshot plus its own changes and
/// never wait. DDL takes the name's exclusive lock (held to the end of the transaction, so a
/// second transaction's DDL on the name waits), then checks against the latest committed state
/// plus its own changes, as PostgreSQL does: 42P07 after another transaction committed a
/// CREATE, 42P01 after it committed a DROP.
///
/// Thread-safety: thread-safe; the version lists are guarded by a shared mutex, never held
/// while waiting for a lock.
class Catalog {
 public:
  Catalog();
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  /// The relation called `name` in schema `schema` (by OID) visible to `txn`, or nullptr.
  std::shared_ptr<CatalogEntry> find(const storage::Transaction& txn, Oid schema, const std::string& name) const;
  /// The relation called `name` in schema public visible to `txn`, or nullptr.
  std::shared_ptr<CatalogEntry> find(const storage::Transaction& txn, const std::string& name) const;
  /// The relation called `name` (in public); throws 42P01 `relation "name" does not exist`.
  std::shared_ptr<CatalogEntry> get(const storage::Transaction& txn, const std::string& name) const;
  /// The table called `name` in schema `schema`; throws 42P01, or 42809 when it is not a table.
  std::shared_ptr<TableEntry> get_table(const storage::Transaction& txn, Oid schema, const std::string& name) const;
  /// The same in schema public.
  std::shared_ptr<TableEntry> get_table(const storage::Transaction& txn, const std::string& name) const;
  /// Every relation visible to `txn`, ordered by name.
  std::vector<std::shared_ptr<CatalogEntry>> entries(const storage::Transaction& txn) const;

  /// Creates a table in schema `schema` (by name; its lock taken shared, 3F000 when it is gone)
  /// in `txn`;
  /// throws 42P07 when the name is taken there (unless if_not_exists, then returns nullptr),
  /// 42701 for a duplicate column name. May wait for the name's lock. `indexes`: the table's
  /// PRIMARY KEY and UNIQUE constraints, created with it as index relations in its schema
  /// (42P07 when a name is taken, 42P16 for a second primary key). FOREIGN KEYs reference
  /// tables of the same schema.
  std::shared_ptr<TableEntry> create_table(storage::Transaction& txn, const std::string& name,
                                           std::vector<ColumnDefinition> columns, bool if_not_exists,
                                           std::vector<IndexDefinition> indexes = {},
                                           std::vector<CheckConstraint> checks = {},
                                           std::vector<ForeignKey> foreign_keys = {},
                                           const std::string& schema = kPublicSchema);
  /// The tables current for `txn` with a FOREIGN KEY referencing `table`, with the index of
  /// that constraint in their foreign_keys() (a table once per constraint).
  std::vector<std::pair<std::shared_ptr<TableEntry>, size_t>> referencing_tables(const storage::Transaction& txn,
                                                                                 const CatalogEntry& table) const;
  /// Creates index `definition` on `table` (a table current for `txn`, which this locks
  /// exclusively: no other transaction writes it until `txn` ends). The new index is empty and
  /// not yet in the table's storage: the caller fills it (DataTable::build_index_entries) and
  /// adds it (DataTable::add_index); a rollback removes it from the storage again. 42P07 when
  /// the name is taken in the table's schema (with if_not_exists: a NOTICE's worth, nullptr
  /// returned). The index lives in its table's schema.
  std::shared_ptr<IndexEntry> create_index(storage::Transaction& txn, const TableEntry& table,
                                           IndexDefinition definition, bool if_not_exists);
  /// The indexes of table `table` current for `txn`, oldest first.
  std::vector<std::shared_ptr<IndexEntry>> table_indexes(const storage::Transaction& txn, const CatalogEntry& table) const;
  /// ALTER TABLE: replaces `table` (current for `txn`, which the caller locked exclusively) by a
  /// new version made of `altered`, with the same OID and new, empty storage holding new,
  /// empty indexes (`altered.indexes`, whose entries replace the old ones). The caller copies
  /// the rows and fills the indexes. Owned sequences follow renamed columns and the table's
  /// new name, and go with dropped columns; FOREIGN KEYs of other tables referencing it
  /// follow its new name, column positions and index names (those tables get new versions
  /// sharing their storage), or go when `dropped_referencing` names them. 42P07 when the new
  /// name or a new index's name is taken (in `altered.schema` when it moves; 3F000 when that
  /// schema is gone). May wait for locks.
  std::shared_ptr<TableEntry> alter_table(storage::Transaction& txn, const TableEntry& table, AlteredTable altered);
  /// COMMENT ON: replaces `entry` (current for `txn`; locked exclusively here) by a new version
  /// carrying `comment` (empty: none) on the relation, or with `column`, on that column. A
  /// table's new version shares its storage. May wait for the lock.
  void set_comment(storage::Transaction& txn, const CatalogEntry& entry, std::optional<size_t> column,
                   std::string comment);
  /// ALTER SEQUENCE: replaces `sequence` (current for `txn`; locked exclusively here) by a new
  /// version with `options` and owner (`owner_table`/`owner_column`, empty for none); the
  /// counter is shared (nextval stays non-transactional), and with `restart` set it restarts at
  /// `*restart` at once. May wait for the lock.
  void alter_sequence(storage::Transaction& txn, const SequenceEntry& sequence, SequenceOptions options,
                      std::string owner_table, std::string owner_column, std::optional<int64_t> restart);
  /// Creates (or with or_replace, replaces: a new version keeping the OID) a view reading the
  /// relations in `dependencies`, which are locked in shared mode so that they cannot be
  /// dropped before `txn` ends; 42P01 if one was dropped meanwhile. May wait for locks.
  std::shared_ptr<ViewEntry> create_view(storage::Transaction& txn, const std::string& name,
                                         std::vector<ColumnDefinition> columns, std::string query_text,
                                         std::vector<std::string> dependencies, bool or_replace);
  /// Creates a sequence in `txn`; throws 42P07 when the name is taken (unless if_not_exists,
  /// then returns nullptr). `owner_table`/`owner_column`: the column owning it (may be empty).
  std::shared_ptr<SequenceEntry> create_sequence(storage::Transaction& txn, const std::string& name,
                                                 SequenceOptions options, bool if_not_exists,
                                                 std::string owner_table = {}, std::string owner_column = {});
  /// Drops a relation of `kind` in schema `schema` in `txn` (its messages name relations as
  /// relation_display_name does for `search_path`); throws 42P01 when missing (unless if_exists: returns
  /// nothing) and 42809 when the name is a relation of another kind. Views that read it
  /// (directly or through other views) make it fail with 2BP01, unless `cascade`, which drops
  /// them too (taking their locks). Dependent views named in `dropping` (the rest of the same
  /// DROP statement) do not need CASCADE. Returns every dropped entry, the named one last.
  /// May wait for locks.
  std::vector<std::shared_ptr<CatalogEntry>> drop(storage::Transaction& txn, const std::string& name, EntryKind kind,
                                                  bool if_exists, bool cascade,
                                                  const std::set<std::string>& dropping = {},
                                                  Oid schema = kPublicSchemaOid,
                                                  const std::vector<std::string>* search_path = nullptr);
  /// Locks `entry`'s name in `mode` for `txn` (e.g. shared before inserting into the table),
  /// waiting for a transaction that is dropping it; then throws 42P01 if the entry is no
  /// longer current (its drop committed).
  void lock_relation(storage::Transaction& txn, const CatalogEntry& entry, storage::LockMode mode);

  /// How PostgreSQL names relation `name` of schema `schema` in messages for a session whose
  /// search path lists `path` (search_path_schemas with the implicit schemas): the bare name
  /// when it finds that relation through the path (RelationIsVisible), else "schema.name";
  /// the bare name when `path` is null.
  std::string relation_display_name(const storage::Transaction& txn, const std::vector<std::string>* path, Oid schema,
                                    const std::string& name) const;

  /// The next OID the catalog would hand out.
  Oid next_oid() const;
  /// Recovery, on a catalog no transaction has used yet: replaces every schema and every
  /// relation by `schemas` (which must include pg_catalog and information_schema as the
  /// constructor made them: pass them through) and `entries`, each made visible to every
  /// transaction (stamped created at start), and raises the OID counter to at least
  /// `next_oid` (and above every installed OID). XX001 for inconsistent input (two versions of
  /// one OID or name, a relation in a schema not given).
  void install_recovered(std::vector<std::shared_ptr<SchemaEntry>> schemas,
                         std::vector<std::shared_ptr<CatalogEntry>> entries, Oid next_oid);
  /// A sequence's counter as the WAL logs it.
  struct SequenceState {
    Oid oid;
    int64_t last_value;
    bool is_called;
  };
  /// The sequences whose counter changed (nextval, setval, ALTER SEQUENCE ... RESTART) since the
  /// previous call, with their current counter (read now), each once. Thread-safe. (nextval is
  /// not transactional: the WAL hook logs these with every commit.) A sequence whose creation
  /// is not committed (or rolled back) may be among them.
  std::vector<SequenceState> take_changed_sequences();
  /// Whether a sequence's counter changed since the last take_changed_sequences. Thread-safe.
  bool has_changed_sequences() const;

  /// Versions held for `name` (in public), visible to anyone or not yet collected (tests,
  /// monitoring).
  size_t version_count(const std::string& name) const;

  // Schemas. They are versioned like relations; DDL on a schema takes its name's exclusive
  // lock (a lock name of its own, apart from relation names), creating a relation in one takes
  // it shared, so a schema cannot be dropped under a transaction creating in it.

  /// The schema called `name` visible to `txn`, or nullptr.
  std::shared_ptr<SchemaEntry> find_schema(const storage::Transaction& txn, const std::string& name) const;
  /// The schema with OID `oid` visible to `txn`, or nullptr.
  std::shared_ptr<SchemaEntry> find_schema(const storage::Transaction& txn, Oid oid) const;
  /// Every schema visible to `txn`, ordered by name.
  std::vector<std::shared_ptr<SchemaEntry>> schemas(const storage::Transaction& txn) const;
  /// CREATE SCHEMA: 42P06 when the name is taken (with if_not_exists: returns nullptr instead).
  /// May wait for the name's lock.
  std::shared_ptr<SchemaEntry> create_schema(storage::Transaction& txn, const std::string& name, std::string owner,
                                             bool if_not_exists);
  /// DROP SCHEMA: 3F000 when missing (with if_exists: returns false), 2BP01 for pg_catalog and,
  /// without `cascade`, when relations live in it (PostgreSQL's DETAIL lists them, named by
  /// `describe`). With `cascade` its relations go with it (`dropped` receives the tables, views
  /// and sequences without an owner, oldest first; indexes and owned sequences go silently).
  /// May wait for locks.
  bool drop_schema(storage::Transaction& txn, const std::string& name, bool if_exists, bool cascade,
                   const std::function<std::string(const CatalogEntry&)>& describe,
                   std::vector<std::shared_ptr<CatalogEntry>>& dropped);
  /// ALTER SCHEMA ... RENAME TO: 3F000 when `name` is missing, 42P06 when `new_name` is taken.
  /// May wait for locks.
  void rename_schema(storage::Transaction& txn, const std::string& name, const std::string& new_name);
  /// COMMENT ON SCHEMA (empty: none): 3F000 when missing. May wait for the lock.
  void set_schema_comment(storage::Transaction& txn, const std::string& name, std::string comment);
  /// Locks schema `name` shared for `txn` before creating a relation in it (waiting for a
  /// transaction dropping or renaming it); throws 3F000 when it does not exist then. Returns
  /// its OID.
  Oid lock_schema_for_create(storage::Transaction& txn, const std::string& name);
  /// The relations of schema `name` current for `txn`, oldest first.
  std::vector<std::shared_ptr<CatalogEntry>> schema_relations(const storage::Transaction& txn,
                                                              const std::string& name) const;

 private:
  friend class CatalogEntry;
  friend class SequenceEntry;

  using Versions = std::vector<std::shared_ptr<CatalogEntry>>;
  /// A relation's key: its schema's OID and its name.
  using RelationKey = std::pair<Oid, std::string>;

  Oid allocate_oid();
  /// The version of `name` in `schema` current for `txn` (latest committed plus own changes);
  /// mutex held.
  std::shared_ptr<CatalogEntry> current_locked(const storage::Transaction& txn, Oid schema,
                                               const std::string& name) const;
  /// Views current for `txn` reading `name` (of `schema`) directly or through other views, in the order
  /// they must be dropped (dependents of dependents later); mutex held. Appends PostgreSQL's
  /// "view v depends on ..." lines to `detail`.
  std::vector<std::string> dependents_locked(const storage::Transaction& txn, Oid schema, const std::string& name,
                                             const char* kind_text, std::string& detail) const;
  /// DROP INDEX (the name already locked).
  std::vector<std::shared_ptr<CatalogEntry>> drop_index(storage::Transaction& txn, Oid schema, const std::string& name,
                                                        bool if_exists, const std::vector<std::string>* search_path);
  /// relation_display_name with the mutex held.
  std::string relation_display_name_locked(const storage::Transaction& txn, const std::vector<std::string>* path,
                                           Oid schema, const std::string& name) const;
  /// Creates an index entry of `table` (in `schema`) in `txn` (its name already locked); mutex
  /// held.
  std::shared_ptr<IndexEntry> add_index_locked(storage::Transaction& txn, Oid schema, const std::string& table,
                                               IndexDefinition definition, const std::vector<ColumnDefinition>& columns);
  /// The indexes of table `table` of `schema` current for `txn`; mutex held.
  std::vector<std::shared_ptr<IndexEntry>> table_indexes_locked(const storage::Transaction& txn, Oid schema,
                                                                const std::string& table) const;
  /// referencing_tables with the mutex held (the table `name` of `schema`).
  std::vector<std::pair<std::shared_ptr<TableEntry>, size_t>> referencing_tables_locked(const storage::Transaction& txn,
                                                                                        Oid schema,
                                                                                        const std::string& name) const;
  /// Sequences current for `txn` owned by a column of `table` (of `schema`); mutex held.
  std::vector<std::shared_ptr<CatalogEntry>> owned_sequences_locked(const storage::Transaction& txn, Oid schema,
                                                                    const std::string& table) const;
  /// Publishes `entry` as a version of its key (schema `schema`); mutex held.
  void publish_locked(const std::shared_ptr<CatalogEntry>& entry, Oid schema);
  /// Removes a version no transaction can see any more (CatalogEntry::on_unreachable).
  void unlink(const CatalogEntry& entry) noexcept;
  friend class SchemaEntry;
  /// The same for a schema version (SchemaEntry::on_unreachable).
  void unlink_schema(const SchemaEntry& entry) noexcept;
  /// The version of schema `name` current for `txn`; mutex held.
  std::shared_ptr<SchemaEntry> current_schema_locked(const storage::Transaction& txn, const std::string& name) const;
  /// Publishes a new schema version created (or replacing `previous`) in `txn`; mutex held.
  void add_schema_locked(storage::Transaction& txn, std::shared_ptr<SchemaEntry> entry,
                         const std::shared_ptr<SchemaEntry>& previous);

  mutable std::shared_mutex mutex_;
  std::map<RelationKey, Versions> entries_;  ///< oldest version first
  std::map<std::string, std::vector<std::shared_ptr<SchemaEntry>>> schemas_;  ///< oldest version first
  Oid next_oid_ = 16384;                     // PostgreSQL's FirstNormalObjectId

  /// Notes that a sequence's counter changed (SequenceEntry::note_change).
  void note_sequence_change(Oid oid, std::shared_ptr<SequenceEntry::Counter> counter);
  mutable std::mutex changed_sequences_mutex_;
  /// Counters changed since the last take_changed_sequences; guarded by changed_sequences_mutex_.
  std::vector<std::pair<Oid, std::shared_ptr<SequenceEntry::Counter>>> changed_sequences_;
};

}  // namespace tessera::catalog
