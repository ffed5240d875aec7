// `rollup`: rolls up the stores' days now (docs/rollups.md), as a server does
// in the background: after a large import, before a bench, or to make them
// anew with other rules.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/flags.hpp"

struct RollupOptions {
  std::string db_path = "uptime.db";
  // The rules to roll up with: the server's --max-gap (nearest interpolation,
  // the default a request gets); other rules than the last ones make every
  // date anew.
  std::optional<std::chrono::seconds> max_gap;
  LogFormat log_format = LogFormat::text;
};

std::vector<Flag> flags_for(RollupOptions& options);
void check_options(RollupOptions& options, const std::vector<std::string>& positionals);
int run_rollup(const RollupOptions& options);
