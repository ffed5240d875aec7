#include "storage/parallel_poll_rows.hpp"

#include <algorithm>
#include <streambuf>

namespace {

// An input stream over a block already in memory.
class BlockBuffer : public std::streambuf {
 public:
  explicit BlockBuffer(const std::string& block) {
    char* begin = const_cast<char*>(block.data());  // (only read)
    setg(begin, begin, begin + block.size());
  }
};

}  // namespace

ParallelPollRows::ParallelPollRows(CsvReader& header_reader, std::istream& in, Parse parse,
                                   unsigned workers)
    : in_(in),
      parse_(std::move(parse)),
      unread_(header_reader.take_buffered()),
      lines_before_(header_reader.next_line() - 1) {
  cut_ = cutter_.feed(unread_);
  max_workers_ = std::max(1u, workers);
  max_ahead_ = max_workers_ + 2;
}

ParallelPollRows::~ParallelPollRows() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

unsigned ParallelPollRows::workers_for_machine() {
  return std::clamp(std::thread::hardware_concurrency(), 2u, 8u);
}

bool ParallelPollRows::next(std::size_t& line, RowError& error, PollRecord& poll) {
  while (next_row_ == current_.rows.size()) {
    // Keep the workers fed, then take the next block in order.
    std::string block;
    while (blocks_read_ - blocks_taken_ < max_ahead_ && read_block(block)) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        to_parse_.emplace_back(blocks_read_++, std::move(block));
      }
      // Workers start as blocks come: a small input (an API body) needs one.
      if (workers_.size() < max_workers_) workers_.emplace_back([this] { work(); });
      changed_.notify_one();
      block = std::string();
    }
    if (blocks_taken_ == blocks_read_) return false;
    Done done;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return parsed_.count(blocks_taken_) > 0; });
      const auto found = parsed_.find(blocks_taken_);
      done = std::move(found->second);
      parsed_.erase(found);
    }
    ++blocks_taken_;
    if (done.failure) std::rethrow_exception(done.failure);
    lines_before_ += current_.lines;
    current_ = std::move(done.block);
    next_row_ = 0;
    id_start_ = 0;
  }
  const ParsedBlock::Row& row = current_.rows[next_row_++];
  line = lines_before_ + row.line;
  if (row.error > 0) {
    error = current_.errors[row.error - 1];
  } else {
    error.clear();
    poll.store_id.assign(current_.ids, id_start_, row.id_end - id_start_);
    poll.at = row.at;
    poll.active = row.active;
    id_start_ = row.id_end;
  }
  return true;
}

// A worker: parses blocks until told to stop; what a block throws is kept
// for the reader.
void ParallelPollRows::work() {
  for (;;) {
    std::pair<std::size_t, std::string> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !to_parse_.empty(); });
      if (stopping_) return;
      job = std::move(to_parse_.front());
      to_parse_.pop_front();
    }
    Done done;
    try {
      done.block = parse_block(job.second, parse_);
    } catch (...) {
      done.failure = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      parsed_.emplace(job.first, std::move(done));
    }
    changed_.notify_all();
  }
}

// The next block: from the start of what is unread to its last line end
// outside quotes once there are kBlockBytes, or all that is left at the end
// of the input. False when nothing is left.
bool ParallelPollRows::read_block(std::string& block) {
  while (!input_ended_ && (cut_ == 0 || unread_.size() < kBlockBytes)) read_piece();
  const std::size_t end = input_ended_ ? unread_.size() : cut_;
  if (end == 0) return false;
  block.assign(unread_, 0, end);
  unread_.erase(0, end);
  cut_ = 0;  // (the cutter has seen all that is left: no line end in it)
  return true;
}

void ParallelPollRows::read_piece() {
  const std::size_t had = unread_.size();
  unread_.resize(had + kPieceBytes);
  in_.read(unread_.data() + had, static_cast<std::streamsize>(kPieceBytes));
  const auto got = static_cast<std::size_t>(in_.gcount());
  unread_.resize(had + got);
  if (got == 0) {
    input_ended_ = true;
    return;
  }
  // The cutter has seen all of unread_ before this piece.
  const std::size_t end = cutter_.feed(std::string_view(unread_).substr(had));
  if (end > 0) cut_ = had + end;
}

ParallelPollRows::ParsedBlock ParallelPollRows::parse_block(const std::string& block,
                                                            const Parse& parse) {
  BlockBuffer buffer(block);
  std::istream in(&buffer);
  CsvReader reader(in, false);
  ParsedBlock parsed;
  std::vector<std::string> fields;
  PollRecord poll;
  while (reader.next(fields)) {
    RowError error = reader.malformed() ? CsvReader::kMalformedReason : parse(fields, poll);
    if (error.empty()) {
      parsed.ids += poll.store_id;
      parsed.rows.push_back({reader.line(), parsed.ids.size(), poll.at, 0, poll.active});
    } else {
      parsed.errors.push_back(std::move(error));
      const auto error_number = static_cast<std::uint32_t>(parsed.errors.size());
      parsed.rows.push_back({reader.line(), parsed.ids.size(), {}, error_number, false});
    }
  }
  parsed.lines = reader.next_line() - 1;
  return parsed;
}
