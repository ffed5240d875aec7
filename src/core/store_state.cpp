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
  }
  return "";
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
