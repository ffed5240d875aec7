// `generate`: a realistic synthetic data set (demo fixtures, benchmarks).
#include <cstdio>

#include "commands.hpp"
#include "generator.hpp"

int run_generate(const Options& options) {
  GeneratorSettings settings{options.stores, options.days, options.seed,
                             options.end.value_or(default_generator_end())};
  const GeneratedCounts counts = generate_data_set(settings, options.out_path);
  std::fprintf(stderr,
               "%s: %zu stores, %zu polls, %zu hours rows, %zu zone rows, %zu special hours rows\n",
               options.out_path.c_str(), options.stores, counts.polls, counts.hours_rows,
               counts.zone_rows, counts.special_rows);
  return 0;
}
