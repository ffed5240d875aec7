// The input data sets of rules §1 and §6 and what a valid row of each is: finding
// the columns in a header, and turning one row's fields into a typed record or
// a reason it is bad. Pure: no database, no I/O.
#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "core/timestamps.hpp"

enum class Dataset { polls, hours, zones, special_hours, tags, stores };

// "polls", "hours", "zones", "special_hours", "tags"; and the default CSV file name of each.
const char* dataset_name(Dataset dataset);
const char* dataset_file_name(Dataset dataset);

// Where the required columns of a data set sit in a row: index[i] is the
// position of the data set's i-th required column.
struct ColumnMap {
  std::vector<std::size_t> index;
};

// Matches header names case-insensitively (a UTF-8 BOM is already gone). On a
// missing column returns false and names it in `missing` ("dayOfWeek").
bool map_columns(Dataset dataset, const std::vector<std::string>& header, ColumnMap& columns,
                 std::string& missing);

// Every name (lower case) a column of the data set may go by ("dayofweek", "day", ...).
std::vector<std::string> column_names(Dataset dataset);

struct PollRecord {
  std::string store_id;
  Instant at;
  bool active = false;
};

struct HoursRecord {
  std::string store_id;
  int day;                     // 0 = Monday ... 6 = Sunday, local calendar
  std::chrono::seconds start;  // after local midnight, [0, 86399]
  std::chrono::seconds end;
};

struct SpecialHoursRecord {
  std::string store_id;
  date::local_days date;  // the store's local calendar date
  bool closed = false;    // both times empty: closed the whole date
  std::chrono::seconds start{0};
  std::chrono::seconds end{0};
};

// A tag of a store (store_tags.csv): a brand, a franchisee, a region. Owner
// tokens may be scoped to a tag.
struct TagRecord {
  std::string store_id;
  std::string tag;  // 1-64 bytes of UTF-8, no control characters, like a store id
};

// A store's name (stores.csv): shown beside its id, never part of the
// report CSV. Empty: the name is taken away.
struct NameRecord {
  std::string store_id;
  std::string name;  // at most kMaxStoreName bytes of UTF-8, no control characters
};
constexpr std::size_t kMaxStoreName = 200;

struct ZoneRecord {
  std::string store_id;
  std::string zone;  // a name the system's tz database knows
};

// Each parses one row. An empty result means the row is valid and `out` holds
// it; otherwise the result is the reason the row is bad.
using RowError = std::string;
RowError parse_poll(const std::vector<std::string>& fields, const ColumnMap& columns,
                    PollRecord& out);
RowError parse_hours(const std::vector<std::string>& fields, const ColumnMap& columns,
                     HoursRecord& out);
RowError parse_zone(const std::vector<std::string>& fields, const ColumnMap& columns,
                    ZoneRecord& out);
RowError parse_special_hours(const std::vector<std::string>& fields, const ColumnMap& columns,
                             SpecialHoursRecord& out);
RowError parse_tag(const std::vector<std::string>& fields, const ColumnMap& columns,
                   TagRecord& out);
RowError parse_name(const std::vector<std::string>& fields, const ColumnMap& columns,
                    NameRecord& out);

// A local date "YYYY-MM-DD": a real Gregorian date of the years 0001-9999.
std::optional<date::local_days> parse_local_date(std::string_view text);

// Store ids are 1-64 bytes of UTF-8 text with no control characters (rules §1:
// text); empty result when valid.
RowError check_store_id(std::string_view store_id);

// True when the system's tz database knows the zone name (case-sensitive, links included).
bool is_known_zone(const std::string& name);
