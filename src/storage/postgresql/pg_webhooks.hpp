// The webhooks an admin registers, in PostgreSQL (webhooks.hpp says what
// they are), on a connection of their own, one call at a time.
#pragma once

#include <mutex>
#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/webhooks.hpp"

class PgWebhooks : public Webhooks {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgWebhooks(const std::string& url);

  std::int64_t create(const Webhook& webhook) override;
  std::vector<Webhook> list() override;
  bool remove(std::int64_t id) override;

 private:
  std::mutex mutex_;
  PgConnection db_;
};
