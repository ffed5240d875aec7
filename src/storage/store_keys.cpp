#include "storage/store_keys.hpp"

#include <SQLiteCpp/Statement.h>

#include <cstring>
#include <functional>
#include <stdexcept>
#include <utility>

#include "storage/embedded_sql.hpp"

namespace {
std::uint64_t hash_of(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}
}  // namespace

StoreKeys::StoreKeys(SQLite::Database& db) : slots_(1024) {
  SQLite::Statement all(db, sql::query("store_keys"));
  while (all.executeStep()) {
    const std::int64_t key = all.getColumn(0).getInt64();
    const std::string store_id = all.getColumn(1).getString();
    add(store_id, hash_of(store_id), key);
    next_key_ = std::max(next_key_, key + 1);
  }
  first_new_key_ = next_key_;
}

StoreKeys::Slot& StoreKeys::find_slot(std::string_view store_id, std::uint64_t hash) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.key == 0) return slot;
    if (slot.hash == hash && slot.length == store_id.size() &&
        std::memcmp(slot.id, store_id.data(), store_id.size()) == 0) {
      return slot;
    }
  }
}

void StoreKeys::add(std::string_view store_id, std::uint64_t hash, std::int64_t key) {
  if (store_id.size() > kMaxIdBytes) {
    throw std::logic_error("store id longer than 64 bytes reached StoreKeys");
  }
  if (2 * (used_ + 1) > slots_.size()) {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.key != 0) find_slot({slot.id, slot.length}, slot.hash) = slot;
    }
  }
  Slot& slot = find_slot(store_id, hash);
  slot.hash = hash;
  slot.key = key;
  slot.length = static_cast<std::uint8_t>(store_id.size());
  std::memcpy(slot.id, store_id.data(), store_id.size());
  ++used_;
}

std::int64_t StoreKeys::key_of(std::string_view store_id) {
  const std::uint64_t hash = hash_of(store_id);
  const Slot& slot = find_slot(store_id, hash);
  if (slot.key != 0) return slot.key;
  add(store_id, hash, next_key_);
  pending_.push_back({next_key_, std::string(store_id)});
  return next_key_++;
}

std::vector<StoreKeys::NewStore> StoreKeys::take_pending() {
  return std::exchange(pending_, {});
}

void insert_stores(SQLite::Statement& insert, const std::vector<StoreKeys::NewStore>& stores) {
  for (const auto& store : stores) {
    insert.bind(1, store.key);
    insert.bind(2, store.store_id);
    insert.exec();
    insert.reset();
  }
}
