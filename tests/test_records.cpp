// rules §1 reading rules: columns by header name, and what makes a row bad.
#include <catch2/catch.hpp>

#include "core/records.hpp"

using Fields = std::vector<std::string>;

namespace {
ColumnMap columns_for(Dataset dataset, const Fields& header) {
  ColumnMap columns;
  std::string missing;
  REQUIRE(map_columns(dataset, header, columns, missing));
  return columns;
}
}  // namespace

TEST_CASE("header names match case-insensitively, in any order, extras ignored", "[records]") {
  const auto columns = columns_for(Dataset::polls, {"note", "TimeStamp_UTC", "STATUS", "Store_Id"});
  PollRecord poll;
  CHECK(parse_poll({"x", "2023-01-22 12:00:00", "Active", "s1"}, columns, poll).empty());
  CHECK(poll.store_id == "s1");
  CHECK(poll.active);
}

TEST_CASE("a missing column is named in the error", "[records]") {
  ColumnMap columns;
  std::string missing;
  CHECK_FALSE(map_columns(Dataset::polls, {"store_id", "status"}, columns, missing));
  CHECK(missing == "timestamp_utc");
  CHECK_FALSE(map_columns(Dataset::hours, {"store_id", "start_time_local", "end_time_local"},
                          columns, missing));
  CHECK(missing == "dayOfWeek");
  CHECK_FALSE(map_columns(Dataset::zones, {"store_id", "timezone"}, columns, missing));
  CHECK(missing == "timezone_str");
}

TEST_CASE("hours accept `day` for dayOfWeek, and prefer dayOfWeek when both exist", "[records]") {
  HoursRecord row;
  const auto with_day =
      columns_for(Dataset::hours, {"store_id", "day", "start_time_local", "end_time_local"});
  CHECK(parse_hours({"s", "3", "09:00", "17:00"}, with_day, row).empty());
  CHECK(row.day == 3);

  const auto both = columns_for(
      Dataset::hours, {"day", "store_id", "DayOfWeek", "start_time_local", "end_time_local"});
  CHECK(parse_hours({"5", "s", "1", "09:00", "17:00"}, both, row).empty());
  CHECK(row.day == 1);
}

TEST_CASE("status is active or inactive in any case, and nothing else", "[records]") {
  const auto columns = columns_for(Dataset::polls, {"store_id", "status", "timestamp_utc"});
  PollRecord poll;
  for (const char* status : {"active", "ACTIVE", "AcTiVe"}) {
    CHECK(parse_poll({"s", status, "2023-01-22 12:00:00"}, columns, poll).empty());
    CHECK(poll.active);
  }
  for (const char* status : {"inactive", "INACTIVE", "iNaCtIvE"}) {
    CHECK(parse_poll({"s", status, "2023-01-22 12:00:00"}, columns, poll).empty());
    CHECK_FALSE(poll.active);
  }
  for (const char* status : {" active", "active ", "maybe", "", "1", "activ"}) {
    INFO("'" << status << "'");
    CHECK_FALSE(parse_poll({"s", status, "2023-01-22 12:00:00"}, columns, poll).empty());
  }
}

TEST_CASE("a bad timestamp makes a bad poll row", "[records]") {
  const auto columns = columns_for(Dataset::polls, {"store_id", "status", "timestamp_utc"});
  PollRecord poll;
  const auto error = parse_poll({"s", "active", "2023-01-22 12:00:00 utc"}, columns, poll);
  CHECK(error.find("timestamp_utc") != std::string::npos);
}

TEST_CASE("rows with fewer fields than the header are bad, extra fields are ignored", "[records]") {
  const auto columns = columns_for(Dataset::polls, {"store_id", "status", "timestamp_utc"});
  PollRecord poll;
  CHECK_FALSE(parse_poll({"s", "active"}, columns, poll).empty());
  CHECK(parse_poll({"s", "active", "2023-01-22 12:00:00", "extra", "more"}, columns, poll).empty());
}

TEST_CASE("store ids: 1-64 bytes, no control characters, kept exactly", "[records]") {
  CHECK(check_store_id("8419537941919820732").empty());
  CHECK(check_store_id("store_001").empty());
  CHECK(check_store_id("caf\xC3\xA9, \"quoted\"").empty());
  CHECK(check_store_id(std::string(64, 'x')).empty());
  CHECK_FALSE(check_store_id("").empty());
  CHECK_FALSE(check_store_id(std::string(65, 'x')).empty());
  CHECK_FALSE(check_store_id("tab\there").empty());
  CHECK_FALSE(check_store_id("new\nline").empty());
  CHECK_FALSE(check_store_id(std::string("nul\0x", 5)).empty());

  const auto columns = columns_for(Dataset::zones, {"store_id", "timezone_str"});
  ZoneRecord zone;
  CHECK(parse_zone({" padded ", "America/Denver"}, columns, zone).empty());
  CHECK(zone.store_id == " padded ");
}

TEST_CASE("store ids must be UTF-8 text", "[records]") {
  CHECK(check_store_id("caf\xc3\xa9").empty());
  CHECK(check_store_id("\xff") == "store_id is not valid UTF-8 text");
  CHECK(check_store_id("a\xc3\x28") == "store_id is not valid UTF-8 text");
}

TEST_CASE("dayOfWeek is one digit 0-6, times have two-digit fields", "[records]") {
  const auto columns =
      columns_for(Dataset::hours, {"store_id", "dayOfWeek", "start_time_local", "end_time_local"});
  HoursRecord row;
  CHECK(parse_hours({"s", "0", "00:00", "23:59:59"}, columns, row).empty());
  CHECK(row.start.count() == 0);
  CHECK(row.end.count() == 86399);
  for (const Fields& bad : {Fields{"s", "7", "09:00", "17:00"}, Fields{"s", "-1", "09:00", "17:00"},
                            Fields{"s", "01", "09:00", "17:00"}, Fields{"s", "", "09:00", "17:00"},
                            Fields{"s", "1", "9:00", "17:00"}, Fields{"s", "1", "09:00", "24:00"},
                            Fields{"s", "1", "25:00", "25:00"}, Fields{"s", "1", "09:00", ""}}) {
    INFO(bad[1] << " " << bad[2] << " " << bad[3]);
    CHECK_FALSE(parse_hours(bad, columns, row).empty());
  }
}

TEST_CASE("zone names are case-sensitive tz database names, links included", "[records]") {
  const auto columns = columns_for(Dataset::zones, {"store_id", "timezone_str"});
  ZoneRecord zone;
  CHECK(parse_zone({"s", "America/New_York"}, columns, zone).empty());
  CHECK(parse_zone({"s", "US/Eastern"}, columns, zone).empty());
  CHECK(parse_zone({"s", "Asia/Kathmandu"}, columns, zone).empty());
  CHECK(parse_zone({"s", "UTC"}, columns, zone).empty());
  for (const char* bad :
       {"america/new_york", "Nowhere/Special", "", " America/Denver", "EST5EDT "}) {
    INFO("'" << bad << "'");
    const auto error = parse_zone({"s", bad}, columns, zone);
    CHECK(error.find("unknown time zone") != std::string::npos);
  }
}
