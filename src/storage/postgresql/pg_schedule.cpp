#include "storage/postgresql/pg_schedule.hpp"

#include <date/tz.h>

#include "core/business_hours.hpp"
#include "storage/embedded_sql.hpp"

void add_hours_rows(const PgResult& hours, const InputOfStore& input_of) {
  for (int row = 0; row < hours.rows(); ++row) {
    input_of(hours.int64(row, 0))
        .hours.push_back({static_cast<int>(hours.int64(row, 1)),
                          std::chrono::seconds{hours.int64(row, 2)},
                          std::chrono::seconds{hours.int64(row, 3)}});
  }
}

void add_special_rows(const PgResult& special, const InputOfStore& input_of) {
  for (int row = 0; row < special.rows(); ++row) {
    const date::local_days day{date::days{special.int64(row, 1)}};
    std::vector<SpecialDate>& dates = input_of(special.int64(row, 0)).special;
    if (special.is_null(row, 2)) {
      add_special_row(dates, day, std::nullopt);
    } else {
      add_special_row(dates, day,
                      std::make_pair(std::chrono::seconds{special.int64(row, 2)},
                                     std::chrono::seconds{special.int64(row, 3)}));
    }
  }
}

StoreInput read_store_schedule(PgConnection& db, std::int64_t store, Instant from, Instant to) {
  StoreInput input;
  const std::string first = std::to_string(store), next = std::to_string(store + 1);
  const PgResult zone = db.exec(sql::pg_query("store_zone_by_key"), {first});
  if (zone.rows() > 0 && !zone.is_null(0, 0)) input.zone = date::locate_zone(zone.text(0, 0));
  const auto this_store = [&input](std::int64_t) -> StoreInput& { return input; };
  add_hours_rows(db.exec(sql::pg_query("chunk_hours"), {first, next}), this_store);
  const LocalDayRange days = local_days_touching(from, to);
  add_special_rows(db.exec(sql::pg_query("chunk_special_hours"),
                           {first, next, std::to_string(days.first), std::to_string(days.last)}),
                   this_store);
  return input;
}
