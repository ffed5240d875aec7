#include "core/store_input.hpp"

#include <algorithm>

std::vector<Poll> polls_until(const StoreInput& store, Instant now) {
  const auto end =
      std::upper_bound(store.polls.begin(), store.polls.end(), now,
                       [](Instant instant, const Poll& poll) { return instant < poll.at; });
  return {store.polls.begin(), end};
}
