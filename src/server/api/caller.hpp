// Who is asking, as the router decided from the request's token: passed to
// every handler, so a handler that reads stores shows in its signature
// whether it cuts them to the caller's scope.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "common/errors.hpp"
#include "core/access.hpp"
#include "core/report.hpp"

struct Caller {
  // An owner's stores; nullopt: every store (any other role, or no tokens).
  std::optional<std::set<std::string>> stores;
  // The role of the token the request carried; nullopt: none (a server with
  // no tokens, or an open route).
  std::optional<Role> role;

  bool is_owner() const { return stores.has_value(); }

  // How many stores of `all` the caller sees (an owner: its own).
  std::int64_t store_count(std::int64_t all) const {
    return stores ? static_cast<std::int64_t>(stores->size()) : all;
  }

  // Throws Forbidden when the store is not the owner's (before any 404, so
  // an owner cannot probe which stores exist).
  void require(const std::string& store_id) const {
    if (stores && !stores->count(store_id)) {
      throw Forbidden("this token does not cover store '" + store_id + "'");
    }
  }

  // The rows the caller may see.
  template <class Row>
  std::vector<Row> in_scope(const std::vector<Row>& rows) const {
    if (!stores) return rows;
    std::vector<Row> kept;
    for (const Row& row : rows) {
      if (stores->count(row.store_id)) kept.push_back(row);
    }
    return kept;
  }
  ReportRows in_scope(const ReportRows& rows) const {
    return std::visit([this](const auto& list) { return ReportRows(in_scope(list)); }, rows);
  }
};
