// Store ids to the integer keys the database uses, during one import: known
// ids from the stores table, new ones numbered on first sight and handed to
// the writer to insert. Looked up once per row, so kept in a flat table.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

class StoreKeys {
 public:
  struct NewStore {
    std::int64_t key;
    std::string store_id;
  };

  // Reads every known store. The caller's transaction must hold the write
  // lock until the new stores are written, so that their keys stay free.
  explicit StoreKeys(SQLite::Database& db);

  // The key of a valid store id (1-64 bytes), numbering it if it is new.
  std::int64_t key_of(std::string_view store_id);

  // The stores numbered since the last call, for the writer to insert.
  std::vector<NewStore> take_pending();

  // Keys from this one on belong to stores this import added.
  std::int64_t first_new_key() const { return first_new_key_; }

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

  std::vector<Slot> slots_;  // size: a power of two, at most half full
  std::size_t used_ = 0;
  std::int64_t next_key_ = 1;
  std::int64_t first_new_key_ = 1;
  std::vector<NewStore> pending_;
};

// Inserts new stores with `insert` (sql query insert_store: ?1 key, ?2 store id).
void insert_stores(SQLite::Statement& insert, const std::vector<StoreKeys::NewStore>& stores);
