// The answer of GET /stores/<id> as JSON: one store's zone and hours as given,
// its report figures with uptime percentages (and with max_gap, its unknown
// time), and its last week as a timeline with outages and local day starts. Pure: built from a
// StoreSnapshot.
#pragma once

#include <nlohmann/json.hpp>

#include "core/timeline.hpp"
#include "storage/report_builder.hpp"

nlohmann::json store_detail_json(const StoreSnapshot& snapshot, const StatusRules& rules);

// The 30 local dates GET /stores/<id>/days covers when given none, ending
// with the local date of `now`.
constexpr int kDefaultHistoryDays = 30;

// The answer of GET /stores/<id>/days: the store's figures for each local
// date of `dates`, each the period report of that one date; no days when the
// store has no poll at or before as_of (or `dates` is nullopt).
nlohmann::json store_days_json(const StoreSnapshot& snapshot, const StatusRules& rules,
                               std::optional<DatePeriod> dates);

// A store's status at now as JSON: {"state", "since", "since_week_start",
// "opens"} in UTC, and with a zone also "since_local" and "opens_local".
nlohmann::json now_json(const NowStatus& now, const date::time_zone* zone = nullptr);
