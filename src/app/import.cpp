#include "app/import.hpp"

#include "common/log.hpp"
#include "core/text.hpp"
#include "storage/store_engine.hpp"

namespace {

constexpr std::size_t kProgressBytes = 8 << 20;  // files above this get progress lines

}  // namespace

bool import_and_print(Database& db, const std::string& directory, const IngestRules& rules,
                      Metrics* metrics) {
  return import_and_print(
      [&](Dataset dataset, const std::string& source, std::istream& csv, const Progress& progress) {
        return ingest_csv(db, dataset, source, csv, progress, rules);
      },
      directory, metrics);
}

bool import_and_print(const CsvIngest& ingest, const std::string& directory, Metrics* metrics) {
  bool all_ok = true;
  import_directory(
      ingest, directory,
      [&](const ImportSummary& summary) {
        log_line(summary.ok() ? LogLevel::info : LogLevel::error, printable(summary.text()),
                 summary.log_fields());
        for (const auto& rejection : summary.first_rejections) {
          log_warning("  rejected " + printable(rejection),
                      {{"source", summary.source}, {"rejected", rejection}});
        }
        if (summary.rejected > summary.first_rejections.size()) {
          const std::size_t more = summary.rejected - summary.first_rejections.size();
          log_warning("  ... and " + std::to_string(more) + " more rejected rows",
                      {{"source", summary.source}, {"more_rejected", more}});
        }
        all_ok = all_ok && summary.ok();
        if (metrics) {
          metrics->count_ingest(dataset_name(summary.dataset), summary.loaded, summary.duplicates,
                                summary.conflicts, summary.rejected);
        }
      },
      [](const std::string& file, std::size_t bytes) -> Progress {
        if (bytes < kProgressBytes) return {};
        return [file](std::size_t rows) {
          if (rows % 500000 == 0) {
            log_info(file + ": " + std::to_string(rows) + " rows read...",
                     {{"source", file}, {"rows_read", rows}});
          }
        };
      });
  return all_ok;
}

Flag data_flag(std::string& data_dir) {
  return text_flag("--data", "UPTIME_DATA", "DIR",
                   "folder with store_status.csv, menu_hours.csv, timezones.csv, "
                   "special_hours.csv, store_tags.csv, stores.csv (each optional): what import "
                   "loads, and what "
                   "serve loads when the database holds no polls yet",
                   data_dir);
}

std::vector<Flag> flags_for(ImportOptions& o) {
  return {db_flag(o.db_path, DbKinds::sqlite_or_postgresql), data_flag(o.data_dir),
          max_future_flag(o.max_future), log_format_flag(o.log_format)};
}

void check_options(ImportOptions& options, const std::vector<std::string>& positionals) {
  if (!positionals.empty())
    throw UsageError("import: unexpected argument '" + positionals[0] + "'");
  if (options.data_dir.empty()) throw UsageError("import needs --data DIR (or UPTIME_DATA)");
}

int run_import(const ImportOptions& options) {
  set_log_format(options.log_format);
  const auto engine = open_store_engine(options.db_path);
  const IngestRules rules = IngestRules::for_clock(options.max_future);
  const bool all_ok = import_and_print(
      [&](Dataset dataset, const std::string& source, std::istream& csv, const Progress& progress) {
        return engine->ingest_csv(dataset, source, csv, progress, rules);
      },
      options.data_dir);
  return all_ok ? 0 : 1;
}
