#include "storage/kept_polls.hpp"

#include "core/business_hours.hpp"
#include "storage/database_figures.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/rollups.hpp"

std::optional<Instant> polls_deleted_before(Database& db) {
  SQLite::Column value = db.sql().execAndGet(sql::query("polls_deleted_before"));
  if (value.isNull()) return std::nullopt;
  return from_micros(value.getInt64());
}

std::optional<std::string> needs_deleted_polls(Database& db, const ReportOptions& options) {
  const std::optional<Instant> line = polls_deleted_before(db);
  if (!line) return std::nullopt;
  const std::string kept =
      format_timestamp(*line) + ": older polls were deleted by retention (--keep-polls-days)";
  const std::optional<Instant> as_of = options.as_of ? options.as_of : latest_poll(db);
  if (as_of && *as_of < *line) {
    return "as_of " + format_timestamp(*as_of) + " is before " + kept;
  }
  if (!options.period) {
    if (as_of && *as_of - date::days{7} < *line) {
      return "the week before as_of " + format_timestamp(*as_of) + " reaches before " + kept;
    }
    return std::nullopt;
  }
  if (const auto* utc = std::get_if<UtcPeriod>(&*options.period)) {
    if (utc->from < *line) {
      return "'from' " + format_timestamp(utc->from) + " is before " + kept +
             "; a period of local dates (from_date, to_date) with the default options reads "
             "the daily rollups instead";
    }
    return std::nullopt;
  }
  const auto& dates = std::get<DatePeriod>(*options.period);
  if (options.read_rollups && rollups_made_with(db.sql(), options.rules)) return std::nullopt;
  // The earliest instant any zone's from_date can need (its poll before).
  const Instant earliest = date::sys_days{(dates.from - kZoneMargin).time_since_epoch()};
  if (earliest < *line) {
    const std::string how =
        !options.read_rollups
            ? std::string(" answered from polls alone (--no-rollups)")
            : std::string(" with interpolation=") +
                  interpolation_name(options.rules.interpolation) + " and max_gap=" +
                  (options.rules.max_gap ? format_max_gap(*options.rules.max_gap) : "none");
    return "'from_date' " + date::format("%F", dates.from) + how + " needs polls from before " +
           kept + "; with the server's default options it reads the daily rollups instead";
  }
  return std::nullopt;
}
