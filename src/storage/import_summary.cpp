#include "storage/import_summary.hpp"

#include <cstdio>

void ImportSummary::reject(std::size_t line, const std::string& reason) {
  ++rejected;
  if (first_rejections.size() < kRejectionsListed) {
    first_rejections.push_back(source + ":" + std::to_string(line) + ": " + reason);
  }
}

nlohmann::json ImportSummary::json() const {
  nlohmann::json body = {
      {"source", source},     {"dataset", dataset_name(dataset)}, {"rows_read", rows_read},
      {"loaded", loaded},     {"duplicates", duplicates},         {"conflicts", conflicts},
      {"rejected", rejected}, {"rejections", first_rejections},   {"seconds", seconds}};
  if (!ok()) body["error"] = error;
  return body;
}

LogFields ImportSummary::log_fields() const {
  LogFields fields = {{"source", source},         {"dataset", dataset_name(dataset)},
                      {"rows_read", rows_read},   {"loaded", loaded},
                      {"duplicates", duplicates}, {"conflicts", conflicts},
                      {"rejected", rejected},     {"seconds", seconds}};
  if (!ok()) fields.emplace_back("error", error);
  return fields;
}

std::string ImportSummary::text() const {
  if (!ok()) return source + ": rejected whole: " + error;
  std::string line = source + ": " + std::to_string(rows_read) + " rows read, " +
                     std::to_string(loaded) + " loaded, " + std::to_string(duplicates) +
                     " duplicates, " + std::to_string(conflicts) + " conflicts, " +
                     std::to_string(rejected) + " rejected";
  if (seconds > 0) {
    char rate[64];
    std::snprintf(rate, sizeof rate, " in %.2f s (%.0f rows/s)", seconds, rows_read / seconds);
    line += rate;
  }
  return line;
}
