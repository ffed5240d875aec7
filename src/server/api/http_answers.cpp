#include "server/api/http_answers.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <algorithm>

#include "common/errors.hpp"
#include "common/json_text.hpp"
#include "common/log.hpp"

using nlohmann::json;

// Every JSON answer goes out through here: valid JSON whatever bytes a
// client put into an id or a path (invalid UTF-8 becomes U+FFFD).
void send_json(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(json_text(body) + "\n", "application/json");
}

std::string error_json(const std::string& message) {
  return json_text(json{{"error", message}, {"detail", message}}) + "\n";
}

// A shared answer (answer_cache.hpp) goes out without a copy: the response
// holds it, and the download's place (if any), until the last byte is written.
void send_shared(httplib::Response& response, int status, std::shared_ptr<const Answer> answer,
                 std::shared_ptr<DownloadGate::Ticket> ticket) {
  response.status = status;
  response.set_header("Vary", "Accept-Encoding");
  if (!answer->content_encoding.empty()) {
    response.set_header("Content-Encoding", answer->content_encoding);
  }
  const std::size_t size = answer->body.size();
  const std::string type = answer->content_type;
  response.set_content_provider(
      size, type,
      [answer = std::move(answer), ticket = std::move(ticket)](
          std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        const std::size_t end = std::min(answer->body.size(), offset + length);
        return sink.write(answer->body.data() + offset, end - offset);
      });
}

void send_error(httplib::Response& response, int status, const std::string& message) {
  response.status = status;
  response.set_content(error_json(message), "application/json");
}

namespace {

// The HTTP status of an error kind of errors.hpp.
int app_error_status(const AppError& error) {
  if (dynamic_cast<const NotFound*>(&error)) return 404;
  if (dynamic_cast<const Conflict*>(&error)) return 409;
  if (dynamic_cast<const Forbidden*>(&error)) return 403;
  return 400;  // InvalidInput, and any other rule the input broke
}

}  // namespace

void send_exception(httplib::Response& response, std::exception_ptr thrown) {
  try {
    std::rethrow_exception(thrown);
  } catch (const HttpError& error) {
    for (const auto& [name, value] : error.headers) response.set_header(name, value);
    send_error(response, error.status, error.what());
  } catch (const AppError& error) {
    send_error(response, app_error_status(error), error.what());
  } catch (const SQLite::Exception& error) {
    // The database's fault, never the client's: busy or full is
    // temporary (503), anything else a 500; both logged.
    const int code = error.getErrorCode();
    const bool temporary = code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL;
    log_error(std::string("database error: ") + error.what(),
              {{"sqlite_code", error.getExtendedErrorCode()}});
    if (temporary) response.set_header("Retry-After", "5");
    send_error(response, temporary ? 503 : 500,
               std::string("database unavailable: ") + error.what());
  } catch (const std::exception& error) {
    send_error(response, 500, std::string("internal error: ") + error.what());
  } catch (...) {
    send_error(response, 500, "internal error");
  }
}

json optional_time(const std::optional<Instant>& instant) {
  return instant ? json(format_timestamp(*instant)) : json(nullptr);
}

json optional_number(const std::optional<std::int64_t>& number) {
  return number ? json(*number) : json(nullptr);
}
