#include "app/migrate.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "common/log.hpp"
#include "storage/postgresql/pg_migrate.hpp"

std::vector<Flag> flags_for(MigrateOptions& o) {
  return {
      text_flag("--from", nullptr, "PATH", "the SQLite database to copy (left as it is)", o.from),
      text_flag("--to", nullptr, "URL",
                "an empty PostgreSQL database, postgresql://USER@HOST:PORT/DATABASE", o.to),
      log_format_flag(o.log_format)};
}

void check_options(MigrateOptions& options, const std::vector<std::string>& positionals) {
  if (!positionals.empty())
    throw UsageError("migrate: unexpected argument '" + positionals[0] + "'");
  if (options.from.empty() || options.to.empty())
    throw UsageError("migrate needs --from FILE and --to URL");
  if (is_postgresql_url(options.from))
    throw UsageError("migrate: --from is a SQLite file; it copies into PostgreSQL, not out");
  // (Not echoed: it may be a URL of another kind with a password in it.)
  if (!is_postgresql_url(options.to))
    throw UsageError("migrate: --to wants a PostgreSQL URL (postgresql://...)");
  if (!std::filesystem::is_regular_file(options.from))
    throw UsageError("migrate: --from " + options.from + " is not a file");
}

int run_migrate(const MigrateOptions& options) {
  set_log_format(options.log_format);
  const auto started = std::chrono::steady_clock::now();
  Database from(options.from, Database::Access::read_only);
  PgConnection to(options.to);
  std::size_t rows = 0;
  copy_sqlite_to_postgresql(from, to, [&rows](const CopiedTable& table) {
    rows += table.rows;
    log_info(table.table + ": " + std::to_string(table.rows) + " rows copied, counts checked",
             {{"table", table.table}, {"rows", table.rows}});
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.2f s", seconds);
  log_info(options.from + " copied to PostgreSQL at " + to.where() + ": " + std::to_string(rows) +
               " rows in " + took,
           {{"from", options.from}, {"to", to.where()}, {"rows", rows}, {"seconds", seconds}});
  return 0;
}
