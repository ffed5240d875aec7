#include "storage/json_rows.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace {

// Reads a JSON ingest body event by event (nlohmann's SAX interface): no
// document tree is built, values of unknown keys are skipped, and nesting is
// bounded, so time and memory stay linear in the body whatever it holds.
class JsonRowReader : public nlohmann::json::json_sax_t {
 public:
  JsonRowReader(Dataset dataset, JsonRows& out) : known_(column_names(dataset)), out_(out) {}

  bool null() override { return value(JsonValue::Kind::other, {}); }
  bool boolean(bool) override { return value(JsonValue::Kind::other, {}); }
  bool number_integer(number_integer_t number) override {
    return value(JsonValue::Kind::text, std::to_string(number));  // exact digits, even beyond 2^53
  }
  bool number_unsigned(number_unsigned_t number) override {
    return value(JsonValue::Kind::text, std::to_string(number));
  }
  bool number_float(number_float_t, const string_t&) override {
    return value(JsonValue::Kind::other, {});
  }
  bool string(string_t& text) override { return value(JsonValue::Kind::text, std::move(text)); }
  bool binary(binary_t&) override { return value(JsonValue::Kind::other, {}); }

  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& name) override {
    if (depth_ == 2) key_ = std::move(name);
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    out_.error = std::string("not valid JSON: ") + error.what();
    return false;
  }

 private:
  // A value at the current depth: a row that is not an object (depth 1), or
  // a field of a row (depth 2); deeper values belong to a skipped field.
  bool value(JsonValue::Kind kind, std::string text) {
    if (depth_ == 0) return top_level_not_array();
    if (depth_ == 1) {
      out_.rows.emplace_back();
      out_.rows.back().is_object = false;
    } else if (depth_ == 2 && out_.rows.back().is_object) {
      field(kind, std::move(text));
    }
    return true;
  }

  bool open(bool object) {
    if (depth_ == 0 && object) return top_level_not_array();
    if (depth_ == 1) {
      out_.rows.emplace_back();
      out_.rows.back().is_object = object;
    } else if (depth_ == 2 && out_.rows.back().is_object) {
      field(JsonValue::Kind::other, {});
    }
    if (++depth_ > kMaxJsonDepth) {
      out_.error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    return true;
  }

  bool close() {
    --depth_;
    return true;
  }

  bool top_level_not_array() {
    out_.error = "the body must be a non-empty JSON array of objects";
    return false;
  }

  // A field of the current row: kept when its key is a column name; the
  // first of the names that differ only in case counts.
  void field(JsonValue::Kind kind, std::string text) {
    const std::string name = ascii_lower(key_);
    if (std::find(known_.begin(), known_.end(), name) == known_.end()) return;
    auto position = std::find(out_.header.begin(), out_.header.end(), name);
    if (position == out_.header.end()) position = out_.header.insert(out_.header.end(), name);
    const auto column = static_cast<std::size_t>(position - out_.header.begin());
    auto& values = out_.rows.back().values;
    for (const JsonValue& seen : values) {
      if (seen.column == column) return;
    }
    values.push_back({column, kind, key_, std::move(text)});
  }

  static constexpr int kMaxJsonDepth = 64;
  const std::vector<std::string> known_;  // at most five names: linear search is fine
  JsonRows& out_;
  int depth_ = 0;
  std::string key_;
};
}  // namespace

JsonRows read_json_rows(Dataset dataset, const std::string& json_text) {
  JsonRows rows;
  JsonRowReader reader(dataset, rows);
  try {
    nlohmann::json::sax_parse(json_text, &reader);
  } catch (const nlohmann::json::exception& error) {
    rows.error = std::string("not valid JSON: ") + error.what();
  }
  if (rows.error.empty() && rows.rows.empty()) {
    rows.error = "the body must be a non-empty JSON array of objects";
  }
  if (!rows.error.empty()) rows = JsonRows{rows.error, {}, {}};
  return rows;
}

RowSource JsonRows::source(const ColumnMap& columns) const {
  return [this, columns, next = std::size_t{0}](std::vector<std::string>& fields, std::size_t& line,
                                                std::string& malformed) mutable {
    malformed.clear();
    if (next == 0) {  // the header
      fields = header;
      line = 0;
      ++next;
      return true;
    }
    if (next > rows.size()) return false;
    const JsonRow& row = rows[next - 1];
    line = next++;
    fields.assign(header.size(), "");
    if (!row.is_object) {
      malformed = "not a JSON object";
      return true;
    }
    std::vector<bool> present(header.size(), false);
    for (const JsonValue& value : row.values) {
      present[value.column] = true;
      if (value.kind == JsonValue::Kind::text) {
        fields[value.column] = value.text;
      } else if (std::find(columns.index.begin(), columns.index.end(), value.column) !=
                 columns.index.end()) {
        malformed = "field '" + value.key + "' must be a string or an integer";
        return true;
      }
    }
    for (std::size_t position : columns.index) {
      if (!present[position]) malformed = "missing field '" + header[position] + "'";
    }
    return true;
  };
}
