// The answer of GET /stores/<id> as JSON: one store's zone and hours as given,
// its report figures with uptime percentages (and with max_gap, its unknown
// time), and its last week as a timeline with outages and local day starts. Pure: built from a
// StoreSnapshot.
#pragma once

#include <nlohmann/json.hpp>

#include "report_builder.hpp"
#include "timeline.hpp"

nlohmann::json store_detail_json(const StoreSnapshot& snapshot, const StatusRules& rules);
