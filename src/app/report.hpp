// `report`: the report of rules §7 as CSV, through the same code as the server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/flags.hpp"
#include "storage/report_builder.hpp"

struct ReportCommandOptions {
  std::string db_path = "uptime.db";
  std::string out_path;             // empty: standard output
  ReportOptions report;             // as of, rules, threads; the period from the four below
  std::optional<Instant> from, to;  // --from, --to as given
  std::optional<date::local_days> from_date, to_date;  // --from-date, --to-date as given
};

std::vector<Flag> flags_for(ReportCommandOptions& options);
// Checks what the flags say together and sets the period. Throws UsageError.
void check_options(ReportCommandOptions& options, const std::vector<std::string>& positionals);
int run_report(const ReportCommandOptions& options);
