#include "core/records.hpp"

#include <date/tz.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>

namespace {

// A required column: the names it may go by, in order of preference.
struct Column {
  std::vector<std::string> names;
};

const std::vector<Column>& required_columns(Dataset dataset) {
  static const std::vector<Column> polls = {{{"store_id"}}, {{"status"}}, {{"timestamp_utc"}}};
  static const std::vector<Column> hours = {
      {{"store_id"}}, {{"dayofweek", "day"}}, {{"start_time_local"}}, {{"end_time_local"}}};
  static const std::vector<Column> zones = {{{"store_id"}}, {{"timezone_str"}}};
  static const std::vector<Column> special = {
      {{"store_id"}}, {{"date"}}, {{"start_time_local"}}, {{"end_time_local"}}};
  static const std::vector<Column> tags = {{{"store_id"}}, {{"tag"}}};
  static const std::vector<Column> names = {{{"store_id"}}, {{"name"}}};
  switch (dataset) {
    case Dataset::polls:
      return polls;
    case Dataset::hours:
      return hours;
    case Dataset::zones:
      return zones;
    case Dataset::special_hours:
      return special;
    case Dataset::tags:
      return tags;
    case Dataset::stores:
      return names;
  }
  return polls;
}

// The name a missing column is reported by (as rules §1 writes it).
const char* display_name(const std::string& lower_name) {
  static const std::unordered_map<std::string, const char*> names = {{"dayofweek", "dayOfWeek"}};
  auto it = names.find(lower_name);
  return it == names.end() ? lower_name.c_str() : it->second;
}

// The fields of a row, checked to reach every mapped column.
RowError check_width(const std::vector<std::string>& fields, const ColumnMap& columns) {
  const std::size_t needed = *std::max_element(columns.index.begin(), columns.index.end()) + 1;
  if (fields.size() < needed) {
    return "expected at least " + std::to_string(needed) + " fields, found " +
           std::to_string(fields.size());
  }
  return {};
}

std::string quoted(std::string_view value) {
  constexpr std::size_t kShown = 40;
  std::string shown(value.substr(0, kShown));
  if (value.size() > kShown) shown += "...";
  return "'" + shown + "'";
}

}  // namespace

const char* dataset_name(Dataset dataset) {
  switch (dataset) {
    case Dataset::polls:
      return "polls";
    case Dataset::hours:
      return "hours";
    case Dataset::zones:
      return "zones";
    case Dataset::special_hours:
      return "special_hours";
    case Dataset::tags:
      return "tags";
    case Dataset::stores:
      return "stores";
  }
  return "?";
}

const char* dataset_file_name(Dataset dataset) {
  switch (dataset) {
    case Dataset::polls:
      return "store_status.csv";
    case Dataset::hours:
      return "menu_hours.csv";
    case Dataset::zones:
      return "timezones.csv";
    case Dataset::special_hours:
      return "special_hours.csv";
    case Dataset::tags:
      return "store_tags.csv";
    case Dataset::stores:
      return "stores.csv";
  }
  return "?";
}

bool map_columns(Dataset dataset, const std::vector<std::string>& header, ColumnMap& columns,
                 std::string& missing) {
  std::vector<std::string> lower_header;
  for (const auto& name : header) lower_header.push_back(ascii_lower(name));

  columns.index.clear();
  for (const Column& column : required_columns(dataset)) {
    auto position = lower_header.end();
    for (const auto& name : column.names) {
      position = std::find(lower_header.begin(), lower_header.end(), name);
      if (position != lower_header.end()) break;
    }
    if (position == lower_header.end()) {
      missing = display_name(column.names[0]);
      return false;
    }
    columns.index.push_back(static_cast<std::size_t>(position - lower_header.begin()));
  }
  return true;
}

std::vector<std::string> column_names(Dataset dataset) {
  std::vector<std::string> names;
  for (const Column& column : required_columns(dataset)) {
    names.insert(names.end(), column.names.begin(), column.names.end());
  }
  return names;
}

RowError check_store_id(std::string_view store_id) {
  if (store_id.empty()) return "empty store_id";
  if (store_id.size() > 64) return "store_id longer than 64 bytes";
  bool ascii = true;  // (nearly every id: then it is valid UTF-8 as it stands)
  for (unsigned char c : store_id) {
    if (c < 0x20 || c == 0x7F) return "store_id contains a control character";
    ascii = ascii && c < 0x80;
  }
  if (!ascii && !is_valid_utf8(store_id)) return "store_id is not valid UTF-8 text";
  return {};
}

bool is_known_zone(const std::string& name) {
  // Looking a name up in the tz database is slow-ish and data sets repeat a
  // few dozen names, so answers are remembered.
  static std::mutex mutex;
  static std::unordered_map<std::string, bool> known;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = known.find(name);
  if (it != known.end()) return it->second;
  bool found = true;
  try {
    date::locate_zone(name);
  } catch (const std::exception&) {
    found = false;
  }
  known.emplace(name, found);
  return found;
}

