#include "core/timeline.hpp"

#include <algorithm>

const char* interpolation_name(Interpolation interpolation) {
  return interpolation == Interpolation::nearest ? "nearest" : "previous";
}

std::optional<Interpolation> parse_interpolation(const std::string& name) {
  if (name == "nearest") return Interpolation::nearest;
  if (name == "previous") return Interpolation::previous;
  return std::nullopt;
}

std::optional<std::chrono::seconds> parse_max_gap(std::string_view text) {
  const auto length = parse_length(text);
  if (!length || *length > kMaxGapLimit) return std::nullopt;
  return length;
}

std::string format_max_gap(std::chrono::seconds max_gap) {
  const auto count = max_gap.count();
  if (count % 3600 == 0) return std::to_string(count / 3600) + "h";
  if (count % 60 == 0) return std::to_string(count / 60) + "m";
  return std::to_string(count) + "s";
}

std::vector<StatusSpan> status_timeline(const std::vector<Poll>& polls, const StatusRules& rules,
                                        FineInstant from, FineInstant to) {
  std::vector<StatusSpan> spans;
  if (polls.empty() || from >= to) return spans;

  auto append = [&](FineInstant begin, FineInstant end, StoreStatus status) {
    begin = std::max(begin, from);
    end = std::min(end, to);
    if (begin >= end) return;
    if (!spans.empty() && spans.back().status == status && spans.back().end == begin) {
      spans.back().end = end;
    } else {
      spans.push_back({begin, end, status});
    }
  };

  // How far a poll speaks for its surroundings with max_gap G: G / 2 on
  // each side (nearest; exact in half microseconds), or from the poll to G
  // after it (previous). Without max_gap, all of its share (below).
  const bool nearest = rules.interpolation == Interpolation::nearest;
  HalfMicroseconds reach_before{0};
  HalfMicroseconds reach_after{0};
  if (rules.max_gap) {
    const HalfMicroseconds gap = *rules.max_gap;
    reach_before = nearest ? gap / 2 : HalfMicroseconds{0};
    reach_after = nearest ? gap / 2 : gap;
  }

  // Poll i owns [begin, end): from where poll i-1 gives way to the moment
  // poll i+1 takes over: the midpoint between them (exact in half
  // microseconds; the later poll owns the midpoint itself), or poll i+1's own
  // instant for `previous`. The first poll also owns the time before itself
  // and the last one the time after. With max_gap a poll speaks only for the
  // part of its share it reaches, and no other poll reaches into it (any
  // other is farther away, or for `previous` older), so the rest is unknown:
  // for `previous` that includes all time before the first poll (rules §5).
  // Polls before the last one at or before `from` own nothing in [from, to):
  // start there (a period of a day reads a store's polls of many).
  const auto after_from =
      std::upper_bound(polls.begin(), polls.end(), from,
                       [](FineInstant instant, const Poll& poll) { return instant < poll.at; });
  const std::size_t first =
      after_from == polls.begin() ? 0 : static_cast<std::size_t>(after_from - polls.begin()) - 1;
  FineInstant begin = from;
  for (std::size_t i = first; i < polls.size(); ++i) {
    const FineInstant current = polls[i].at;
    FineInstant end = to;
    if (i + 1 < polls.size()) {
      const FineInstant next = polls[i + 1].at;
      end = nearest ? current + (next - current) / 2 : next;
    }
    FineInstant known_begin = begin;
    FineInstant known_end = end;
    if (rules.max_gap) {
      known_begin = std::max(begin, current - reach_before);
      known_end = std::min(end, current + reach_after);
    }
    const StoreStatus status = polls[i].active ? StoreStatus::active : StoreStatus::inactive;
    if (known_begin >= known_end) {
      append(begin, end, StoreStatus::unknown);
    } else {
      append(begin, known_begin, StoreStatus::unknown);
      append(known_begin, known_end, status);
      append(known_end, end, StoreStatus::unknown);
    }
    begin = end;
    if (begin >= to) break;
  }
  return spans;
}
