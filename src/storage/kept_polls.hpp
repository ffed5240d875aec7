// What retention left of the polls (docs/rollups.md): a request that needs
// polls retention deleted, and cannot read daily rollups instead, is refused
// with the reason, never answered from what is left.
#pragma once

#include <optional>
#include <string>

#include "storage/database.hpp"
#include "storage/report_builder.hpp"

// The instant before which retention may have deleted polls (of some
// stores); nullopt while it deleted none.
std::optional<Instant> polls_deleted_before(Database& db);

// Why a report (or a store's view) with `options` cannot be answered now
// that polls before polls_deleted_before are gone: which option or range
// needs them; nullopt when it can. A period of local dates with the rules
// the rollups are made with reads rollups, and needs no old poll.
std::optional<std::string> needs_deleted_polls(Database& db, const ReportOptions& options);
