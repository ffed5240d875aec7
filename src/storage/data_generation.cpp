#include "storage/data_generation.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/embedded_sql.hpp"

void record_change(SQLite::Database& db, std::int64_t polls_added) {
  SQLite::Statement record(db, sql::query("record_change"));
  record.bind(1, polls_added);
  record.exec();
}
