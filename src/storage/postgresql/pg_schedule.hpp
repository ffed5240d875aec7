// One store's schedule read from PostgreSQL: its zone, weekly hours and the
// special dates of the local days an instant range touches. What the alerts'
// clock and the live state read of a store (a report reads a range of
// stores' at once, pg_report.cpp).
#pragma once

#include <cstdint>

#include "core/store_input.hpp"
#include "storage/postgresql/pg_connection.hpp"

StoreInput read_store_schedule(PgConnection& db, std::int64_t store, Instant from, Instant to);
