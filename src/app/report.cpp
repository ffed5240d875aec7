// `report`: the report of SPEC §5 as CSV, through the same code as the server.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "database.hpp"
#include "report_builder.hpp"

int run_report(const Options& options) {
  Database db(options.db_path);  // creates or migrates the schema
  ReportOptions report_options{options.as_of, options.interpolation, options.threads};
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
  std::fprintf(stderr, "report as of %s (%s): %zu stores, %zu without data\n",
               format_timestamp(report.as_of).c_str(), interpolation_name(report.interpolation),
               report.rows.size(), report.stores_without_data);
  return 0;
}
