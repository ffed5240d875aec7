// libFuzzer target: the timestamp and time-of-day parsers. Whatever parses
// must print back to text that parses to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/timestamps.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto instant = parse_timestamp(text)) {
    if (parse_timestamp(format_timestamp(*instant)) != instant) std::abort();
    // Every accepted form has the date and time at fixed places.
    if (text.size() < 19 || (text[10] != ' ' && text[10] != 'T')) std::abort();
  }
  if (auto seconds = parse_time_of_day(text)) {
    if (seconds->count() < 0 || seconds->count() >= 86400) std::abort();
    if (parse_time_of_day(format_time_of_day(*seconds)) != seconds) std::abort();
  }
  return 0;
}
