// A report's stores shared among the processes on one PostgreSQL database
// (006_report_parts.sql, docs/postgresql.md "Several servers"), so that a
// report gets faster with each server: the process computing it publishes
// its snapshot and its ranges of store keys as parts; its own workers and
// every other server's helper take parts with FOR UPDATE SKIP LOCKED, each
// holding its part locked until it is done, so a part is computed once and
// one whose taker dies goes back to the others. Helpers' rows come back in
// their parts (report_row_codec.hpp) and join the report's before it merges
// them by store_id.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/report_builder.hpp"
#include "storage/report_workers.hpp"

// One report's parts, as the process computing it publishes and takes them:
// the ranges its workers compute (report_workers.hpp). When none is left to
// take but some are being computed elsewhere, a worker waits for them (and
// takes back one whose taker died). The parts are deleted with this object.
class PgReportRun : public KeyRanges {
 public:
  // Publishes the report's run on `snapshot` (exported by its first worker,
  // whose transaction stays open until the run is done) and its parts, the
  // keys 1..last_key in ranges of options.part_keys; each of `workers`
  // takes parts on a connection of its own.
  PgReportRun(const std::string& url, const std::string& snapshot, const ReportOptions& options,
              Instant as_of, std::int64_t last_key, std::size_t workers, ReportProgress* progress);
  ~PgReportRun() override;

  std::optional<KeyRange> take(std::size_t worker) override;
  void done(std::size_t worker, std::size_t stores) override;
  void failed(std::size_t worker) override;

  // The rows other processes computed, to `add_rows` a part at a time;
  // returns their stores. Once every part is done.
  template <class Row>
  std::size_t add_helped_rows(const AddRows<Row>& add_rows);

 private:
  struct Taker {
    std::unique_ptr<PgConnection> db;
    std::optional<std::int64_t> part;  // the begin_key of the part it holds
  };

  std::unique_ptr<PgConnection> db_;  // publishes, reads back, deletes
  std::string url_;
  std::string run_;            // its id
  std::vector<Taker> takers_;  // by worker
  ReportProgress* progress_;
  std::atomic<bool> failed_{false};  // a worker failed: the report fails, none waits
};

// The parts of other processes' reports computed here: each server's helper,
// run now and then (serve). One call at a time.
class PgReportHelper {
 public:
  // `origin`: the process whose runs it leaves alone (its own).
  PgReportHelper(std::string url, unsigned threads, std::string origin = pg_process_tag());

  // Computes parts of the oldest run of another process that has some left,
  // on `threads` workers, until none is left or `max_parts` are done (0: no
  // bound); returns the stores computed. A run whose report ended meanwhile
  // (its snapshot gone) is left: its parts are no one's to compute.
  std::size_t step(std::size_t max_parts = 0);

 private:
  std::string url_;
  unsigned threads_;
  std::string origin_;
  PgConnection db_;  // finds the runs
};
