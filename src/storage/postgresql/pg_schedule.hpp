// Stores' schedules read from PostgreSQL: the rows of chunk_hours and
// chunk_special_hours (a range of stores, store key first) added to each
// store's StoreInput, for a report's range of stores (pg_report.cpp) and for
// one store, as the alerts' clock and the live state read it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "core/store_input.hpp"
#include "storage/postgresql/pg_connection.hpp"

// Each row's hours, or special date, added to the schedule `input_of` gives
// for its store key.
using InputOfStore = std::function<StoreInput&(std::int64_t key)>;
void add_hours_rows(const PgResult& hours, const InputOfStore& input_of);
void add_special_rows(const PgResult& special, const InputOfStore& input_of);

// One store's zone, weekly hours and the special dates of the local days
// [from, to] touches.
StoreInput read_store_schedule(PgConnection& db, std::int64_t store, Instant from, Instant to);

// The same for each of `stores` (keys), in three statements whatever their
// number: an entry for every key.
std::map<std::int64_t, StoreInput> read_store_schedules(PgConnection& db,
                                                        const std::vector<std::int64_t>& stores,
                                                        Instant from, Instant to);
