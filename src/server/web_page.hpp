// The page for store owners served at GET /: src/web/index.html (HTML, CSS and
// JavaScript in one file, no framework), compiled into the binary.
#pragma once

#include <string_view>

std::string_view index_html();
