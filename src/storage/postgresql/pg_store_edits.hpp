// Deleting part of one store's data in PostgreSQL (store_edits.hpp says
// what), on a connection of its own, one edit at a time.
#pragma once

#include <mutex>
#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/store_edits.hpp"

class PgStoreEdits : public StoreEdits {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgStoreEdits(const std::string& url);

  std::optional<std::size_t> delete_special_dates(const std::string& store_id,
                                                  date::local_days first,
                                                  date::local_days last) override;
  std::optional<std::size_t> delete_polls(const std::string& store_id, std::optional<Instant> from,
                                          std::optional<Instant> to) override;

 private:
  // In the caller's transaction, the key of a store id with the imports'
  // lock taken and the change noted (store_changes: other servers read the
  // store again); nullopt when there is no such store.
  std::optional<std::string> begin_edit(const std::string& store_id);

  std::mutex mutex_;
  PgConnection db_;
};
