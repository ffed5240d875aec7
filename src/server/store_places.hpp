// Where each store of the live fleet is in its vector of entries
// (live_fleet.hpp), by key and by store_id, in 8 bytes a store. Keys are the
// stores table's rowids, numbered from 1, so a vector indexed by key finds
// them; ids are found by bisection over the places sorted by id. The two
// unordered maps this replaces took about 140 bytes a store (their nodes,
// buckets and a copy of every id): 140 MB at a million stores.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

class StorePlaces {
 public:
  // The store with `key` is at `place`; its id is indexed by index_ids.
  void add(std::int64_t key, std::size_t place) {
    if (key < 1 || key > kMaxKey || place >= kMaxKey) {
      throw std::runtime_error("store key " + std::to_string(key) + " is out of range");
    }
    const auto at = static_cast<std::size_t>(key);
    if (at >= by_key_.size()) by_key_.resize(std::max(at + 1, by_key_.size() * 3 / 2));
    by_key_[at] = static_cast<std::uint32_t>(place + 1);
    by_id_.push_back(static_cast<std::uint32_t>(place));
  }

  std::optional<std::size_t> by_key(std::int64_t key) const {
    if (key < 1 || static_cast<std::uint64_t>(key) >= by_key_.size()) return std::nullopt;
    const std::uint32_t place = by_key_[static_cast<std::size_t>(key)];
    if (place == 0) return std::nullopt;
    return place - 1;
  }

  // Sorts the places added since the last call in among the others by id;
  // `id_of(place)` gives a place's store_id. Before any by_id after an add.
  template <class IdOf>
  void index_ids(IdOf id_of) {
    const auto by = [&id_of](std::uint32_t a, std::uint32_t b) { return id_of(a) < id_of(b); };
    const auto added = by_id_.begin() + static_cast<std::ptrdiff_t>(indexed_);
    std::sort(added, by_id_.end(), by);
    std::inplace_merge(by_id_.begin(), added, by_id_.end(), by);
    indexed_ = by_id_.size();
  }

  template <class IdOf>
  std::optional<std::size_t> by_id(const std::string& id, IdOf id_of) const {
    const auto end = by_id_.begin() + static_cast<std::ptrdiff_t>(indexed_);
    const auto found = std::lower_bound(
        by_id_.begin(), end, id,
        [&id_of](std::uint32_t place, const std::string& wanted) { return id_of(place) < wanted; });
    if (found == end || id_of(*found) != id) return std::nullopt;
    return *found;
  }

 private:
  static constexpr std::int64_t kMaxKey = 0xFFFFFFFE;  // places are 32 bits, plus one
  std::vector<std::uint32_t> by_key_;                  // place + 1 by key; 0: none
  std::vector<std::uint32_t> by_id_;                   // places, sorted by id up to indexed_
  std::size_t indexed_ = 0;
};
