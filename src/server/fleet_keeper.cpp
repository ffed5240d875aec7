#include "server/fleet_keeper.hpp"

#include <malloc.h>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "storage/store_engine.hpp"

ReportOptions standard_report_options(std::optional<std::chrono::seconds> default_max_gap) {
  ReportOptions options;
  options.rules.max_gap = default_max_gap;
  options.standard = true;
  return options;
}

bool is_standard(const ReportOptions& options, std::optional<std::chrono::seconds> default_max_gap,
                 std::optional<Instant> newest_poll) {
  const ReportOptions standard = standard_report_options(default_max_gap);
  if (options.period || options.rules.interpolation != standard.rules.interpolation ||
      options.rules.max_gap != standard.rules.max_gap) {
    return false;
  }
  return !options.as_of || (newest_poll && *options.as_of >= *newest_poll);
}

FleetKeeper::FleetKeeper(std::string db_path, LiveFleet& fleet, ReportJobs& jobs,
                         WorkerLease& lease, FleetSettings settings)
    : db_path_(std::move(db_path)),
      fleet_(fleet),
      jobs_(jobs),
      lease_(lease),
      settings_(settings),
      // A busy database: the next step tries again.
      thread_("fleet: step failed", settings.tick, PeriodicThread::FirstStep::at_start,
              [this] { step(); }) {}

void FleetKeeper::step() {
  const Instant clock = wall_clock_now();
  fleet_.tick(clock);
  follow_landing();
  refresh_standard(clock);
}

namespace {

constexpr std::size_t kLandingChunkRows = 4096;

}  // namespace

void FleetKeeper::follow_landing() {
  const auto newest = jobs_.newest_standard();
  const auto landing = fleet_.landing();
  if (!newest || (landing && landing->report_id == *newest)) return;
  const auto state = jobs_.find(*newest, ReportPart::summary);
  if (!state || state->status != ReportStatus::complete || !state->as_of) return;
  // Its rows read a chunk at a time, so they are never all in memory.
  fleet_.set_landing(*newest, *state->as_of, [&](const auto& each) {
    jobs_.reports().rows_in_chunks(*newest, false, kLandingChunkRows, [&](ReportRows&& rows) {
      each(std::get<std::vector<StoreFigures>>(rows));
    });
  });
  log_info("fleet: landing report " + *newest, {{"report_id", *newest}});
  measure_week_before(*newest, *state->as_of);
  // What reading them allocated is freed: give that memory back.
  malloc_trim(0);
}

void FleetKeeper::measure_week_before(const std::string& report_id, Instant as_of) {
  // Only worth reading when some store was polled before that week began.
  const Instant start = as_of - date::days{14};
  const auto since = fleet_.summary(nullptr).data_since;
  if (!since || *since > start) return;
  ReportOptions options = standard_report_options(settings_.default_max_gap);
  options.standard = false;
  options.as_of = as_of;
  options.period = UtcPeriod{start, as_of - date::days{7}};
  // The report streams its rows as they are merged: never all in memory.
  fleet_.set_week_before(report_id, [&](const auto& each) {
    open_store_engine(db_path_)->stream_report(
        options, [&](ReportRows&& rows) { each(std::get<std::vector<PeriodFigures>>(rows)); },
        nullptr);
  });
}

void FleetKeeper::refresh_standard(Instant clock) {
  if (settings_.standard_every.count() == 0) return;
  if (!lease_.held()) return;  // another server makes them
  const std::optional<Instant> newest_poll = fleet_.newest_poll();
  if (!newest_poll) return;  // no data: nothing to report
  if (submitted_) {
    const auto state = jobs_.find(*submitted_, ReportPart::summary);
    if (state &&
        (state->status == ReportStatus::queued || state->status == ReportStatus::running)) {
      return;  // one at a time
    }
  }
  const auto landing = fleet_.landing();
  const bool none_yet = !landing && !submitted_;
  const bool due = !submitted_at_ || clock - *submitted_at_ >= settings_.standard_every;
  // Only when polls arrived since the last one.
  const std::optional<Instant> reported = submitted_for_ ? submitted_for_
                                          : landing      ? std::optional<Instant>(landing->as_of)
                                                         : std::nullopt;
  const bool new_polls = !reported || *newest_poll > *reported;
  if (!none_yet && !(due && new_polls)) return;
  const auto id = jobs_.submit(standard_report_options(settings_.default_max_gap));
  if (!id) return;  // the queue is full: next time
  submitted_ = id;
  submitted_at_ = clock;
  submitted_for_ = newest_poll;
  log_info("fleet: standard report " + *id + " triggered", {{"report_id", *id}});
}
