#include "core/store_state.hpp"

const char* store_state_name(StoreState state) {
  switch (state) {
    case StoreState::up:
      return "up";
    case StoreState::down:
      return "down";
    case StoreState::unknown:
      return "unknown";
    case StoreState::closed:
      return "closed";
    case StoreState::no_data:
      return "no_data";
  }
  return "";
}

std::optional<StoreState> parse_store_state(std::string_view name) {
  for (StoreState state : kStoreStates) {
    if (name == store_state_name(state)) return state;
  }
  return std::nullopt;
}

StoreState open_store_state(StoreStatus status) {
  switch (status) {
    case StoreStatus::active:
      return StoreState::up;
    case StoreStatus::inactive:
      return StoreState::down;
    case StoreStatus::unknown:
      return StoreState::unknown;
  }
  return StoreState::unknown;
}
