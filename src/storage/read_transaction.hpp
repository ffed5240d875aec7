// A read transaction as an object: its snapshot is fixed by the first read
// inside it and held until the object dies. Ending it never throws (a
// read-only transaction has nothing to lose), so it is safe in destructors
// and on every path out of a function.
#pragma once

#include <SQLiteCpp/Database.h>

class ReadTransaction {
 public:
  explicit ReadTransaction(SQLite::Database& db) : db_(db) { db_.exec("BEGIN"); }
  ~ReadTransaction() {
    try {
      db_.exec("ROLLBACK");
    } catch (const std::exception&) {
      // The connection is closing or the transaction is already gone: either way it is over.
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  SQLite::Database& db_;
};
