// The data's generation (table data_state): every write that changes what a
// report would say bumps it, so a report snapshot knows whether it is stale.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>

// Marks the data changed, with the change in the number of polls (negative
// for deletions). Call inside the writing transaction.
void record_change(SQLite::Database& db, std::int64_t polls_added);
