#include "storage/report_row_runs.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace {

// A run in the file is a sequence of records: a 4-byte length, then the
// store_id's length, its bytes and the row's numbers, 8 bytes each.
class RecordEncoder {
 public:
  explicit RecordEncoder(std::string& out) : out_(out) {}
  void number(std::int64_t value) { out_.append(reinterpret_cast<const char*>(&value), 8); }
  void text(const std::string& value) {
    number(static_cast<std::int64_t>(value.size()));
    out_ += value;
  }

 private:
  std::string& out_;
};

class RecordDecoder {
 public:
  RecordDecoder(const char* at, const char* end) : at_(at), end_(end) {}
  std::int64_t number() {
    std::int64_t value;
    take(&value, 8);
    return value;
  }
  std::string text() {
    std::string value(static_cast<std::size_t>(number()), '\0');
    take(value.data(), value.size());
    return value;
  }

 private:
  void take(void* into, std::size_t size) {
    if (static_cast<std::size_t>(end_ - at_) < size) {
      throw std::runtime_error("a report's temporary file holds a cut record");
    }
    std::memcpy(into, at_, size);
    at_ += size;
  }
  const char* at_;
  const char* end_;
};

std::int64_t half_micros(FineInstant instant) {
  return instant.time_since_epoch().count();
}
FineInstant fine_instant(std::int64_t half_micros) {
  return FineInstant{HalfMicroseconds{half_micros}};
}

void encode(RecordEncoder& out, const StoreFigures& row) {
  out.text(row.store_id);
  for (const auto* figures : {&row.uptime, &row.downtime, &row.unknown}) {
    for (HalfMicroseconds figure : *figures) out.number(figure.count());
  }
  out.number(static_cast<std::int64_t>(row.now.state));
  out.number(half_micros(row.now.since));
  out.number(row.now.since_week_start ? 1 : 0);
  out.number(row.now.opens ? 1 : 0);
  out.number(row.now.opens ? half_micros(*row.now.opens) : 0);
}

void decode(RecordDecoder& in, StoreFigures& row) {
  row.store_id = in.text();
  for (auto* figures : {&row.uptime, &row.downtime, &row.unknown}) {
    for (HalfMicroseconds& figure : *figures) figure = HalfMicroseconds{in.number()};
  }
  row.now.state = static_cast<StoreState>(in.number());
  row.now.since = fine_instant(in.number());
  row.now.since_week_start = in.number() != 0;
  const bool opens = in.number() != 0;
  const std::int64_t at = in.number();
  row.now.opens = opens ? std::optional<FineInstant>(fine_instant(at)) : std::nullopt;
}

void encode(RecordEncoder& out, const PeriodFigures& row) {
  out.text(row.store_id);
  out.number(half_micros(row.period.begin));
  out.number(half_micros(row.period.end));
  for (HalfMicroseconds length : {row.business, row.uptime, row.downtime, row.unknown}) {
    out.number(length.count());
  }
}

void decode(RecordDecoder& in, PeriodFigures& row) {
  row.store_id = in.text();
  row.period.begin = fine_instant(in.number());
  row.period.end = fine_instant(in.number());
  for (HalfMicroseconds* length : {&row.business, &row.uptime, &row.downtime, &row.unknown}) {
    *length = HalfMicroseconds{in.number()};
  }
}

template <class Row>
bool by_store_id(const Row& a, const Row& b) {
  return a.store_id < b.store_id;  // bytes, as SQLite's BINARY collation
}

constexpr std::size_t kRunReadBytes = 1 << 16;  // per run and read

// One run being merged: its rows decoded from `bytes`, refilled from the file.
template <class Row>
struct RunCursor {
  std::vector<Row> rows;
  std::size_t at = 0;
  std::uint64_t offset = 0;  // the next byte to read
  std::uint64_t left = 0;    // bytes still in the file
  std::string bytes;         // read, not yet decoded

