// Figures about a PostgreSQL database (database_figures.hpp), on a
// connection of their own, one call at a time. No rollups on PostgreSQL
// yet: no store waits for one.
#pragma once

#include <mutex>
#include <string>

#include "storage/database_figures.hpp"
#include "storage/postgresql/pg_connection.hpp"

class PgFigures : public Figures {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgFigures(const std::string& url);
  DatabaseFigures read() override;
  DatabaseHealth health() override;

 private:
  std::mutex mutex_;
  PgConnection db_;
};
