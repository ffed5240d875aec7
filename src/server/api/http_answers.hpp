// How answers leave a handler: JSON (always valid, whatever bytes a client
// sent), a shared answer without a copy, and errors. Every error, whoever
// threw it, becomes {"error": ..., "detail": ...} with its status here
// (send_exception): the one place errors are mapped to HTTP.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/timestamps.hpp"
#include "server/answer_cache.hpp"

// An answer that is a matter of HTTP itself (405, 411, 415, 421, 429, 503):
// thrown by the router and handlers. What the input or the data got wrong
// is an error of errors.hpp instead.
struct HttpError : std::runtime_error {
  HttpError(int status, const std::string& message,
            std::vector<std::pair<std::string, std::string>> headers = {})
      : std::runtime_error(message), status(status), headers(std::move(headers)) {}
  int status;
  std::vector<std::pair<std::string, std::string>> headers;  // Allow, Retry-After, ...
};

void send_json(httplib::Response& response, int status, const nlohmann::json& body);
// {"error": ..., "detail": ...}: the same text under both names, for
// clients written against this API and for those of the FastAPI version.
std::string error_json(const std::string& message);
void send_error(httplib::Response& response, int status, const std::string& message);
// The answer for whatever a handler threw. Never throws.
void send_exception(httplib::Response& response, std::exception_ptr thrown);
void send_shared(httplib::Response& response, int status, std::shared_ptr<const Answer> answer,
                 std::shared_ptr<DownloadGate::Ticket> ticket);

nlohmann::json optional_time(const std::optional<Instant>& instant);
nlohmann::json optional_number(const std::optional<std::int64_t>& number);
