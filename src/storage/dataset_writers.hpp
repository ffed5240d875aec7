// Writing the rows of the small data sets of one import (hours, special
// hours, zones, tags) inside the import's transaction, with the replace rules
// of rules §1 and §6. Polls, the bulk, have their own writer (poll_writer).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <set>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/records.hpp"

// A store's hours rows in this input replace all it had before (rules §1);
// stores this import added had none, nor have those after the last one with
// rows. Rows are buffered and written sorted by store, many to a statement,
// so the table takes them in key order.
class HoursWriter {
 public:
  // Stores whose key is `first_new_store` or more were added by this import.
  HoursWriter(SQLite::Database& db, std::int64_t first_new_store);

  void add(std::int64_t store, const HoursRecord& row);
  // Writes what is buffered; call before the transaction commits.
  void flush();

 private:
  // A million stores' week of rows (6.8 million, 16 bytes each) sorted at
  // once: written in 2^16 at a time, each buffer's rows landed all over the
  // table, and the hours of a million stores took 18 s instead of 9.
  static constexpr std::size_t kBufferRows = 1 << 23;
  static constexpr std::size_t kRowsPerInsert = 100;
  struct Row {
    std::uint32_t store;  // store keys fit (PollWriter's PendingPoll counts on it too)
    std::int32_t day;
    std::int32_t start_s;
    std::int32_t end_s;
  };

  static void insert(SQLite::Statement& statement, const Row* rows, std::size_t count);

  std::int64_t first_new_store_;
  SQLite::Statement remove_;
  SQLite::Statement insert_one_;
  SQLite::Statement insert_many_;
  std::vector<Row> pending_;
  std::unordered_set<std::int64_t> replaced_;  // stores whose old rows are gone
};

// The rows of a (store, local date) in this input replace that date's rows
// from before (rules §6); the store's other dates stay. Written sorted by
// (store, date), like hours.
class SpecialHoursWriter {
 public:
  // Stores whose key is `first_new_store` or more were added by this import.
  SpecialHoursWriter(SQLite::Database& db, std::int64_t first_new_store);

  void add(std::int64_t store, const SpecialHoursRecord& row);
  // Writes what is buffered; call before the transaction commits.
  void flush();

 private:
  struct Row {
    std::int64_t store;
    std::int64_t day;  // local date, days since 1970-01-01
    bool closed;
    std::int64_t start_s;
    std::int64_t end_s;
  };

  std::int64_t first_new_store_;
  SQLite::Statement remove_;
  SQLite::Statement insert_;
  std::vector<Row> pending_;  // a few rows per store and date: held whole
  std::set<std::pair<std::int64_t, std::int64_t>>
      replaced_;  // (store, day) whose old rows are gone
};

// A zone row sets the store's zone; the last row of a store wins.
class ZoneWriter {
 public:
  explicit ZoneWriter(SQLite::Database& db);

  void add(std::int64_t store, const ZoneRecord& row);

 private:
  SQLite::Statement update_;
};

// A store's name; the last row of a store wins.
class NameWriter {
 public:
  explicit NameWriter(SQLite::Database& db);

  void add(std::int64_t store, const NameRecord& row);

 private:
  SQLite::Statement update_;
};

// A store's tags in this input replace all it had before, like its hours.
class TagWriter {
 public:
  explicit TagWriter(SQLite::Database& db);

  void add(std::int64_t store, const TagRecord& row);

 private:
  SQLite::Statement remove_;
  SQLite::Statement insert_;
  std::unordered_set<std::int64_t> replaced_;
};
