// Deleting part of one store's data through the API (rules §1, §6): its
// special dates, or its polls in a range. Each in one transaction.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/timestamps.hpp"
#include "storage/database.hpp"

// Deletes the special dates of `store_id` from `first` to `last` (local
// dates, inclusive). Returns how many rows went, or nullopt for an unknown
// store.
std::optional<std::size_t> delete_special_dates(Database& db, const std::string& store_id,
                                                date::local_days first, date::local_days last);

// Deletes the polls of `store_id` in [from, to) (either end open when not
// given), keeping the store's latest poll and the poll count right. Returns
// how many went, or nullopt for an unknown store.
std::optional<std::size_t> delete_store_polls(Database& db, const std::string& store_id,
                                              std::optional<Instant> from,
                                              std::optional<Instant> to);
