// The core's measure of time: half microseconds, so that the midpoint between
// two polls given in microseconds is exact (see timeline.hpp), and half-open
// UTC intervals of it.
#pragma once

#include <date/date.h>

#include <chrono>
#include <cstdint>

#include "core/timestamps.hpp"

using HalfMicroseconds = std::chrono::duration<std::int64_t, std::ratio<1, 2'000'000>>;
using FineInstant = date::sys_time<HalfMicroseconds>;

// A half-open UTC interval [begin, end).
struct Interval {
  FineInstant begin;
  FineInstant end;
  HalfMicroseconds length() const { return end - begin; }
  bool operator==(const Interval& other) const { return begin == other.begin && end == other.end; }
};
