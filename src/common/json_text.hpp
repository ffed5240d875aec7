// JSON text that is valid whatever bytes its strings hold: invalid UTF-8 (a
// store id, a path from a client) becomes U+FFFD instead of throwing. Every
// JSON the server writes (answers, log lines) goes through here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

inline std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
