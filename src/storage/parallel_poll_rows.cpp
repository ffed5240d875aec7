#include "parallel_poll_rows.hpp"

#include <algorithm>
#include <streambuf>
#include <thread>

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
                                   unsigned in_flight)
    : in_(in),
      parse_(std::move(parse)),
      in_flight_(std::max(1u, in_flight)),
      unread_(header_reader.take_buffered()),
      lines_before_(header_reader.next_line() - 1) {
  cut_ = cutter_.feed(unread_);
  scanned_ = unread_.size();
}

// (The futures of std::async wait for their blocks: no worker outlives us.)
ParallelPollRows::~ParallelPollRows() = default;

unsigned ParallelPollRows::in_flight_for_machine() {
  return std::max(2u, std::thread::hardware_concurrency());
}

bool ParallelPollRows::next(std::size_t& line, RowError& error, PollRecord& poll) {
  while (next_row_ == current_.rows.size()) {
    std::string block;
    while (pending_.size() < in_flight_ && read_block(block)) {
      pending_.push_back(std::async(std::launch::async, [this, block = std::move(block)] {
        return parse_block(block, parse_);
      }));
    }
    if (pending_.empty()) return false;
    lines_before_ += current_.lines;
    current_ = pending_.front().get();
    pending_.pop_front();
    next_row_ = 0;
    id_start_ = 0;
  }
  const ParsedBlock::Row& row = current_.rows[next_row_++];
  line = lines_before_ + row.line;
  error = row.error;
  if (error.empty()) {
    poll.store_id.assign(current_.ids, id_start_, row.id_end - id_start_);
    poll.at = row.at;
    poll.active = row.active;
    id_start_ = row.id_end;
  }
  return true;
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
  scanned_ = unread_.size();  // (the cutter has seen it all; no line ends after cut_)
  cut_ = 0;
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
  const std::size_t end = cutter_.feed(std::string_view(unread_).substr(scanned_));
  if (end > 0) cut_ = scanned_ + end;
  scanned_ = unread_.size();
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
    if (error.empty()) parsed.ids += poll.store_id;
    parsed.rows.push_back(
        {reader.line(), parsed.ids.size(), poll.at, poll.active, std::move(error)});
  }
  parsed.lines = reader.next_line() - 1;
  return parsed;
}
