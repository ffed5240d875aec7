// Retention on PostgreSQL (retention.hpp says what it deletes), on a
// connection of its own: finished reports beyond the newest N, and alert
// events raised more than A days ago with their finished webhook
// deliveries, as on SQLite. Polls are kept whatever --keep-polls-days says:
// SQLite deletes a store's old polls once its daily rollups stand for them,
// and PostgreSQL keeps no rollups yet (docs/postgresql.md).
#pragma once

#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/retention.hpp"

class PgRetention : public RetentionTarget {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgRetention(const std::string& url);

  std::int64_t finished_reports() override;
  std::optional<std::int64_t> latest_poll_us() override;
  // RetentionPart::polls deletes nothing (above).
  RetentionResult apply(const RetentionSettings& settings, RetentionPart part,
                        const RetentionPause& pause, Instant now) override;

 private:
  // Deletes with `query_name` ($1 the cutoff, $2 the batch size) in batches
  // (delete_alert_rows_in_batches).
  std::size_t delete_in_batches(const char* query_name, Instant cutoff,
                                const RetentionPause& pause);

  PgConnection db_;
};
