// One entry of the route table: everything about a route lives here, and
// registration, 404/405/Allow/OPTIONS, the token check, which bodies are read
// and the metrics label are derived from it. Each resource file of api/
// makes its own entries, next to its handlers (resources.hpp).
#pragma once

#include <httplib.h>

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "server/api/caller.hpp"

// Whether a route reads a request body. A body sent to a route that takes
// none is never read (see http_connections.hpp).
enum class BodyUse { none, optional, required };

using Handler = std::function<void(const httplib::Request&, httplib::Response&, const Caller&)>;

struct Route {
  std::string method;   // "GET" (also answers HEAD), "POST", "DELETE"
  std::string pattern;  // an ECMAScript regex over the decoded path; groups are arguments
  std::string label;    // metrics label: the pattern in readable form
  Access access;
  BodyUse body;
  // The media types a body may have ("application/json", ...); another is a
  // 415 before the body is read. Empty when the route takes no body.
  std::vector<std::string> media_types;
  Handler handler;
  std::regex regex;  // compiled `pattern`
};

Route make_route(std::string method, std::string pattern, std::string label, Access access,
                 BodyUse body, Handler handler, std::vector<std::string> media_types = {});

// The bodies routes take: options (a JSON object, or a form as older
// clients send), an admin's settings (JSON only), rows to ingest.
extern const std::vector<std::string> kOptionsBody;
extern const std::vector<std::string> kJsonBody;
extern const std::vector<std::string> kRowsBody;

// "a, b or c".
std::string one_of(const std::vector<std::string>& items);
