// libFuzzer target: business hours to UTC intervals and the report figures,
// for any zone of the tz database, any rows, any week between 1970 and 2100.
// Checks the intervals are sorted, merged and inside the range, and that up +
// down equals business time in every window.
#include <date/tz.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/business_hours.hpp"
#include "core/report.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

// Reads little-endian integers from the input; zeros once it runs out.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint64_t next(int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
      value |= std::uint64_t{pos_ < size_ ? data_[pos_++] : 0u} << (8 * i);
    return value;
  }
  bool done() const { return pos_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto& zones = date::get_tzdb().zones;
  Bytes bytes(data, size);
  const date::time_zone* zone = &zones[bytes.next(2) % zones.size()];
  std::vector<WeeklyHoursRow> hours(bytes.next(1) % 16);
  for (auto& row : hours) {
    row.day = static_cast<int>(bytes.next(1) % 7);
    row.start = std::chrono::seconds{bytes.next(3) % 86400};
    row.end = std::chrono::seconds{bytes.next(3) % 86400};
  }
  // `now` anywhere in 1970-2100, to the microsecond.
  const std::int64_t span_us = 130LL * 365 * 86400 * 1000000;
  const Instant now =
      from_micros(static_cast<std::int64_t>(bytes.next(8) % span_us) + 168LL * 3600 * 1000000);

  const FineInstant end = now;
  const FineInstant begin = end - std::chrono::hours{168};
  const auto open = business_intervals(hours, zone, begin, end);
  for (std::size_t i = 0; i < open.size(); ++i) {
    check(open[i].begin >= begin && open[i].end <= end && open[i].begin < open[i].end);
    if (i > 0) check(open[i - 1].end < open[i].begin);
  }
  if (hours.empty()) check(open.size() == 1 && open[0].begin == begin && open[0].end == end);

  StoreInput store{"s", {}, hours, zone};
  Instant at = now - std::chrono::hours{200};
  while (!bytes.done() && store.polls.size() < 400) {
    at += std::chrono::microseconds{1 + static_cast<std::int64_t>(bytes.next(3)) * 1000};
    store.polls.push_back({at, bytes.next(1) % 2 == 1});
  }
  for (auto mode : {Interpolation::nearest, Interpolation::previous}) {
    const auto figures = compute_store_figures(store, now, mode);
    if (!figures) continue;
    for (std::size_t w = 0; w < kWindowCount; ++w) {
      const FineInstant window_begin = end - window_length(static_cast<Window>(w));
      HalfMicroseconds business{0};
      for (const auto& interval : business_intervals(hours, zone, window_begin, end)) {
        business += interval.length();
      }
      check(figures->uptime[w] + figures->downtime[w] == business);
    }
  }
  return 0;
}
