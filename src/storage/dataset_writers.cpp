#include "storage/dataset_writers.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "storage/embedded_sql.hpp"

namespace {

// The first store key from which on no store has rows in the table that
// `query` (first_store_without_hours and the like) asks about, nor was there
// before this import (`first_new_store`).
std::int64_t first_store_without_rows(SQLite::Database& db, const char* query,
                                      std::int64_t first_new_store) {
  return std::min(first_new_store, db.execAndGet(sql::query(query)).getInt64());
}

}  // namespace

HoursWriter::HoursWriter(SQLite::Database& db, std::int64_t first_new_store)
    : first_new_store_(first_store_without_rows(db, "first_store_without_hours", first_new_store)),
      remove_(db, sql::query("delete_store_hours")),
      insert_one_(db, sql::repeated_rows("insert_hours", "hours_values", 1)),
      insert_many_(db, sql::repeated_rows("insert_hours", "hours_values", kRowsPerInsert)) {}

void HoursWriter::add(std::int64_t store, const HoursRecord& row) {
  if (store > std::numeric_limits<std::uint32_t>::max()) {
    throw std::runtime_error("store key " + std::to_string(store) + " is past 2^32 (HoursWriter)");
  }
  pending_.push_back({static_cast<std::uint32_t>(store), row.day,
                      static_cast<std::int32_t>(row.start.count()),
                      static_cast<std::int32_t>(row.end.count())});
  if (pending_.size() >= kBufferRows) flush();
}

void HoursWriter::flush() {
  std::sort(pending_.begin(), pending_.end(),
            [](const Row& a, const Row& b) { return a.store < b.store; });
  for (const Row& row : pending_) {
    if (row.store < first_new_store_ && replaced_.insert(row.store).second) {
      remove_.bind(1, row.store);
      remove_.exec();
      remove_.reset();
    }
  }
  std::size_t done = 0;
  for (; pending_.size() - done >= kRowsPerInsert; done += kRowsPerInsert) {
    insert(insert_many_, &pending_[done], kRowsPerInsert);
  }
  for (; done < pending_.size(); ++done) insert(insert_one_, &pending_[done], 1);
  pending_.clear();
}

void HoursWriter::insert(SQLite::Statement& statement, const Row* rows, std::size_t count) {
  int index = 1;
  for (const Row* row = rows; row != rows + count; ++row) {
    statement.bind(index++, static_cast<std::int64_t>(row->store));
    statement.bind(index++, row->day);
    statement.bind(index++, row->start_s);
    statement.bind(index++, row->end_s);
  }
  statement.exec();
  statement.reset();
}

SpecialHoursWriter::SpecialHoursWriter(SQLite::Database& db, std::int64_t first_new_store)
    : first_new_store_(
          first_store_without_rows(db, "first_store_without_special_hours", first_new_store)),
      remove_(db, sql::query("delete_special_date")),
      insert_(db, sql::query("insert_special_hours")) {}

void SpecialHoursWriter::add(std::int64_t store, const SpecialHoursRecord& row) {
  pending_.push_back(
      {store, row.date.time_since_epoch().count(), row.closed, row.start.count(), row.end.count()});
}

void SpecialHoursWriter::flush() {
  std::stable_sort(pending_.begin(), pending_.end(), [](const Row& a, const Row& b) {
    return a.store != b.store ? a.store < b.store : a.day < b.day;
  });
  for (const Row& row : pending_) {
    if (row.store < first_new_store_ && replaced_.insert({row.store, row.day}).second) {
      remove_.bind(1, row.store);
      remove_.bind(2, row.day);
      remove_.exec();
      remove_.reset();
    }
    insert_.bind(1, row.store);
    insert_.bind(2, row.day);
    if (row.closed) {
      insert_.bind(3);
      insert_.bind(4);
    } else {
      insert_.bind(3, row.start_s);
      insert_.bind(4, row.end_s);
    }
    insert_.exec();
    insert_.reset();
  }
  pending_.clear();
}

ZoneWriter::ZoneWriter(SQLite::Database& db) : update_(db, sql::query("set_store_zone")) {}

void ZoneWriter::add(std::int64_t store, const ZoneRecord& row) {
  update_.bind(1, store);
  update_.bind(2, row.zone);
  update_.exec();
  update_.reset();
}

NameWriter::NameWriter(SQLite::Database& db) : update_(db, sql::query("set_store_name")) {}

void NameWriter::add(std::int64_t store, const NameRecord& row) {
  update_.bind(1, store);
  if (row.name.empty()) {
    update_.bind(2);  // NULL: no name
  } else {
    update_.bind(2, row.name);
  }
  update_.exec();
  update_.reset();
}

TagWriter::TagWriter(SQLite::Database& db)
    : remove_(db, sql::query("delete_store_tags")), insert_(db, sql::query("insert_store_tag")) {}

void TagWriter::add(std::int64_t store, const TagRecord& row) {
  if (replaced_.insert(store).second) {
    remove_.bind(1, store);
    remove_.exec();
    remove_.reset();
  }
  insert_.bind(1, store);
  insert_.bind(2, row.tag);
  insert_.exec();
  insert_.reset();
}
