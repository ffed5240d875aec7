// rules §6: special dates replace the weekly hours of a store's local date.
// Each expectation carries its arithmetic. 2023-01-23 is a Monday (day 0);
// Chicago is UTC-6 in January.
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "core/business_hours.hpp"
#include "storage/report_builder.hpp"
#include "storage/schedule_reader.hpp"
#include "support.hpp"

using test::at;
using test::import_text;
using test::TempDir;
using test::tod;

namespace {

std::vector<Interval> expand(const std::vector<WeeklyHoursRow>& hours,
                             const std::vector<SpecialDate>& special, const char* zone_name,
                             const std::string& from, const std::string& to) {
  return business_intervals(hours, special, date::locate_zone(zone_name), at(from), at(to));
}

Interval interval(const std::string& begin, const std::string& end) {
  return {at(begin), at(end)};
}

date::local_days local_date(int year, unsigned month, unsigned day) {
  return date::local_days{date::year{year} / month / day};
}

SpecialHoursRow closed() {
  return {true, std::chrono::seconds{0}, std::chrono::seconds{0}};
}

SpecialHoursRow shift(const char* start, const char* end) {
  return {false, tod(start), tod(end)};
}

std::vector<WeeklyHoursRow> weekdays(const char* start, const char* end) {
  std::vector<WeeklyHoursRow> rows;
  for (int day = 0; day < 5; ++day) rows.push_back({day, tod(start), tod(end)});
  return rows;
}

}  // namespace

TEST_CASE("a closed holiday on a weekday with hours", "[special_hours]") {
  // Mon-Fri 09:00-17:00 CST = 15:00-23:00Z; Tuesday 2023-01-24 closed.
  const auto open = expand(weekdays("09:00", "17:00"), {{local_date(2023, 1, 24), {closed()}}},
                           "America/Chicago", "2023-01-23 00:00:00", "2023-01-26 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-23 15:00:00", "2023-01-23 23:00:00"));
  CHECK(open[1] == interval("2023-01-25 15:00:00", "2023-01-25 23:00:00"));
}

TEST_CASE("a closed date of a store open 24x7 (no weekly rows)", "[special_hours]") {
  // Open from each local midnight (06:00Z) to the next, except on Tuesday the 24th.
  const auto open = expand({}, {{local_date(2023, 1, 24), {closed()}}}, "America/Chicago",
                           "2023-01-23 06:00:00", "2023-01-26 06:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-23 06:00:00", "2023-01-24 06:00:00"));
  CHECK(open[1] == interval("2023-01-25 06:00:00", "2023-01-26 06:00:00"));
}

TEST_CASE("a special overnight shift runs into the next date", "[special_hours]") {
  // Tuesday 20:00 CST (Wed 02:00Z) to Wednesday 02:00 CST (08:00Z); Tuesday's
  // weekly 09:00-17:00 is gone, Wednesday's stays.
  const auto open =
      expand(weekdays("09:00", "17:00"), {{local_date(2023, 1, 24), {shift("20:00", "02:00")}}},
             "America/Chicago", "2023-01-24 00:00:00", "2023-01-26 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-25 02:00:00", "2023-01-25 08:00:00"));
  CHECK(open[1] == interval("2023-01-25 15:00:00", "2023-01-25 23:00:00"));
}

TEST_CASE("a weekly overnight interval from the day before runs into a special date",
          "[special_hours]") {
  // Monday 22:00-03:00 CST = Tue 04:00Z-09:00Z, kept although Tuesday is
  // closed, and although Tuesday has a shift of its own (12:00-13:00 = 18:00-19:00Z).
  const std::vector<WeeklyHoursRow> monday_night = {{0, tod("22:00"), tod("03:00")},
                                                    {1, tod("22:00"), tod("03:00")}};
  auto open = expand(monday_night, {{local_date(2023, 1, 24), {closed()}}}, "America/Chicago",
                     "2023-01-23 00:00:00", "2023-01-26 00:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-24 04:00:00", "2023-01-24 09:00:00"));
  open = expand(monday_night, {{local_date(2023, 1, 24), {shift("12:00", "13:00")}}},
                "America/Chicago", "2023-01-23 00:00:00", "2023-01-26 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-24 04:00:00", "2023-01-24 09:00:00"));
  CHECK(open[1] == interval("2023-01-24 18:00:00", "2023-01-24 19:00:00"));
}

