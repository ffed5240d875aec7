#include "storage/postgresql/pg_store_edits.hpp"

#include <limits>

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_import.hpp"
#include "storage/postgresql/pg_schema.hpp"

PgStoreEdits::PgStoreEdits(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

std::optional<std::string> PgStoreEdits::begin_edit(const std::string& store_id) {
  const PgResult found = db_.exec(sql::pg_query("store_key"), {store_id});
  if (found.rows() == 0) return std::nullopt;
  db_.exec(sql::pg_query("lock_imports"));  // changes are noted in commit order
  pg_note_store_changes(db_, {found.int64(0, 0)});
  return std::string(found.text(0, 0));
}

std::optional<std::size_t> PgStoreEdits::delete_special_dates(const std::string& store_id,
                                                              date::local_days first,
                                                              date::local_days last) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  const auto store = begin_edit(store_id);
  if (!store) return std::nullopt;
  const PgResult deleted = db_.exec(sql::pg_query("delete_special_dates"),
                                    {*store, std::to_string(first.time_since_epoch().count()),
                                     std::to_string(last.time_since_epoch().count())});
  pg_mark_out_of_date(db_, {std::stoll(*store)});
  transaction.commit();
  return static_cast<std::size_t>(deleted.affected_rows());
}

std::optional<std::size_t> PgStoreEdits::delete_polls(const std::string& store_id,
                                                      std::optional<Instant> from,
                                                      std::optional<Instant> to) {
  std::lock_guard<std::mutex> lock(mutex_);
  PgTransaction transaction(db_);
  const auto store = begin_edit(store_id);
  if (!store) return std::nullopt;
  const std::string from_us =
      std::to_string(from ? to_micros(*from) : std::numeric_limits<std::int64_t>::min());
  const PgResult deleted =
      db_.exec(sql::pg_query("delete_store_polls"),
               {*store, from_us,
                std::to_string(to ? to_micros(*to) : std::numeric_limits<std::int64_t>::max())});
  db_.exec(sql::pg_query("count_polls_deleted"), {std::to_string(deleted.affected_rows())});
  db_.exec(sql::pg_query("refresh_store_polls"), {*store, from_us});
  transaction.commit();
  return static_cast<std::size_t>(deleted.affected_rows());
}
