// Deleting part of one store's data through the API (rules §1, §6): its
// special dates, or its polls in a range. Each in one transaction. The API
// goes through `StoreEdits`; SQLite (SqliteStoreEdits, below) and PostgreSQL
// (PgStoreEdits, postgresql/pg_store_edits.hpp) are behind it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/timestamps.hpp"
#include "storage/database.hpp"
#include "storage/shared_connection.hpp"

// Deletes the special dates of `store_id` from `first` to `last` (local
// dates, inclusive). Returns how many rows went, or nullopt for an unknown
// store.
std::optional<std::size_t> delete_special_dates(Database& db, const std::string& store_id,
                                                date::local_days first, date::local_days last);

// Deletes the polls of `store_id` in [from, to) (either end open when not
// given), keeping the store's latest poll and the poll count right. Returns
// how many went, or nullopt for an unknown store.
std::optional<std::size_t> delete_store_polls(Database& db, const std::string& store_id,
                                              std::optional<Instant> from,
                                              std::optional<Instant> to);

class StoreEdits {
 public:
  virtual ~StoreEdits() = default;

  // As delete_special_dates and delete_store_polls above.
  virtual std::optional<std::size_t> delete_special_dates(const std::string& store_id,
                                                          date::local_days first,
                                                          date::local_days last) = 0;
  virtual std::optional<std::size_t> delete_polls(const std::string& store_id,
                                                  std::optional<Instant> from,
                                                  std::optional<Instant> to) = 0;
};

// The same through the server's writer, held only for the call.
class SqliteStoreEdits : public StoreEdits {
 public:
  explicit SqliteStoreEdits(SharedConnection& writer) : writer_(writer) {}
  std::optional<std::size_t> delete_special_dates(const std::string& store_id,
                                                  date::local_days first,
                                                  date::local_days last) override {
    return ::delete_special_dates(writer_.lock().db(), store_id, first, last);
  }
  std::optional<std::size_t> delete_polls(const std::string& store_id, std::optional<Instant> from,
                                          std::optional<Instant> to) override {
    return delete_store_polls(writer_.lock().db(), store_id, from, to);
  }

 private:
  SharedConnection& writer_;
};
