// The worker lease on PostgreSQL (storage/postgresql/pg_worker_lease.hpp):
// one holder among the servers sharing a database; when the holder's
// connection ends (its process killed), the next to ask takes it.
#include <catch2/catch.hpp>

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

  second.reset();  // its connection closes
  CHECK(first->held());
}