RowError parse_poll(const std::vector<std::string>& fields, const ColumnMap& columns,
                    PollRecord& out) {
  if (RowError error = check_width(fields, columns); !error.empty()) return error;
  const std::string& store_id = fields[columns.index[0]];
  const std::string& status = fields[columns.index[1]];
  const std::string& timestamp = fields[columns.index[2]];
  if (RowError error = check_store_id(store_id); !error.empty()) return error;

  if (equals_ignoring_case(status, "active")) {
    out.active = true;
  } else if (equals_ignoring_case(status, "inactive")) {
    out.active = false;
  } else {
    return "status must be 'active' or 'inactive', got " + quoted(status);
  }
  auto at = parse_timestamp(timestamp);
  if (!at) return "bad timestamp_utc " + quoted(timestamp);
  out.at = *at;
  out.store_id = store_id;
  return {};
}

RowError parse_hours(const std::vector<std::string>& fields, const ColumnMap& columns,
                     HoursRecord& out) {
  if (RowError error = check_width(fields, columns); !error.empty()) return error;
  const std::string& store_id = fields[columns.index[0]];
  const std::string& day = fields[columns.index[1]];
  const std::string& start = fields[columns.index[2]];
  const std::string& end = fields[columns.index[3]];
  if (RowError error = check_store_id(store_id); !error.empty()) return error;

  if (day.size() != 1 || day[0] < '0' || day[0] > '6') {
    return "dayOfWeek must be one digit 0-6, got " + quoted(day);
  }
  auto start_time = parse_time_of_day(start);
  if (!start_time) return "bad start_time_local " + quoted(start) + " (want HH:MM or HH:MM:SS)";
  auto end_time = parse_time_of_day(end);
  if (!end_time) return "bad end_time_local " + quoted(end) + " (want HH:MM or HH:MM:SS)";
  out.store_id = store_id;
  out.day = day[0] - '0';
  out.start = *start_time;
  out.end = *end_time;
  return {};
}

RowError parse_zone(const std::vector<std::string>& fields, const ColumnMap& columns,
                    ZoneRecord& out) {
  if (RowError error = check_width(fields, columns); !error.empty()) return error;
  const std::string& store_id = fields[columns.index[0]];
  const std::string& zone = fields[columns.index[1]];
  if (RowError error = check_store_id(store_id); !error.empty()) return error;
  if (!is_known_zone(zone)) return "unknown time zone " + quoted(zone);
  out.store_id = store_id;
  out.zone = zone;
  return {};
}

RowError parse_tag(const std::vector<std::string>& fields, const ColumnMap& columns,
                   TagRecord& out) {
  if (RowError error = check_width(fields, columns); !error.empty()) return error;
  const std::string& store_id = fields[columns.index[0]];
  const std::string& tag = fields[columns.index[1]];
  if (RowError error = check_store_id(store_id); !error.empty()) return error;
  if (RowError error = check_store_id(tag); !error.empty()) {
    return "bad tag " + quoted(tag) + ": like a store id, 1-64 bytes of text";
  }
  out.store_id = store_id;
  out.tag = tag;
  return {};
}

RowError parse_name(const std::vector<std::string>& fields, const ColumnMap& columns,
                    NameRecord& out) {
  if (RowError error = check_width(fields, columns); !error.empty()) return error;
  const std::string& store_id = fields[columns.index[0]];
  const std::string& name = fields[columns.index[1]];
  if (RowError error = check_store_id(store_id); !error.empty()) return error;
  if (name.size() > kMaxStoreName) {
    return "name longer than " + std::to_string(kMaxStoreName) + " bytes";
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) return "name contains a control character";
  }
  if (!is_valid_utf8(name)) return "name is not valid UTF-8 text";
  out.store_id = store_id;
  out.name = name;
  return {};
}

std::optional<date::local_days> parse_local_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t at = starts[i]; at < starts[i] + lengths[i]; ++at) {
      if (text[at] < '0' || text[at] > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (text[at] - '0');
    }
  }
  const date::year_month_day ymd{date::year{parts[0]}, date::month{static_cast<unsigned>(parts[1])},
                                 date::day{static_cast<unsigned>(parts[2])}};
  if (parts[0] < 1 || !ymd.ok()) return std::nullopt;
  return date::local_days{ymd};
}

RowError parse_special_hours(const std::vector<std::string>& fields, const ColumnMap& columns,
                             SpecialHoursRecord& out) {
  if (RowError error = check_width(fields, columns); !error.empty()) return error;
  const std::string& store_id = fields[columns.index[0]];
  const std::string& date_text = fields[columns.index[1]];
  const std::string& start = fields[columns.index[2]];
  const std::string& end = fields[columns.index[3]];
  if (RowError error = check_store_id(store_id); !error.empty()) return error;
  const auto date = parse_local_date(date_text);
  if (!date) return "bad date " + quoted(date_text) + " (want a real date YYYY-MM-DD)";
  out.closed = start.empty() && end.empty();
  if (!out.closed) {
    if (start.empty() || end.empty()) {
      return "start_time_local and end_time_local must both be given, or both be empty for a "
             "closed date";
    }
    auto start_time = parse_time_of_day(start);
    if (!start_time) return "bad start_time_local " + quoted(start) + " (want HH:MM or HH:MM:SS)";
    auto end_time = parse_time_of_day(end);
    if (!end_time) return "bad end_time_local " + quoted(end) + " (want HH:MM or HH:MM:SS)";
    out.start = *start_time;
    out.end = *end_time;
  }
  out.store_id = store_id;
  out.date = *date;
  return {};
}