  // Reads and decodes the next rows; false when the run is done.
  bool refill(const TempFile& file) {
    rows.clear();
    at = 0;
    // Whole records: read until a record is complete, decode all that are.
    for (;;) {
      std::size_t used = 0;
      while (bytes.size() - used >= 4) {
        std::uint32_t length;
        std::memcpy(&length, bytes.data() + used, 4);
        if (bytes.size() - used - 4 < length) break;
        RecordDecoder in(bytes.data() + used + 4, bytes.data() + used + 4 + length);
        decode(in, rows.emplace_back());
        used += 4 + length;
      }
      bytes.erase(0, used);
      if (!rows.empty() || left == 0) break;
      const std::size_t size =
          static_cast<std::size_t>(std::min<std::uint64_t>(kRunReadBytes, left));
      const std::size_t had = bytes.size();
      bytes.resize(had + size);
      file.read(offset, bytes.data() + had, size);
      offset += size;
      left -= size;
    }
    if (rows.empty() && !bytes.empty()) {
      throw std::runtime_error("a report's temporary file holds a cut record");
    }
    return !rows.empty();
  }
};

}  // namespace

template <class Row>
ReportRowRuns<Row>::ReportRowRuns(const std::string& folder, std::size_t run_rows)
    : run_rows_(std::max<std::size_t>(1, run_rows)), file_(folder, "a report") {}

template <class Row>
void ReportRowRuns<Row>::add(std::vector<Row>& rows) {
  std::vector<Row> full;
  {
    std::lock_guard<std::mutex> lock(filling_);
    rows_ += rows.size();
    for (Row& row : rows) {
      filling_rows_.push_back(std::move(row));
      if (filling_rows_.size() < run_rows_) continue;
      // More than one run fills at once only when `rows` is larger than a run.
      if (!full.empty()) spill(std::move(full));
      full = std::move(filling_rows_);
      filling_rows_ = {};
    }
  }
  rows.clear();
  if (!full.empty()) spill(std::move(full));
}

template <class Row>
void ReportRowRuns<Row>::spill(std::vector<Row> rows) {
  std::sort(rows.begin(), rows.end(), by_store_id<Row>);
  std::string bytes;
  for (const Row& row : rows) {
    const std::size_t start = bytes.size();
    bytes.append(4, '\0');
    RecordEncoder out(bytes);
    encode(out, row);
    const auto length = static_cast<std::uint32_t>(bytes.size() - start - 4);
    std::memcpy(bytes.data() + start, &length, 4);
  }
  std::lock_guard<std::mutex> lock(spilling_);
  runs_.push_back({file_.append(bytes.data(), bytes.size()), bytes.size()});
}

template <class Row>
void ReportRowRuns<Row>::merge(std::size_t chunk_rows,
                               const std::function<void(std::vector<Row>&&)>& sink) {
  std::sort(filling_rows_.begin(), filling_rows_.end(), by_store_id<Row>);
  // The rows still in memory are one more run, read from there.
  std::vector<RunCursor<Row>> cursors(runs_.size() + 1);
  cursors.back().rows = std::move(filling_rows_);
  for (std::size_t run = 0; run < runs_.size(); ++run) {
    cursors[run].offset = runs_[run].offset;
    cursors[run].left = runs_[run].bytes;
    cursors[run].refill(file_);
  }
  // A min-heap of cursor numbers by their current row's store_id.
  const auto after = [&cursors](std::size_t a, std::size_t b) {
    return by_store_id(cursors[b].rows[cursors[b].at], cursors[a].rows[cursors[a].at]);
  };
  std::vector<std::size_t> heap;
  for (std::size_t run = 0; run < cursors.size(); ++run) {
    if (!cursors[run].rows.empty()) heap.push_back(run);
  }
  std::make_heap(heap.begin(), heap.end(), after);
  std::vector<Row> chunk;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    RunCursor<Row>& cursor = cursors[heap.back()];
    chunk.push_back(std::move(cursor.rows[cursor.at]));
    if (chunk.size() >= chunk_rows) {
      sink(std::move(chunk));
      chunk = {};
    }
    if (++cursor.at == cursor.rows.size() && !cursor.refill(file_)) {
      heap.pop_back();
      continue;
    }
    std::push_heap(heap.begin(), heap.end(), after);
  }
  if (!chunk.empty()) sink(std::move(chunk));
}

template class ReportRowRuns<StoreFigures>;
template class ReportRowRuns<PeriodFigures>;
