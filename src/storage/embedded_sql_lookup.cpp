#include <map>
#include <sstream>
#include <stdexcept>

#include "storage/embedded_sql.hpp"

namespace sql {

namespace {

// sql/queries/*.sql hold named statements, each introduced by "-- name: <name>".
std::map<std::string, std::string> parse_named_queries(const std::vector<SqlFile>& files) {
  std::map<std::string, std::string> named;
  const std::string marker = "-- name: ";
  for (const auto& file : files) {
    std::istringstream lines(file.text);
    std::string line;
    std::string* current = nullptr;
    while (std::getline(lines, line)) {
      if (line.compare(0, marker.size(), marker) == 0) {
        current = &named[line.substr(marker.size())];
      } else if (current) {
        *current += line;
        *current += '\n';
      }
    }
  }
  return named;
}

}  // namespace

const char* query(const std::string& name) {
  static const std::map<std::string, std::string> named = parse_named_queries(queries());
  auto it = named.find(name);
  if (it == named.end()) throw std::out_of_range("no query '" + name + "' in sql/queries/");
  return it->second.c_str();
}

const char* pg_query(const std::string& name) {
  static const std::map<std::string, std::string> named = parse_named_queries(pg_queries());
  auto it = named.find(name);
  if (it == named.end()) {
    throw std::out_of_range("no query '" + name + "' in sql/postgresql/queries/");
  }
  return it->second.c_str();
}

std::string repeated_rows(const std::string& head, const std::string& row, std::size_t rows) {
  std::string text = query(head);
  const std::string values = query(row);
  for (std::size_t i = 0; i < rows; ++i) text += (i ? "," : "") + values;
  return text;
}

}  // namespace sql
