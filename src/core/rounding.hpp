// The one rounding rule of every figure (docs/rules.md §7): hundredths of a unit,
// rounded half away from zero, in integers (no binary floating point).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/fine_time.hpp"

// `length` in hundredths of `unit`: 6000 for 60 minutes in minutes.
std::int64_t hundredths(HalfMicroseconds length, HalfMicroseconds unit);

// "60.00", "23.50", "-0.01": hundredths as text with exactly two decimals.
std::string format_hundredths(std::int64_t value);
// The same appended to `text` (a report's CSV: no string per figure).
void append_hundredths(std::string& text, std::int64_t value);

// 100 * part / whole in hundredths of a percent (9375 for 93.75 %); nullopt
// when `whole` is zero. Exact for lengths up to 400 days.
std::optional<std::int64_t> percent_hundredths(HalfMicroseconds part, HalfMicroseconds whole);
