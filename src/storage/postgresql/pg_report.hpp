// stream_report's contract (storage/report_builder.hpp) over PostgreSQL:
// workers on connections of their own share one snapshot (exported by the
// first), each reads a range of stores in four statements (the stores,
// their hours, special dates and polls; sql/postgresql/queries/report.sql),
// and the same core computes the same rows (report_workers.hpp). Periods are
// answered from polls: PostgreSQL keeps no rollups yet (docs/postgresql.md).
#pragma once

#include <optional>
#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/report_builder.hpp"

ReportSummary pg_stream_report(const std::string& url, const ReportOptions& options,
                               const ReportRowsSink& sink, ReportProgress* progress = nullptr);

// read_store_snapshot's contract (report_builder.hpp) on `db`, in a
// snapshot of its own: a period of dates is read from polls (no rollups).
std::optional<StoreSnapshot> pg_read_store_snapshot(PgConnection& db, const std::string& store_id,
                                                    std::optional<Instant> as_of,
                                                    std::optional<DatePeriod> dates);
