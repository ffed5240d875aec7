// The outbox of webhook deliveries in PostgreSQL (deliveries.hpp says what
// it is), on a connection of its own, one call at a time.
#pragma once

#include <mutex>
#include <string>

#include "storage/deliveries.hpp"
#include "storage/postgresql/pg_connection.hpp"

class PgDeliveries : public Deliveries {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgDeliveries(const std::string& url);

  std::vector<Delivery> due(Instant now, std::size_t limit,
                            const std::vector<std::int64_t>& skip) override;
  void record_attempt(std::int64_t delivery, const DeliveryAttempt& attempt) override;

 private:
  std::mutex mutex_;
  PgConnection db_;
};
