// The worker lease on PostgreSQL (storage/postgresql/pg_worker_lease.hpp):
// one holder among the servers sharing a database; when the holder's
// connection ends (its process killed), the next to ask takes it.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "postgresql/fresh_database.hpp"
#include "storage/postgresql/pg_worker_lease.hpp"
#include "storage/worker_lease.hpp"

using test::FreshDatabase;

namespace {

// Ends the connection holding the lease, as a killed process's ends.
void end_holder(PgConnection& admin) {
  const PgResult ended = admin.exec(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks "
      "WHERE locktype = 'advisory' AND granted AND database = "
      "(SELECT oid FROM pg_database WHERE datname = current_database())");
  REQUIRE(ended.rows() == 1);
}

}  // namespace

TEST_CASE("PostgreSQL: one server holds the worker lease; another takes it when it dies",
          "[postgresql]") {
  FreshDatabase database("engine_lease");
  PgConnection admin(database.url());
  const auto first = open_worker_lease(database.url());
  auto second = std::make_unique<PgWorkerLease>(database.url());
  CHECK(first->held());
  CHECK_FALSE(second->held());
  CHECK(first->held());  // kept
  CHECK_FALSE(second->held());

  end_holder(admin);
  CHECK_FALSE(first->held());  // found its connection gone, and the lock with it
  CHECK(second->held());       // taken over
  CHECK_FALSE(first->held());  // asking again on a new connection: taken
  CHECK(second->held());

  // Its connection closes; PostgreSQL ends the session (and frees the lock)
  // on its own time: the next ask after that takes it. Waits for that
  // condition, not for a time.
  second.reset();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (!first->held() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  CHECK(first->held());
}
