// What the server serves from files compiled into the binary (src/server/web/):
// the page for store owners at GET / (HTML, CSS and JavaScript in one file, no
// framework), and the OpenAPI 3.1 description of the API at GET /openapi.json.
#pragma once

#include <string_view>

std::string_view index_html();
std::string_view openapi_json();