TEST_CASE("a special date on New York's spring-forward day", "[special_hours]") {
  // Sunday 2023-03-12, 01:00-04:00: 01:00 EST = 06:00Z, 04:00 EDT = 08:00Z: 2 h.
  // The weekly Sunday 10:00-12:00 is replaced; Monday's 10:00-12:00 EDT = 14:00-16:00Z stays.
  const std::vector<WeeklyHoursRow> mornings = {{6, tod("10:00"), tod("12:00")},
                                                {0, tod("10:00"), tod("12:00")}};
  const auto open = expand(mornings, {{local_date(2023, 3, 12), {shift("01:00", "04:00")}}},
                           "America/New_York", "2023-03-12 00:00:00", "2023-03-14 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-03-12 06:00:00", "2023-03-12 08:00:00"));
  CHECK(open[1] == interval("2023-03-13 14:00:00", "2023-03-13 16:00:00"));
}

TEST_CASE("special dates in a zone whose clocks change at midnight", "[special_hours]") {
  // America/Havana, Sunday 2023-03-12: 00:00 CST (-5) jumps to 01:00 CDT (-4) at 05:00Z.
  // A special 00:00-02:00 that day: 00:00 maps to the jump, 02:00 CDT = 06:00Z.
  auto open = expand({}, {{local_date(2023, 3, 12), {shift("00:00", "02:00")}}}, "America/Havana",
                     "2023-03-12 05:00:00", "2023-03-13 04:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-03-12 05:00:00", "2023-03-12 06:00:00"));
  // A 24x7 store closed on Monday 03-13: Saturday's day ends at Sunday's
  // skipped midnight (05:00Z), where Sunday's begins, running to Monday 00:00
  // CDT (04:00Z): one interval; Tuesday from its midnight (04:00Z) on.
  open = expand({}, {{local_date(2023, 3, 13), {closed()}}}, "America/Havana",
                "2023-03-12 00:00:00", "2023-03-15 00:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-03-12 00:00:00", "2023-03-13 04:00:00"));
  CHECK(open[1] == interval("2023-03-14 04:00:00", "2023-03-15 00:00:00"));
}

TEST_CASE("a closed row and a shift on the same date: open for the shift", "[special_hours]") {
  // 12:00-14:00 CST = 18:00-20:00Z; the closed row opens nothing.
  const auto open = expand(weekdays("09:00", "17:00"),
                           {{local_date(2023, 1, 24), {closed(), shift("12:00", "14:00")}}},
                           "America/Chicago", "2023-01-24 06:00:00", "2023-01-25 06:00:00");
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-24 18:00:00", "2023-01-24 20:00:00"));
}

TEST_CASE("special 24-hour rows and split shifts", "[special_hours]") {
  // end == start: 24 hours from 06:00 CST (12:00Z) to the next 06:00; two
  // shifts on one date stay two intervals.
  auto open = expand({}, {{local_date(2023, 1, 24), {shift("06:00", "06:00")}}}, "America/Chicago",
                     "2023-01-24 06:00:00", "2023-01-25 06:00:00");
  // 00:00-06:00 CST belongs to no interval (the date is special); from 06:00 on
  // the 24 hours run past the range, and Wednesday's own day starts inside them.
  REQUIRE(open.size() == 1);
  CHECK(open[0] == interval("2023-01-24 12:00:00", "2023-01-25 06:00:00"));
  open = expand({}, {{local_date(2023, 1, 24), {shift("08:00", "11:00"), shift("17:00", "21:00")}}},
                "America/Chicago", "2023-01-24 06:00:00", "2023-01-25 06:00:00");
  REQUIRE(open.size() == 2);
  CHECK(open[0] == interval("2023-01-24 14:00:00", "2023-01-24 17:00:00"));
  CHECK(open[1] == interval("2023-01-24 23:00:00", "2023-01-25 03:00:00"));
}

