// The resources of the API, one file each, each making the routes it
// answers (its rows of the route table) next to its handlers. HttpApi puts
// them together in this order: a path two routes match goes to the first.
#pragma once

#include <vector>

#include "server/api/api_context.hpp"
#include "server/api/route.hpp"

// /, /healthz, /health, /openapi.json, /metrics, POST /admin/backup (status.cpp)
std::vector<Route> status_routes(ApiContext& api);
// POST /trigger_report, /get_report (three spellings), /reports (reports.cpp)
std::vector<Route> report_routes(ApiContext& api);
// /stores, /stores/{id}, /stores/{id}/days, deleting polls and special hours (stores.cpp)
std::vector<Route> store_routes(ApiContext& api);
// GET /fleet, /incidents (fleet.cpp)
std::vector<Route> fleet_routes(ApiContext& api);
// GET /me: who the caller's token is (me.cpp)
std::vector<Route> me_routes(ApiContext& api);
// POST /ingest/* (ingest.cpp)
std::vector<Route> ingest_routes(ApiContext& api);
// GET /admin/alerts (alerts.cpp)
std::vector<Route> alert_routes(ApiContext& api);
// /admin/webhooks (webhooks.cpp)
std::vector<Route> webhook_routes(ApiContext& api);
// /admin/tokens (tokens.cpp)
std::vector<Route> token_routes(ApiContext& api);
