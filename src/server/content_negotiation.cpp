#include "server/content_negotiation.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/text.hpp"

namespace {

// The q parameter of one Accept element's parameters ("q=0.5;level=1"): 1
// when absent; a malformed one counts as 0, so it never wins.
double quality_of(std::string_view parameters) {
  while (!parameters.empty()) {
    const std::size_t semicolon = parameters.find(';');
    const std::string_view parameter = trim_blanks(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? "" : parameters.substr(semicolon + 1);
    if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') ||
        parameter[1] != '=') {
      continue;
    }
    const std::string value(parameter.substr(2));
    char* end = nullptr;
    const double q = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || q < 0 || q > 1) return 0;
    return q;
  }
  return 1;
}

// Calls `take(name, q)` for each element of a list header (Accept,
// Accept-Encoding): "name;params, name;params", name lower case and
// trimmed, q its quality.
template <class Take>
void for_each_element(std::string_view header, const Take& take) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    const std::size_t semicolon = element.find(';');
    take(ascii_lower(std::string(trim_blanks(element.substr(0, semicolon)))),
         quality_of(semicolon == std::string_view::npos ? "" : element.substr(semicolon + 1)));
  }
}

}  // namespace

double accept_quality(std::string_view accept, std::string_view media_type) {
  if (trim_blanks(accept).empty()) return 1;
  const std::string type = ascii_lower(std::string(media_type.substr(0, media_type.find('/'))));
  const std::string wanted = ascii_lower(std::string(media_type));
  int best_specificity = -1;  // 2: type/subtype, 1: type/*, 0: */*
  double best = 0;
  for_each_element(accept, [&](const std::string& range, double q) {
    int specificity = -1;
    if (range == wanted)
      specificity = 2;
    else if (range == type + "/*")
      specificity = 1;
    else if (range == "*/*")
      specificity = 0;
    if (specificity > best_specificity) {
      best_specificity = specificity;
      best = q;
    }
  });
  return best;
}

bool prefers_json(std::string_view accept) {
  return accept_quality(accept, "application/json") > accept_quality(accept, "text/csv");
}

bool accepts_gzip(std::string_view accept_encoding) {
  // RFC 9110 §12.5.3: a coding named with q > 0, or "*" with q > 0 when the
  // coding is not named; "x-gzip" is gzip's old alias.
  std::optional<double> named;
  std::optional<double> any;
  for_each_element(accept_encoding, [&](const std::string& coding, double q) {
    if (coding == "gzip" || coding == "x-gzip") named = std::max(named.value_or(0), q);
    if (coding == "*") any = q;
  });
  if (named) return *named > 0;
  return any.value_or(0) > 0;
}