TEST_CASE("special hours rows: real dates, both times or neither", "[special_hours][records]") {
  CHECK(parse_local_date("2024-02-29"));
  CHECK(parse_local_date("0001-01-01"));
  for (const char* bad : {"2023-02-30", "2023-13-01", "0000-01-01", "2023-1-01", "2023/01/01",
                          "20230101", " 2023-01-01", "2023-01-01 "}) {
    INFO(bad);
    CHECK_FALSE(parse_local_date(bad));
  }
  TempDir dir;
  Database db(dir.file("u.db"));
  const ImportSummary summary = import_text(db, Dataset::special_hours,
                                            "store_id,date,start_time_local,end_time_local\n"
                                            "a,2023-01-24,,\n"
                                            "a,2023-02-30,09:00,10:00\n"
                                            "a,2023-01-25,09:00,\n"
                                            "a,2023-01-25,,10:00\n"
                                            "a,2023-01-25,9:00,10:00\n"
                                            "a,2023-01-25,09:00,24:00\n"
                                            "a,2023-01-26,20:00,02:00\n",
                                            "special_hours.csv");
  CHECK(summary.loaded == 2);
  CHECK(summary.rejected == 5);
  REQUIRE(summary.first_rejections.size() == 5);
  CHECK(summary.first_rejections[0] ==
        "special_hours.csv:3: bad date '2023-02-30' (want a real date YYYY-MM-DD)");
  CHECK_THAT(summary.first_rejections[1],
             Catch::StartsWith("special_hours.csv:4: start_time_local and end_time_local"));
  CHECK_THAT(summary.first_rejections[2],
             Catch::StartsWith("special_hours.csv:5: start_time_local and end_time_local"));
  CHECK_THAT(summary.first_rejections[3],
             Catch::StartsWith("special_hours.csv:6: bad start_time_local '9:00'"));
  CHECK_THAT(summary.first_rejections[4],
             Catch::StartsWith("special_hours.csv:7: bad end_time_local '24:00'"));
}

TEST_CASE("a later input replaces a (store, date)'s rows and leaves its other dates",
          "[special_hours][ingest]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  const auto rows_of = [&](const std::string& date) {
    SQLite::Statement query(db.sql(),
                            "SELECT count(*), sum(start_s IS NULL) FROM special_hours h "
                            "JOIN stores s ON s.id = h.store WHERE s.store_id = 'a' AND h.day = ?");
    query.bind(1, static_cast<std::int64_t>(parse_local_date(date)->time_since_epoch().count()));
    query.executeStep();
    return std::make_pair(query.getColumn(0).getInt(), query.getColumn(1).getInt());
  };
  import_text(db, Dataset::special_hours,
              "store_id,date,start_time_local,end_time_local\n"
              "a,2023-01-24,,\n"
              "a,2023-01-25,08:00,11:00\n"
              "a,2023-01-25,17:00,21:00\n"
              "b,2023-01-25,,\n");
  CHECK(rows_of("2023-01-24") == std::make_pair(1, 1));
  CHECK(rows_of("2023-01-25") == std::make_pair(2, 0));
  // A later input with the 25th: its rows replace both; the 24th stays.
  import_text(db, Dataset::special_hours,
              "store_id,date,start_time_local,end_time_local\n"
              "a,2023-01-25,,\n");
  CHECK(rows_of("2023-01-24") == std::make_pair(1, 1));
  CHECK(rows_of("2023-01-25") == std::make_pair(1, 1));
  // Deleting dates: one, then a range; an unknown store is said so.
  CHECK(delete_special_dates(db, "a", *parse_local_date("2023-01-24"),
                             *parse_local_date("2023-01-24")) == 1u);
  CHECK(rows_of("2023-01-24") == std::make_pair(0, 0));
  CHECK(delete_special_dates(db, "a", *parse_local_date("2023-01-01"),
                             *parse_local_date("2023-12-31")) == 1u);
  CHECK(delete_special_dates(db, "nobody", *parse_local_date("2023-01-01"),
                             *parse_local_date("2023-12-31")) == std::nullopt);
  CHECK(db.sql().execAndGet("SELECT count(*) FROM special_hours").getInt() == 1);  // b's
}

