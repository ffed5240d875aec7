#include "core/rounding.hpp"

#include <charconv>

namespace {

// numerator / denominator rounded half away from zero (denominator > 0):
// (2|n| + d) / 2d, exact in integers. |n| stays below 2^62 / 2 for every
// length this is used with (400 days is 6.9e13 half microseconds; times
// 10^4 for a percent, 6.9e17).
std::int64_t divide_rounding(std::int64_t numerator, std::int64_t denominator) {
  const std::int64_t magnitude = numerator < 0 ? -numerator : numerator;
  const std::int64_t rounded = (2 * magnitude + denominator) / (2 * denominator);
  return numerator < 0 ? -rounded : rounded;
}

}  // namespace

std::int64_t hundredths(HalfMicroseconds length, HalfMicroseconds unit) {
  // One hundredth of a minute or an hour is a whole number of half microseconds.
  return divide_rounding(length.count(), unit.count() / 100);
}

std::string format_hundredths(std::int64_t value) {
  std::string text;
  append_hundredths(text, value);
  return text;
}

void append_hundredths(std::string& text, std::int64_t value) {
  const std::int64_t magnitude = value < 0 ? -value : value;
  char digits[24];  // an int64's 19 digits and more
  const auto end = std::to_chars(digits, digits + sizeof digits, magnitude / 100).ptr;
  if (value < 0) text += '-';
  text.append(digits, end);
  const auto cents = static_cast<char>(magnitude % 100);
  text += '.';
  text += static_cast<char>('0' + cents / 10);
  text += static_cast<char>('0' + cents % 10);
}

std::optional<std::int64_t> percent_hundredths(HalfMicroseconds part, HalfMicroseconds whole) {
  if (whole.count() == 0) return std::nullopt;
  return divide_rounding(part.count() * 10000, whole.count());
}
