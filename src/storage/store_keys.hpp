// Store ids to the integer keys the database uses, during one import: known
// ids from the stores table, new ones numbered on first sight and handed to
// the writer to insert. Looked up once per row, so kept in a flat table.
// Known ids are first looked up one by one (an index seek each), so a small
// ingest costs its own rows whatever the fleet: reading every store for it
// took seconds and 176 MB at a million stores. Past a share of the fleet,
// every known store is read at once, which is then the cheaper way. Lookups
// go through a read connection of their own: the import's connection is
// also used by its writer thread, and its transaction holds the write lock,
// so that connection's snapshot is the committed state it began from.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

class StoreKeys {
 public:
  struct NewStore {
    std::int64_t key;
    std::string store_id;
  };

  // The caller's transaction must hold the write lock until the new stores
  // are written, so that their keys stay free.
  explicit StoreKeys(SQLite::Database& db);

  // The key of a valid store id (1-64 bytes), numbering it if it is new.
  std::int64_t key_of(std::string_view store_id);

  // Starts fetching the id's slot from memory for a key_of soon after: at a
  // million stores each lookup misses the caches, and lookups fetched a few
  // dozen at a time wait for memory together instead of one by one.
  void prefetch(std::string_view store_id) const;

  // The stores numbered since the last call, for the writer to insert.
  std::vector<NewStore> take_pending();

  // Keys from this one on belong to stores this import added.
  std::int64_t first_new_key() const { return first_new_key_; }

  // The read-only connection the lookups go through, opened at first use:
  // the database as it was before the import. The poll writer reads each
  // store's newest poll through it too (one connection an ingest, not two).
  // The caller's thread only.
  SQLite::Database& lookups();

 private:
  static constexpr std::size_t kMaxIdBytes = 64;
  // Open addressing with linear probing; key 0 marks an empty slot. Each slot
  // holds its id, so a lookup touches one cache line or two, not a node chain.
  struct Slot {
    std::uint64_t hash = 0;
    std::int64_t key = 0;
    std::uint8_t length = 0;
    char id[kMaxIdBytes];
  };

  Slot& find_slot(std::string_view store_id, std::uint64_t hash);
  void add(std::string_view store_id, std::uint64_t hash, std::int64_t key);
  // The key the stores table has for the id (0: none), looked up alone
  // until that has been done for a share of the fleet, then read with all.
  std::int64_t known_key(std::string_view store_id);
  void read_all_known();

  std::string path_;                         // the database's file
  std::optional<SQLite::Database> lookups_;  // opened by lookups()
  std::optional<SQLite::Statement> find_;
  std::size_t seeks_left_;  // lookups alone before all are read
  bool all_read_ = false;

  std::vector<Slot> slots_;  // size: a power of two, at most half full
  std::size_t used_ = 0;
  std::int64_t next_key_ = 1;
  std::int64_t first_new_key_ = 1;
  std::vector<NewStore> pending_;
};

// Inserts new stores with `insert` (sql query insert_store: ?1 key, ?2 store id).
void insert_stores(SQLite::Statement& insert, const std::vector<StoreKeys::NewStore>& stores);
