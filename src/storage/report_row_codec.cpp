#include "storage/report_row_codec.hpp"

#include <cstring>
#include <stdexcept>

namespace {

// A record: the store_id's length, its bytes and the row's numbers, 8 bytes
// each.
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
      throw std::runtime_error("a report's rows hold a cut record");
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
void append_one(std::string& bytes, const Row& row) {
  const std::size_t start = bytes.size();
  bytes.append(4, '\0');
  RecordEncoder out(bytes);
  encode(out, row);
  const auto length = static_cast<std::uint32_t>(bytes.size() - start - 4);
  std::memcpy(bytes.data() + start, &length, 4);
}

}  // namespace

void append_row_record(std::string& bytes, const StoreFigures& row) {
  append_one(bytes, row);
}
void append_row_record(std::string& bytes, const PeriodFigures& row) {
  append_one(bytes, row);
}

template <class Row>
std::size_t read_row_records(const char* data, std::size_t size, std::vector<Row>& rows) {
  std::size_t used = 0;
  while (size - used >= 4) {
    std::uint32_t length;
    std::memcpy(&length, data + used, 4);
    if (size - used - 4 < length) break;
    RecordDecoder in(data + used + 4, data + used + 4 + length);
    decode(in, rows.emplace_back());
    used += 4 + length;
  }
  return used;
}

template std::size_t read_row_records(const char*, std::size_t, std::vector<StoreFigures>&);
template std::size_t read_row_records(const char*, std::size_t, std::vector<PeriodFigures>&);
