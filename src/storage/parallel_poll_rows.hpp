// The rows of a polls CSV input read and checked on worker threads, handed
// back in input order. Splitting rows into fields and checking them (the
// store id's bytes, the status, the timestamp) was about two thirds of an
// import's parsing thread; the caller keeps only what must be in order
// (numbering new stores, batching the polls). The input is cut into blocks
// where lines end outside quoted fields (CsvCutter), so each block reads
// alone exactly as it would in one stream: rows, malformed rows and line
// numbers are those of a plain loop over a CsvReader.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <istream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/csv.hpp"
#include "core/records.hpp"

class ParallelPollRows {
 public:
  // Checks one row's fields, filling `poll` when it is good. Called from
  // several threads at once.
  using Parse = std::function<RowError(const std::vector<std::string>& fields, PollRecord& poll)>;

  // Reads the rest of an input whose header `header_reader` has read: the
  // bytes it holds, then `in`, with `workers` threads (at least 1).
  ParallelPollRows(CsvReader& header_reader, std::istream& in, Parse parse, unsigned workers);
  ~ParallelPollRows();
  ParallelPollRows(const ParallelPollRows&) = delete;
  ParallelPollRows& operator=(const ParallelPollRows&) = delete;

  // The next row: false at the end of the input. `error` is the reason a
  // row is bad (malformed, or rejected by `parse`); when empty, `poll` holds
  // the row. Rethrows what a worker threw.
  bool next(std::size_t& line, RowError& error, PollRecord& poll);

  // Workers that suit this machine: one per core, two to eight (past that
  // the caller's share of each row is the bound).
  static unsigned workers_for_machine();

 private:
  // A block is cut at the first line end after this many bytes (about
  // 20,000 poll rows); the input is read in pieces of kPieceBytes.
  static constexpr std::size_t kBlockBytes = 1 << 20;
  static constexpr std::size_t kPieceBytes = 1 << 18;

  // A block's rows as parsed: good ones' store ids end to end in `ids`,
  // bad ones' reasons in `errors`.
  struct ParsedBlock {
    std::string ids;
    std::vector<RowError> errors;
    struct Row {
      std::size_t line;    // in the block, from 1
      std::size_t id_end;  // in ids; the id starts where the good row before's ended
      Instant at;
      std::uint32_t error;  // 1 + its index in errors; 0 for a good row
      bool active;
    };
    std::vector<Row> rows;
    std::size_t lines = 0;  // line ends in the block
  };

  struct Done {
    ParsedBlock block;
    std::exception_ptr failure;
  };

  bool read_block(std::string& block);
  void read_piece();
  void work();
  static ParsedBlock parse_block(const std::string& block, const Parse& parse);

  std::istream& in_;
  Parse parse_;
  std::string unread_;   // read from the input, not yet in a block
  std::size_t cut_ = 0;  // in unread_: one past its last line end outside quotes, or 0
  bool input_ended_ = false;
  CsvCutter cutter_;

  // Blocks numbered in input order: handed to the workers (at most two more
  // than there are workers ahead of the reader), then parsed, kept until
  // their turn.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<std::size_t, std::string>> to_parse_;
  std::map<std::size_t, Done> parsed_;
  std::size_t blocks_read_ = 0;
  std::size_t blocks_taken_ = 0;
  std::size_t max_ahead_;
  unsigned max_workers_;
  bool stopping_ = false;

  ParsedBlock current_;
  std::size_t next_row_ = 0;      // in current_
  std::size_t id_start_ = 0;      // in current_.ids
  std::size_t lines_before_ = 0;  // in the input, before current_'s block

  std::vector<std::thread> workers_;  // started by next(), as blocks come
};
