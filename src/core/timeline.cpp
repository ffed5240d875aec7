#include "timeline.hpp"

#include <algorithm>

const char* interpolation_name(Interpolation interpolation) {
  return interpolation == Interpolation::nearest ? "nearest" : "previous";
}

std::optional<Interpolation> parse_interpolation(const std::string& name) {
  if (name == "nearest") return Interpolation::nearest;
  if (name == "previous") return Interpolation::previous;
  return std::nullopt;
}

std::vector<StatusSpan> status_timeline(const std::vector<Poll>& polls, Interpolation interpolation,
                                        FineInstant from, FineInstant to) {
  std::vector<StatusSpan> spans;
  if (polls.empty() || from >= to) return spans;

  auto append = [&](FineInstant begin, FineInstant end, bool active) {
    begin = std::max(begin, from);
    end = std::min(end, to);
    if (begin >= end) return;
    if (!spans.empty() && spans.back().active == active && spans.back().end == begin) {
      spans.back().end = end;
    } else {
      spans.push_back({begin, end, active});
    }
  };

  // Poll i holds from `begin` until the moment poll i+1 takes over: the
  // midpoint between them (exact in half microseconds; the later poll owns the
  // midpoint itself), or poll i+1's own instant for `previous`. The first poll
  // also holds before itself and the last one after itself.
  FineInstant begin = from;
  for (std::size_t i = 0; i < polls.size(); ++i) {
    FineInstant end = to;
    if (i + 1 < polls.size()) {
      const FineInstant current = polls[i].at;
      const FineInstant next = polls[i + 1].at;
      end = interpolation == Interpolation::nearest ? current + (next - current) / 2 : next;
    }
    append(begin, end, polls[i].active);
    begin = end;
    if (begin >= to) break;
  }
  return spans;
}
