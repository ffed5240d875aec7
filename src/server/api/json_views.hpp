// The JSON of the API's resources: reports and their rows, tokens, webhooks,
// open incidents. One function a shape, used by every route that shows it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "server/live_fleet.hpp"
#include "storage/alert_store.hpp"
#include "storage/reports.hpp"
#include "storage/tokens.hpp"
#include "storage/webhook_store.hpp"

// A report's period as asked for: null, {"from","to"} or {"from_date","to_date"}.
nlohmann::json period_json(const std::optional<Period>& period);
// A report's status, options and times (no rows).
nlohmann::json state_json(const ReportState& state);
// A finished report's rows as JSON objects keyed like the CSV columns
// (core/report.hpp report_csv, the CSV rendering), figures as numbers
// rounded as the CSV rounds them; the unknown figures when the report has a
// max_gap, as its CSV does. Window rows also give the status at now.
nlohmann::json report_rows_json(const ReportRows& rows, bool with_unknown);
// A token as listed: never its secret, nor its hash.
nlohmann::json token_json(const TokenRecord& token);
// A webhook as listed: never its secret, and its url redacted.
nlohmann::json webhook_json(const Webhook& webhook);
// A store down or silent now.
nlohmann::json incident_json(const OpenIncident& incident);
// An incident of GET /incidents, its times in UTC and in the store's zone.
nlohmann::json incident_json(const IncidentRecord& incident);

// A store's live state (rules §10): {"state", "since", "since_local",
// "latest_poll", "next_change", "next_change_local", "live"}.
nlohmann::json live_json(const LiveStore& store, bool live);
// A row of the stores list: the live state beside the landing report's week.
nlohmann::json store_row_json(const LiveStore& store, bool with_unknown);
