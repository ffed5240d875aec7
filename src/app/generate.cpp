#include "app/generate.hpp"

#include <cstdio>
#include <limits>

std::vector<Flag> flags_for(GenerateOptions& o) {
  GeneratorSettings& g = o.generator;
  return {
      text_flag("--out", nullptr, "DIR", "the folder to write (created if missing)", o.out_path),
      number_flag("--stores", nullptr, "N", "stores to generate", g.stores, 1, 10000000),
      number_flag("--days", nullptr, "N", "days of polls to generate", g.days, 1, 3660),
      number_flag("--poll-every", nullptr, "H",
                  "hours between a store's polls (1: hourly, as the real data; more for a long "
                  "history on less disk)",
                  g.poll_every_hours, 1, 24 * 7),
      number_flag("--seed", nullptr, "N", "random seed; the same seed gives the same files", g.seed,
                  0, std::numeric_limits<std::uint64_t>::max()),
      {"--end", nullptr, "TS", "last instant polled", format_timestamp(g.end),
       [&g](const std::string& v) { g.end = parse_instant("--end", v); }},
  };
}

void check_options(GenerateOptions& options, const std::vector<std::string>& positionals) {
  if (!positionals.empty()) {
    throw UsageError("generate: unexpected argument '" + positionals[0] + "'");
  }
  if (options.out_path.empty()) throw UsageError("generate needs --out DIR");
}

int run_generate(const GenerateOptions& options) {
  const GeneratedCounts counts = generate_data_set(options.generator, options.out_path);
  std::fprintf(stderr,
               "%s: %zu stores, %zu polls, %zu hours rows, %zu zone rows, %zu special hours rows\n",
               options.out_path.c_str(), options.generator.stores, counts.polls, counts.hours_rows,
               counts.zone_rows, counts.special_rows);
  return 0;
}
