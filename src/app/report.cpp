#include "app/report.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "storage/database.hpp"
#include "storage/kept_polls.hpp"

std::vector<Flag> flags_for(ReportCommandOptions& o) {
  ReportOptions& report = o.report;
  Flag as_of{"--as-of",
             "UPTIME_AS_OF",
             "TS",
             "compute the report as of this UTC instant",
             "latest poll",
             [&report](const std::string& v) { report.as_of = parse_instant("--as-of", v); }};
  Flag interpolation{
      "--interpolation",
      "UPTIME_INTERPOLATION",
      "MODE",
      "status between polls: nearest or previous",
      interpolation_name(report.rules.interpolation),
      [&report](const std::string& v) {
        auto mode = parse_interpolation(v);
        if (!mode) {
          throw UsageError("--interpolation wants nearest or previous, got '" + v + "'");
        }
        report.rules.interpolation = *mode;
      }};
  return {
      db_flag(o.db_path),
      as_of,
      {"--from", nullptr, "TS",
       "report on the period [TS, --to) instead of the last hour, day and week; UTC", "",
       [&o](const std::string& v) { o.from = parse_instant("--from", v); }},
      {"--to", nullptr, "TS", "the end of the --from period (excluded), at most 400 days after it",
       "", [&o](const std::string& v) { o.to = parse_instant("--to", v); }},
      {"--from-date", nullptr, "DATE",
       "report on local dates DATE to --to-date (YYYY-MM-DD, both included, at most 400), each "
       "store in its own time zone",
       "", [&o](const std::string& v) { o.from_date = parse_date("--from-date", v); }},
      {"--to-date", nullptr, "DATE", "the last local date of the --from-date period", "",
       [&o](const std::string& v) { o.to_date = parse_date("--to-date", v); }},
      interpolation,
      max_gap_flag(report.rules.max_gap, ""),
      threads_flag(report.threads),
      {"--no-rollups", nullptr, nullptr,
       "answer a --from-date period from the polls alone, not from the stores' daily rollups "
       "(the figures are the same; docs/rollups.md)",
       "", [&report](const std::string&) { report.read_rollups = false; }},
      text_flag("--out", nullptr, "PATH", "the CSV file to write", o.out_path),
  };
}

void check_options(ReportCommandOptions& options, const std::vector<std::string>& positionals) {
  if (!positionals.empty())
    throw UsageError("report: unexpected argument '" + positionals[0] + "'");
  const PeriodChoice period =
      choose_period(options.from, options.to, options.from_date, options.to_date);
  if (!period.problem.empty()) {
    throw UsageError("period (--from/--to, --from-date/--to-date): " + period.problem);
  }
  options.report.period = period.period;
}

int run_report(const ReportCommandOptions& options) {
  if (!std::filesystem::exists(options.db_path)) {
    throw std::runtime_error("no database at '" + options.db_path + "'");
  }
  Database db(options.db_path);  // migrates the schema
  if (const auto problem = needs_deleted_polls(db, options.report)) throw UsageError(*problem);
  const Report report = build_report(options.db_path, options.report);
  const std::string csv = report_csv(report);
  if (options.out_path.empty()) {
    std::cout << csv << std::flush;
  } else {
    std::ofstream out(options.out_path, std::ios::binary);
    out << csv;
    out.close();
    if (!out) throw std::runtime_error("cannot write '" + options.out_path + "'");
  }
  const std::string max_gap =
      report.rules.max_gap ? ", max_gap " + format_max_gap(*report.rules.max_gap) : "";
  std::fprintf(stderr, "report as of %s (%s%s): %zu stores, %zu without data\n",
               format_timestamp(report.as_of).c_str(),
               interpolation_name(report.rules.interpolation), max_gap.c_str(),
               report.stores_reported(), report.stores_without_data);
  return 0;
}
