#include "storage/deliveries.hpp"

#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_deliveries.hpp"
#include "storage/webhook_store.hpp"

std::unique_ptr<Deliveries> open_deliveries(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgDeliveries>(db);
  return std::make_unique<SqliteDeliveries>(db);
}

DeliveryState delivery_state_after(const DeliveryAttempt& attempt) {
  if (attempt.error.empty()) return DeliveryState::delivered;
  return attempt.next ? DeliveryState::pending : DeliveryState::failed;
}
