// What a store is at an instant or over a stretch, as people read it: up,
// down, unknown (inside business hours, rules §4 and §5) or closed. One type
// for the status at now (report.hpp) and a week's segments (store_timeline).
#pragma once

#include <optional>
#include <string_view>

#include "core/timeline.hpp"

// no_data: no poll yet (only the live state, rules §10, is ever that).
enum class StoreState { up, down, unknown, closed, no_data };
// Every state, in the order answers list them.
constexpr StoreState kStoreStates[] = {StoreState::up, StoreState::down, StoreState::closed,
                                       StoreState::unknown, StoreState::no_data};

// "up", "down", "unknown", "closed", "no_data": as answers and the page write them.
const char* store_state_name(StoreState state);
// The state of such a name; nullopt for any other text.
std::optional<StoreState> parse_store_state(std::string_view name);

// The state of a time with this status while the store is open.
StoreState open_store_state(StoreStatus status);