TEST_CASE("reports honour special dates read from the database", "[special_hours][report]") {
  // A store open 09:00-17:00 on weekdays (Chicago), always up, closed on
  // Tuesday 2023-01-24: the week before Thursday 2023-01-26 06:00Z (Wed
  // midnight local) has Thu 19th, Fri 20th, Mon 23rd and Wed 25th: 4 × 8 h.
  TempDir dir;
  const std::string path = dir.file("u.db");
  Database db(path);
  std::string polls = "store_id,status,timestamp_utc\n";
  for (int day = 18; day <= 26; ++day) {
    polls += "a,active,2023-01-" + std::to_string(day) + " 12:00:00\n";
  }
  import_text(db, Dataset::polls, polls);
  import_text(db, Dataset::hours,
              "store_id,dayOfWeek,start_time_local,end_time_local\n"
              "a,0,09:00,17:00\na,1,09:00,17:00\na,2,09:00,17:00\na,3,09:00,17:00\n"
              "a,4,09:00,17:00\n");
  ReportOptions options;
  options.as_of = at("2023-01-26 06:00:00");
  CHECK(report_csv(build_report(path, options)) ==
        "store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,"
        "downtime_last_day,downtime_last_week\na,0.00,8.00,40.00,0.00,0.00,0.00\n");
  import_text(db, Dataset::special_hours,
              "store_id,date,start_time_local,end_time_local\na,2023-01-24,,\n");
  CHECK(report_csv(build_report(path, options)) ==
        "store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,"
        "downtime_last_day,downtime_last_week\na,0.00,8.00,32.00,0.00,0.00,0.00\n");
}

TEST_CASE("a chunk of stores' schedules read at once are each store's as read alone",
          "[special_hours][report]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  // Keys 1-4: a (hours, special dates), b (none), c (hours only), d (special only).
  import_text(db, Dataset::zones,
              "store_id,timezone_str\na,America/Chicago\nb,UTC\nc,UTC\nd,Asia/Tokyo\n");
  import_text(db, Dataset::hours,
              "store_id,dayOfWeek,start_time_local,end_time_local\n"
              "a,2,09:00,17:00\na,0,22:00,02:00\na,0,06:00,08:00\nc,6,10:00,11:00\n");
  import_text(db, Dataset::special_hours,
              "store_id,date,start_time_local,end_time_local\n"
              "a,2023-01-20,,\na,2023-01-24,14:00,16:00\na,2023-01-24,08:00,10:00\n"
              "a,2023-03-01,,\nd,2023-01-22,09:00,10:00\nd,2022-12-01,,\n");
  const auto day = [](const char* text) {
    return static_cast<std::int64_t>(parse_local_date(text)->time_since_epoch().count());
  };
  const LocalDayRange read_days{day("2023-01-01"), day("2023-01-31")};
  ScheduleReader alone(db.sql());
  ScheduleChunk chunk(db.sql());
  chunk.read(2, 5, read_days);  // b, c, d: not a
  CHECK_FALSE(chunk.holds(1));
  CHECK_FALSE(chunk.holds(5));
  const auto text = [](const std::vector<WeeklyHoursRow>& hours,
                       const std::vector<SpecialDate>& special) {
    std::ostringstream out;
    for (const WeeklyHoursRow& row : hours)
      out << row.day << " " << row.start.count() << "-" << row.end.count() << "; ";
    for (const SpecialDate& date : special) {
      out << date.date.time_since_epoch().count() << ":";
      for (const SpecialHoursRow& row : date.rows)
        out << " " << row.closed << " " << row.start.count() << "-" << row.end.count();
      out << "; ";
    }
    return out.str();
  };
  for (const LocalDayRange days :
       {read_days, LocalDayRange{day("2023-01-21"), day("2023-01-31")}}) {
    chunk.read(1, 5, read_days);
    for (std::int64_t store = 1; store <= 4; ++store) {
      INFO("store " << store << ", days from " << days.first);
      const std::string expected = text(alone.hours(store), alone.special(store, days));
      CHECK(text(chunk.hours(store), chunk.special(store, days)) == expected);
      CHECK(text(chunk.hours(store), chunk.special(store, days)) == expected);  // asked again
    }
  }
  chunk.read(1, 5, read_days);
  CHECK(text(chunk.hours(1), chunk.special(1, read_days)) ==
        "0 21600-28800; 0 79200-7200; 2 32400-61200; 19377: 1 0-0; 19381: 0 28800-36000 0 "
        "50400-57600; ");
  CHECK(text(chunk.hours(4), chunk.special(4, read_days)) == "19379: 0 32400-36000; ");
}
