// `report`: the report of rules §7 as CSV, through the same code as the server.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "database.hpp"
#include "report_builder.hpp"

int run_report(const Options& options) {
  if (!std::filesystem::exists(options.db_path)) {
    throw std::runtime_error("no database at '" + options.db_path + "'");
  }
  Database db(options.db_path);  // migrates the schema
  ReportOptions report_options{options.as_of, options.rules, options.threads, options.period};
  const Report report = build_report(options.db_path, report_options);
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
