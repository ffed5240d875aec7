#include "storage/store_edits.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <limits>

#include "storage/data_generation.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/rollups.hpp"

namespace {

// The key of a store id, or nullopt when the database has no such store.
std::optional<std::int64_t> store_key(Database& db, const std::string& store_id) {
  SQLite::Statement find(db.sql(), sql::query("store_key"));
  find.bind(1, store_id);
  if (!find.executeStep()) return std::nullopt;
  return find.getColumn(0).getInt64();
}

}  // namespace

std::optional<std::size_t> delete_special_dates(Database& db, const std::string& store_id,
                                                date::local_days first, date::local_days last) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  const auto store = store_key(db, store_id);
  if (!store) return std::nullopt;
  SQLite::Statement remove(db.sql(), sql::query("delete_special_dates"));
  remove.bind(1, *store);
  remove.bind(2, static_cast<std::int64_t>(first.time_since_epoch().count()));
  remove.bind(3, static_cast<std::int64_t>(last.time_since_epoch().count()));
  const int deleted = remove.exec();
  mark_out_of_date(db.sql(), {*store});
  record_change(db.sql(), 0);
  transaction.commit();
  return static_cast<std::size_t>(deleted);
}

std::optional<std::size_t> delete_store_polls(Database& db, const std::string& store_id,
                                              std::optional<Instant> from,
                                              std::optional<Instant> to) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  const auto store = store_key(db, store_id);
  if (!store) return std::nullopt;
  SQLite::Statement remove(db.sql(), sql::query("delete_store_polls"));
  remove.bind(1, *store);
  remove.bind(2, from ? to_micros(*from) : std::numeric_limits<std::int64_t>::min());
  remove.bind(3, to ? to_micros(*to) : std::numeric_limits<std::int64_t>::max());
  const int deleted = remove.exec();
  SQLite::Statement refresh(db.sql(), sql::query("refresh_store_polls"));
  refresh.bind(1, *store);
  refresh.bind(2, from ? to_micros(*from) : std::numeric_limits<std::int64_t>::min());
  refresh.exec();
  record_change(db.sql(), -static_cast<std::int64_t>(deleted));
  transaction.commit();
  return static_cast<std::size_t>(deleted);
}
