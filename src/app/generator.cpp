#include "app/generator.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

// A small deterministic random source: the same seed gives the same files
// on every platform (no std distributions, whose output is unspecified).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t bits() { return engine_(); }
  // Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

  template <class T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

struct WeightedZone {
  const char* name;  // nullptr: the store has no time zone row
  double weight;
};

// Skewed as in the real data: mostly US zones, a few others, ~10% missing.
const std::vector<WeightedZone> kZones = {
    {"America/New_York", 0.28},
    {"America/Chicago", 0.22},
    {"America/Los_Angeles", 0.18},
    {"America/Denver", 0.08},
    {"America/Phoenix", 0.05},
    {"America/Boise", 0.02},
    {"America/Detroit", 0.02},
    {"Pacific/Honolulu", 0.01},
    {"Asia/Beirut", 0.01},
    {"Asia/Kolkata", 0.01},
    {"America/Indiana/Indianapolis", 0.02},
    {nullptr, 0.10},
};

const char* pick_zone(Random& random) {
  double r = random.unit();
  for (const auto& zone : kZones) {
    if (r < zone.weight) return zone.name;
    r -= zone.weight;
  }
  return nullptr;
}

struct HoursRow {
  int day;
  int start;  // seconds after local midnight
  int end;
};

int hm(int hours, int minutes) {
  return hours * 3600 + minutes * 60;
}

// The week of one store, in one of the shapes the real data shows.
std::vector<HoursRow> pick_hours(Random& random) {
  std::vector<HoursRow> rows;
  const double shape = random.unit();
  if (shape < 0.18) return rows;  // no rows: open 24x7
  const int closed_day = random.chance(0.3) ? static_cast<int>(random.below(7)) : -1;
  for (int day = 0; day < 7; ++day) {
    if (day == closed_day) continue;
    if (shape < 0.50) {  // one shift, e.g. 10:30-22:00
      rows.push_back(
          {day, hm(9 + static_cast<int>(random.below(4)), 30 * static_cast<int>(random.below(2))),
           hm(20 + static_cast<int>(random.below(4)), 0)});
    } else if (shape < 0.70) {  // split shift
      rows.push_back({day, hm(11, 0), hm(14, 30)});
      rows.push_back({day, hm(17, 0), hm(22, 0)});
    } else if (shape < 0.80) {  // overnight
      rows.push_back({day, hm(18, 0), hm(2, static_cast<int>(random.below(4)) * 15)});
    } else if (shape < 0.92) {  // the real data's "all day" forms
      rows.push_back({day, 0, random.chance(0.5) ? hm(23, 59) : hm(23, 59) + 59});
    } else {  // end == start: 24 hours from the opening time
      rows.push_back({day, hm(6, 0), hm(6, 0)});
    }
  }
  return rows;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_for_writing(const std::filesystem::path& path) {
  File file(std::fopen(path.string().c_str(), "wb"));
  if (!file) throw std::runtime_error("cannot write '" + path.string() + "'");
  std::setvbuf(file.get(), nullptr, _IOFBF, 1 << 20);
  return file;
}

void finish(File& file, const std::filesystem::path& path) {
  if (std::ferror(file.get()) || std::fclose(file.release()) != 0) {
    throw std::runtime_error("error writing '" + path.string() + "'");
  }
}

// A CSV file: the header line, then the lines as given.
void write_lines(const std::filesystem::path& path, const char* header,
                 const std::vector<std::string>& lines) {
  File file = open_for_writing(path);
  std::fprintf(file.get(), "%s\n", header);
  for (const auto& line : lines) std::fprintf(file.get(), "%s\n", line.c_str());
  finish(file, path);
}

// A poll drawn for an hour, written by another thread.
struct DrawnPoll {
  std::size_t store;  // index into the stores
  bool active;
  Instant at;
};

// Writes `digits` decimal digits of `value` (zero-padded) at `out`.
char* put_digits(char* out, std::int64_t value, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + digits;
}

// Poll lines formatted by hand into a buffer: date::format through a stream
// took most of the generator's time (0.49 M polls/s). The same bytes:
// "id,active,2023-01-17 18:27:27.832426 UTC".
class PollLines {
 public:
  PollLines() { text_.reserve(kFlushBytes + 128); }

  void add(const std::string& id, bool active, Instant at) {
    text_ += id;
    text_ += active ? ",active," : ",inactive,";
    const auto day = date::floor<date::days>(at);
    const date::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) {  // outside what four digits write
      text_ += date::format("%F %T", at) + " UTC\n";
      return;
    }
    const std::int64_t micros = (at - day).count();  // into the day, [0, 86400e6)
    char line[40];
    char* out = put_digits(line, year, 4);
    *out++ = '-';
    out = put_digits(out, static_cast<unsigned>(ymd.month()), 2);
    *out++ = '-';
    out = put_digits(out, static_cast<unsigned>(ymd.day()), 2);
    *out++ = ' ';
    out = put_digits(out, micros / 3600000000LL, 2);
    *out++ = ':';
    out = put_digits(out, micros / 60000000LL % 60, 2);
    *out++ = ':';
    out = put_digits(out, micros / 1000000LL % 60, 2);
    *out++ = '.';
    out = put_digits(out, micros % 1000000LL, 6);
    text_.append(line, out);
    text_ += " UTC\n";
  }
  bool full() const { return text_.size() >= kFlushBytes; }
  void flush(std::FILE* file) {
    std::fwrite(text_.data(), 1, text_.size(), file);
    text_.clear();
  }

 private:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  std::string text_;
};

