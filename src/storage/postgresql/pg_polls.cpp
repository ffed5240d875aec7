#include "storage/postgresql/pg_polls.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "storage/embedded_sql.hpp"

void append_poll_arrays(const PgResult& result, int row, int at_column, std::vector<Poll>& polls) {
  std::vector<std::int64_t> times;
  std::vector<bool> statuses;
  result.array(row, at_column, times, pg_integer);
  result.array(row, at_column + 1, statuses,
               [](const unsigned char* bytes, int) { return bytes[0] != 0; });
  if (times.size() != statuses.size()) throw std::runtime_error("PostgreSQL sent uneven polls");
  const auto first = polls.size();
  for (std::size_t i = 0; i < times.size(); ++i)
    polls.push_back({from_micros(times[i]), statuses[i]});
  // In time order as the queries build them, checked: PostgreSQL does not promise it.
  const auto earlier = [](const Poll& a, const Poll& b) { return a.at < b.at; };
  const auto added = polls.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(added, polls.end(), earlier)) std::sort(added, polls.end(), earlier);
}

std::vector<std::vector<Poll>> read_polls_in_ranges(PgConnection& db,
                                                    const std::vector<StoreRange>& ranges) {
  std::vector<std::vector<Poll>> polls(ranges.size());
  if (ranges.empty()) return polls;
  std::vector<std::int64_t> stores, begins, ends, nows;
  for (const StoreRange& each : ranges) {
    stores.push_back(each.store);
    begins.push_back(each.range.begin_us);
    ends.push_back(each.range.end_us);
    nows.push_back(each.range.now_us);
  }
  const PgResult rows = db.exec(
      sql::pg_query("polls_in_ranges"),
      {pg_int64_array(stores), pg_int64_array(begins), pg_int64_array(ends), pg_int64_array(nows)},
      true);
  for (int row = 0; row < rows.rows(); ++row) {
    const std::int64_t nth = rows.int64(row, 0);  // from 1
    if (nth < 1 || static_cast<std::size_t>(nth) > ranges.size()) {
      throw std::runtime_error("PostgreSQL sent polls of an unknown range");
    }
    append_poll_arrays(rows, row, 1, polls[static_cast<std::size_t>(nth - 1)]);
  }
  return polls;
}
