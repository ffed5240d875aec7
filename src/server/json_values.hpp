// Values as every JSON answer writes them: an instant of the core's finer
// time, a percentage of hundredths, a max_gap (null for none).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/rounding.hpp"
#include "core/timeline.hpp"

// "2023-01-24T09:00:00.000000Z"; the half microsecond, if any, dropped.
inline std::string utc_text(FineInstant instant) {
  return format_timestamp(date::floor<std::chrono::microseconds>(instant));
}

// 100 * part / whole to two decimals as a number; null when `whole` is zero.
inline nlohmann::json percent_json(HalfMicroseconds part, HalfMicroseconds whole) {
  const auto percent = percent_hundredths(part, whole);
  return percent ? nlohmann::json(static_cast<double>(*percent) / 100.0) : nlohmann::json(nullptr);
}

// "2h", "90m"; null without max_gap.
inline nlohmann::json max_gap_json(const std::optional<std::chrono::seconds>& max_gap) {
  return max_gap ? nlohmann::json(format_max_gap(*max_gap)) : nlohmann::json(nullptr);
}
