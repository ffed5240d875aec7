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
  return std::move(read_store_schedules(db, {store}, from, to).at(store));
}

std::map<std::int64_t, StoreInput> read_store_schedules(PgConnection& db,
                                                        const std::vector<std::int64_t>& stores,
                                                        Instant from, Instant to) {
  std::map<std::int64_t, StoreInput> inputs;
  for (const std::int64_t store : stores) inputs[store];
  const std::string keys = pg_int64_array(stores);
  const PgResult zones = db.exec(sql::pg_query("zones_of_stores"), {keys});
  for (int row = 0; row < zones.rows(); ++row) {
    if (!zones.is_null(row, 1))
      inputs[zones.int64(row, 0)].zone = date::locate_zone(zones.text(row, 1));
  }
  const auto input_of = [&inputs](std::int64_t key) -> StoreInput& { return inputs.at(key); };
  add_hours_rows(db.exec(sql::pg_query("hours_of_stores"), {keys}), input_of);
  const LocalDayRange days = local_days_touching(from, to);
  add_special_rows(db.exec(sql::pg_query("special_hours_of_stores"),
                           {keys, std::to_string(days.first), std::to_string(days.last)}),
                   input_of);
  return inputs;
}
