#include "server/api/route.hpp"

Route make_route(std::string method, std::string pattern, std::string label, Access access,
                 BodyUse body, Handler handler, std::vector<std::string> media_types) {
  Route route;
  route.method = std::move(method);
  route.regex = std::regex(pattern);
  route.pattern = std::move(pattern);
  route.label = std::move(label);
  route.access = access;
  route.body = body;
  route.media_types = std::move(media_types);
  route.handler = std::move(handler);
  return route;
}

const std::vector<std::string> kOptionsBody = {"application/json",
                                               "application/x-www-form-urlencoded"};
const std::vector<std::string> kJsonBody = {"application/json"};
const std::vector<std::string> kRowsBody = {"text/csv", "application/json", "multipart/form-data"};

std::string one_of(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? " or " : ", ";
    text += items[i];
  }
  return text;
}
