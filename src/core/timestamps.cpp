#include "core/timestamps.hpp"

#include <cstdio>

namespace {

// Reads exactly `count` decimal digits at `pos`; false if any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

bool clock_fields_ok(int hour, int minute, int second) {
  return hour <= 23 && minute <= 59 && second <= 59;
}

}  // namespace

std::optional<Instant> parse_timestamp(std::string_view text) {
  // Fixed layout "YYYY-MM-DD?HH:MM:SS", then an optional fraction and the suffix.
  int year, month, day, hour, minute, second;
  if (text.size() < 19 || !read_digits(text, 0, 4, year) || text[4] != '-' ||
      !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day) ||
      !read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) ||
      text[16] != ':' || !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  const char separator = text[10];
  if (separator != ' ' && separator != 'T') return std::nullopt;
  if (!clock_fields_ok(hour, minute, second)) return std::nullopt;
  if (year == 0) return std::nullopt;  // years are 0001-9999, as rules §6 writes dates

  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && digits < 7) {
      micros = micros * 10 + (text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0 || digits > 6) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }

  const std::string_view suffix = text.substr(pos);
  const bool suffix_ok = separator == ' ' ? (suffix.empty() || suffix == " UTC")
                                          : (suffix == "Z" || suffix == "+00:00");
  if (!suffix_ok) return std::nullopt;

  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return Instant{date::sys_days{ymd}} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second} + std::chrono::microseconds{micros};
}

std::optional<std::chrono::seconds> parse_time_of_day(std::string_view text) {
  int hour, minute, second = 0;
  if (text.size() != 5 && text.size() != 8) return std::nullopt;
  if (!read_digits(text, 0, 2, hour) || text[2] != ':' || !read_digits(text, 3, 2, minute)) {
    return std::nullopt;
  }
  if (text.size() == 8 && (text[5] != ':' || !read_digits(text, 6, 2, second))) {
    return std::nullopt;
  }
  if (!clock_fields_ok(hour, minute, second)) return std::nullopt;
  return std::chrono::seconds{hour * 3600 + minute * 60 + second};
}

std::optional<std::chrono::seconds> parse_length(std::string_view text) {
  if (text.size() < 2 || text.size() > 12) return std::nullopt;
  const char unit = text.back();
  std::int64_t number = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + (c - '0');
  }
  if (number == 0) return std::nullopt;
  switch (unit) {
    case 's':
      return std::chrono::seconds{number};
    case 'm':
      return std::chrono::minutes{number};
    case 'h':
      return std::chrono::hours{number};
    default:
      return std::nullopt;
  }
}

std::string format_date(date::year_month_day ymd) {
  const int year = static_cast<int>(ymd.year());
  char text[32];
  if (year >= 1 && year <= 9999) {
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
  } else {
    std::snprintf(text, sizeof text, "%c%04d-%02u-%02u", year < 0 ? '-' : '+',
                  year < 0 ? -year : year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
  }
  return text;
}

std::string format_timestamp(Instant instant) {
  const auto day = date::floor<date::days>(instant);
  const date::hh_mm_ss<std::chrono::microseconds> time{instant - day};
  char clock[32];
  std::snprintf(clock, sizeof clock, "T%02d:%02d:%02d.%06lldZ",
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()),
                static_cast<long long>(time.subseconds().count()));
  return format_date(date::year_month_day{day}) + clock;
}

std::string format_time_of_day(std::chrono::seconds since_midnight) {
  const auto s = since_midnight.count();
  char text[64];
  std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return text;
}
