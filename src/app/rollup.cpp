#include "app/rollup.hpp"

#include <filesystem>

#include "common/log.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/rollups.hpp"

std::vector<Flag> flags_for(RollupOptions& o) {
  return {db_flag(o.db_path, DbKinds::sqlite_or_postgresql),
          max_gap_flag(o.max_gap, ": give the server's --max-gap, the rules it rolls up with"),
          log_format_flag(o.log_format)};
}

void check_options(RollupOptions&, const std::vector<std::string>& positionals) {
  if (!positionals.empty()) {
    throw UsageError("rollup: unexpected argument '" + positionals[0] + "'");
  }
}

int run_rollup(const RollupOptions& options) {
  set_log_format(options.log_format);
  if (!is_postgresql_url(options.db_path) && !std::filesystem::exists(options.db_path)) {
    throw std::runtime_error("no database at '" + options.db_path + "'");
  }
  const std::unique_ptr<RollupTarget> target = open_rollups(options.db_path);  // migrates
  StatusRules rules(Interpolation::nearest);
  rules.max_gap = options.max_gap;
  const auto started = std::chrono::steady_clock::now();
  const RollUpCounts counts = roll_up_all(*target, rules);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log_info("rolled up " + std::to_string(counts.dates) + " local dates of " +
               std::to_string(counts.stores) + " stores in " + std::to_string(seconds) + " s",
           {{"dates", counts.dates}, {"stores", counts.stores}, {"seconds", seconds}});
  return 0;
}
