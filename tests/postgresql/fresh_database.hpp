// A database of its own for each PostgreSQL test, on the throwaway cluster
// tests/postgresql/cluster.sh starts (its URL in the file
// UPTIME_TEST_POSTGRESQL names).
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

#include "storage/database.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_migrate.hpp"

namespace test {

inline std::string server_url() {
  const char* file = std::getenv("UPTIME_TEST_POSTGRESQL");
  REQUIRE(file);
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  REQUIRE(!url.empty());
  return url;
}

// A fresh database on the test server, dropped when the test ends.
class FreshDatabase {
 public:
  explicit FreshDatabase(const std::string& name) : admin_(server_url()), name_(name) {
    admin_.exec("DROP DATABASE IF EXISTS " + name_);
    admin_.exec("CREATE DATABASE " + name_);
    url_ = with_database(server_url(), name_);
  }
  ~FreshDatabase() {
    try {
      admin_.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
      // Left for the cluster's removal.
    }
  }
  const std::string& url() const { return url_; }

 private:
  PgConnection admin_;
  std::string name_;
  std::string url_;
};

// Copies the SQLite database at `path` into the one at `url`, as `migrate` does.
inline void copy_to_postgresql(const std::string& path, const std::string& url) {
  Database from(path, Database::Access::read_only);
  PgConnection to(url);
  copy_sqlite_to_postgresql(from, to, [](const CopiedTable&) {});
}

}  // namespace test