// Special dates on their own random stream, so the polls, hours and zones of
// a seed stay what they were: one store in five is closed on one local date
// of the range (a holiday), one in ten has a short day (11:00-15:00).
std::vector<std::string> pick_special_hours(const std::vector<std::string>& ids,
                                            const GeneratorSettings& settings) {
  Random random(settings.seed ^ 0x5bd1e995ULL);
  const auto last = date::floor<date::days>(settings.end);
  const auto first = last - date::days{settings.days};
  const auto some_date = [&] {
    const auto day = first + date::days{static_cast<int>(random.below(settings.days + 1))};
    return date::format("%F", day);
  };
  std::vector<std::string> lines;
  for (const std::string& id : ids) {
    if (random.chance(0.2)) lines.push_back(id + "," + some_date() + ",,");
    if (random.chance(0.1)) lines.push_back(id + "," + some_date() + ",11:00,15:00");
  }
  random.shuffle(lines);
  return lines;
}

}  // namespace

Instant default_generator_end() {
  return Instant{date::sys_days{date::year{2023} / 1 / 25}} + std::chrono::hours{18};
}

GeneratedCounts generate_data_set(const GeneratorSettings& settings, const std::string& directory) {
  namespace fs = std::filesystem;
  fs::create_directories(directory);
  Random random(settings.seed);
  GeneratedCounts counts;

  struct Store {
    std::string id;
    double keep;         // share of hourly polls that arrive
    bool active = true;  // current state of the outage chain
  };
  std::vector<Store> stores(settings.stores);
  std::vector<std::string> zone_lines;
  std::vector<std::string> hours_lines;
  for (Store& store : stores) {
    store.id = std::to_string(random.bits() >> 1);  // 63-bit decimal, like the real ids
    // Most stores report almost every hour; some have long gaps (20-80% kept).
    store.keep = random.chance(0.7) ? 0.9 + 0.1 * random.unit() : 0.2 + 0.6 * random.unit();
    if (const char* zone = pick_zone(random)) zone_lines.push_back(store.id + "," + zone);
    for (const HoursRow& row : pick_hours(random)) {
      hours_lines.push_back(store.id + "," + std::to_string(row.day) + "," +
                            format_time_of_day(std::chrono::seconds{row.start}) + "," +
                            format_time_of_day(std::chrono::seconds{row.end}));
    }
  }
  random.shuffle(zone_lines);
  random.shuffle(hours_lines);
  std::vector<std::string> ids;
  for (const Store& store : stores) ids.push_back(store.id);
  const std::vector<std::string> special_lines = pick_special_hours(ids, settings);

  write_lines(fs::path(directory) / "timezones.csv", "store_id,timezone_str", zone_lines);
  counts.zone_rows = zone_lines.size();
  write_lines(fs::path(directory) / "menu_hours.csv",
              "store_id,dayOfWeek,start_time_local,end_time_local", hours_lines);
  counts.hours_rows = hours_lines.size();
  write_lines(fs::path(directory) / "special_hours.csv",
              "store_id,date,start_time_local,end_time_local", special_lines);
  counts.special_rows = special_lines.size();

  // Polls hour by hour, stores in a new random order each hour, each poll
  // jittered by up to ±10 minutes: roughly time-ordered, like the real file.
  // One thread draws an hour's polls while another writes the hour before.
  const fs::path polls_path = fs::path(directory) / "store_status.csv";
  File polls = open_for_writing(polls_path);
  std::fputs("store_id,status,timestamp_utc\n", polls.get());
  std::vector<std::size_t> order(stores.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto hours_total = static_cast<long>(settings.days) * 24;
  const Instant first_hour = settings.end - std::chrono::hours{hours_total};
  std::vector<DrawnPoll> drawn, to_write;
  std::future<void> writing;
  const auto write_hour = [&stores, &to_write, file = polls.get()] {
    PollLines lines;
    for (const DrawnPoll& poll : to_write) {
      lines.add(stores[poll.store].id, poll.active, poll.at);
      if (lines.full()) lines.flush(file);
    }
    lines.flush(file);
  };
  for (long hour = 0; hour < hours_total; ++hour) {
    if (hour % settings.poll_every_hours != 0) continue;
    random.shuffle(order);
    drawn.clear();
    for (std::size_t index : order) {
      Store& store = stores[index];
      // Outages come in streaks: a short Markov chain per store.
      store.active = store.active ? !random.chance(0.03) : random.chance(0.35);
      if (!random.chance(store.keep)) continue;
      const auto jitter = std::chrono::microseconds{
          static_cast<std::int64_t>(random.below(20 * 60 * 1000000ULL)) - 10 * 60 * 1000000LL};
      const Instant at = first_hour + std::chrono::hours{hour} + std::chrono::minutes{30} + jitter;
      drawn.push_back({index, store.active, at});
    }
    counts.polls += drawn.size();
    if (writing.valid()) writing.get();
    std::swap(drawn, to_write);
    writing = std::async(std::launch::async, write_hour);
  }
  if (writing.valid()) writing.get();
  finish(polls, polls_path);
  return counts;
}
