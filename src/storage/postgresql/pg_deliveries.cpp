#include "storage/postgresql/pg_deliveries.hpp"

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schema.hpp"

PgDeliveries::PgDeliveries(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

std::vector<Delivery> PgDeliveries::due(Instant now, std::size_t limit,
                                        const std::vector<std::int64_t>& skip) {
  std::lock_guard<std::mutex> lock(mutex_);
  const PgResult rows =
      db_.exec(sql::pg_query("due_deliveries"),
               {std::to_string(to_micros(now)), std::to_string(limit), pg_int64_array(skip)});
  std::vector<Delivery> due;
  for (int row = 0; row < rows.rows(); ++row) {
    Delivery delivery;
    delivery.id = rows.int64(row, 0);
    delivery.event_id = rows.int64(row, 1);
    delivery.webhook = rows.int64(row, 2);
    delivery.store = rows.int64(row, 3);
    delivery.attempts = static_cast<int>(rows.int64(row, 4));
    delivery.raised = from_micros(rows.int64(row, 5));
    delivery.url = rows.text(row, 6);
    delivery.secret = rows.text(row, 7);
    delivery.format = parse_webhook_format(rows.text(row, 8)).value();
    delivery.store_id = rows.text(row, 9);
    if (!rows.is_null(row, 10)) delivery.timezone = rows.text(row, 10);
    delivery.type = parse_alert_type(rows.text(row, 11)).value();
    delivery.at = from_micros(rows.int64(row, 12));
    if (!rows.is_null(row, 13)) delivery.incident_start = from_micros(rows.int64(row, 13));
    if (!rows.is_null(row, 14)) delivery.downtime = std::chrono::microseconds{rows.int64(row, 14)};
    if (!rows.is_null(row, 15)) delivery.store_name = rows.text(row, 15);
    due.push_back(std::move(delivery));
  }
  return due;
}

void PgDeliveries::record_attempt(std::int64_t delivery, const DeliveryAttempt& attempt) {
  const DeliveryState state = delivery_state_after(attempt);
  std::lock_guard<std::mutex> lock(mutex_);
  db_.exec(
      sql::pg_query("delivery_attempted"),
      {std::to_string(delivery), std::string(delivery_state_name(state)),
       pg_micros_or_null(state == DeliveryState::pending ? attempt.next : std::nullopt),
       std::to_string(to_micros(attempt.at)),
       attempt.status ? std::optional<std::string>(std::to_string(*attempt.status)) : std::nullopt,
       pg_text_or_null(attempt.error)});
}
