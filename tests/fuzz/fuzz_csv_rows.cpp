// libFuzzer target: the CSV reader and row validation. The first byte picks
// the data set (and the piece size for the cutter); the rest is a CSV file.
// Checks that parsing never crashes, that valid rows satisfy rules §1, that
// written fields read back, and that blocks cut where CsvCutter says read
// alone as the whole file does.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/csv.hpp"
#include "core/records.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}

using Records = std::vector<std::tuple<std::vector<std::string>, std::size_t, bool>>;

// What follows the first record of `text` (read first, as an import reads
// its header, so a byte order mark is gone) fed to a CsvCutter `piece` bytes
// at a time, cut where it says, and each block read by a reader of its own:
// the same records on the same lines as one reader gives.
void check_blocks(const std::string& text, std::size_t piece) {
  Records whole;
  Records joined;
  std::vector<std::string> fields;
  std::istringstream in(text);
  CsvReader reader(in);
  if (!reader.next(fields)) return;
  std::size_t block_start = reader.bytes_read();
  std::size_t lines_before = reader.next_line() - 1;
  while (reader.next(fields)) whole.emplace_back(fields, reader.line(), reader.malformed());

  CsvCutter cutter;
  const auto read_block = [&](std::size_t end) {
    std::istringstream block(text.substr(block_start, end - block_start));
    CsvReader block_reader(block, false);
    while (block_reader.next(fields)) {
      joined.emplace_back(fields, lines_before + block_reader.line(), block_reader.malformed());
    }
    lines_before += block_reader.next_line() - 1;
    block_start = end;
  };
  for (std::size_t fed = block_start; fed < text.size(); fed += piece) {
    const std::size_t size = std::min(piece, text.size() - fed);
    const std::size_t cut = cutter.feed(std::string_view(text).substr(fed, size));
    if (cut > 0) read_block(fed + cut);
  }
  read_block(text.size());
  check(joined == whole);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Dataset dataset = static_cast<Dataset>(data[0] % 6);
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  check_blocks(text, data[0] / 5 + 1u);
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<std::string> fields;
  if (!reader.next(fields)) return 0;
  ColumnMap columns;
  std::string missing;
  const bool header_ok = map_columns(dataset, fields, columns, missing);
  check(header_ok || !missing.empty());

  PollRecord poll;
  HoursRecord hours;
  ZoneRecord zone;
  SpecialHoursRecord special;
  TagRecord tag;
  NameRecord name;
  std::size_t last_line = reader.line();
  while (reader.next(fields)) {
    check(reader.line() > last_line);
    last_line = reader.line();
    // Every field written back as CSV reads as the same field. (Written
    // after another field: at the very start of a file, leading BOM bytes
    // would be taken for a byte order mark.)
    for (const std::string& field : fields) {
      std::istringstream again("x," + csv_field(field) + "\n");
      CsvReader echo(again);
      std::vector<std::string> echoed;
      check(echo.next(echoed) && echoed.size() == 2 && echoed[1] == field);
    }
    if (!header_ok || reader.malformed()) continue;
    switch (dataset) {
      case Dataset::polls:
        if (parse_poll(fields, columns, poll).empty()) {
          check(check_store_id(poll.store_id).empty());
          check(parse_timestamp(format_timestamp(poll.at)) == poll.at);
        }
        break;
      case Dataset::hours:
        if (parse_hours(fields, columns, hours).empty()) {
          check(hours.day >= 0 && hours.day <= 6);
          check(hours.start.count() >= 0 && hours.start.count() < 86400);
          check(hours.end.count() >= 0 && hours.end.count() < 86400);
        }
        break;
      case Dataset::zones:
        if (parse_zone(fields, columns, zone).empty()) check(is_known_zone(zone.zone));
        break;
      case Dataset::special_hours:
        if (parse_special_hours(fields, columns, special).empty()) {
          // A valid date prints back to the same date; times stay inside the day.
          check(parse_local_date(format_date(date::year_month_day{special.date})) == special.date);
          check(special.closed || (special.start.count() >= 0 && special.start.count() < 86400 &&
                                   special.end.count() >= 0 && special.end.count() < 86400));
        }
        break;
      case Dataset::tags:
        if (parse_tag(fields, columns, tag).empty()) check(check_store_id(tag.tag).empty());
        break;
      case Dataset::stores:
        if (parse_name(fields, columns, name).empty()) check(name.name.size() <= kMaxStoreName);
        break;
    }
  }
  return 0;
}
