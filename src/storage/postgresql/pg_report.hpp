// stream_report's contract (storage/report_builder.hpp) over PostgreSQL:
// workers on connections of their own share one snapshot (exported by the
// first), each reads a range of stores in four statements (the stores,
// their hours, special dates and polls; sql/postgresql/queries/report.sql),
// and the same core computes the same rows (report_workers.hpp). A period of
// local dates reads the daily rollups (pg_rollups.hpp) as SQLite does, and
// the polls of the dates they do not stand for. The three windows read each
// store's week of polls: reading a head and a tail of it apart, with the
// rollups between, cost PostgreSQL more than the week (docs/postgresql.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/report_builder.hpp"

// One connection in a read-only transaction on a report's snapshot: the
// first of a report's exports it, its other workers and other servers'
// helpers (pg_report_parts.hpp) join it.
class PgSnapshotReader {
 public:
  // `snapshot`: the one to join; empty: this reader's own, to export.
  PgSnapshotReader(const std::string& url, const std::string& snapshot);
  ~PgSnapshotReader();
  PgSnapshotReader(const PgSnapshotReader&) = delete;
  PgSnapshotReader& operator=(const PgSnapshotReader&) = delete;

  PgConnection& db() { return db_; }

  // The rows `options` asks for as of `as_of` of the stores with keys in
  // [begin, end), appended to `rows` (Row: StoreFigures for the three
  // windows, PeriodFigures for a period); returns the stores read.
  template <class Row>
  std::size_t compute(std::int64_t begin, std::int64_t end, const ReportOptions& options,
                      Instant as_of, std::vector<Row>& rows);

 private:
  // Whether a report with `options` may read the rollups: they were made
  // with its rules (read once, in the snapshot).
  bool reads_rollups(const ReportOptions& options);
  // compute's rows for a period of local dates: each store's rolled-up
  // dates summed, the polls of the others read at once (docs/rollups.md).
  std::size_t compute_from_rollups(std::int64_t begin, std::int64_t end,
                                   const ReportOptions& options, const DatePeriod& dates,
                                   Instant now, std::vector<PeriodFigures>& rows);

  PgConnection db_;
  std::optional<std::optional<StatusRules>> rollup_rules_;  // outer nullopt: not read yet
};

// The stores go in parts any server on the database may take
// (pg_report_parts.hpp): those of a report computed here, and this
// process's helper's of others'.
ReportSummary pg_stream_report(const std::string& url, const ReportOptions& options,
                               const ReportRowsSink& sink, ReportProgress* progress = nullptr);

// read_store_snapshot's contract (report_builder.hpp) on `db`, in a
// snapshot of its own: a period of dates reads the rollups made with
// `rules`, and the polls of the other dates.
std::optional<StoreSnapshot> pg_read_store_snapshot(PgConnection& db, const std::string& store_id,
                                                    std::optional<Instant> as_of,
                                                    std::optional<DatePeriod> dates,
                                                    const StatusRules* rules);
