// `import`: load the CSV files of a folder, printing each file's counts.
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "ingest.hpp"
#include "log.hpp"
#include "text.hpp"

namespace {

constexpr std::size_t kProgressBytes = 8 << 20;  // files above this get progress lines

}  // namespace

// Imports a folder, printing each file's summary (and progress for big files) to stderr.
bool import_and_print(Database& db, const std::string& directory, const IngestRules& rules,
                      Metrics* metrics) {
  bool all_ok = true;
  import_directory(
      db, directory,
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
      },
      rules);
  return all_ok;
}

int run_import(const Options& options) {
  Database db(options.db_path);
  return import_and_print(db, options.data_dir, IngestRules::for_clock(options.max_future)) ? 0 : 1;
}
