// `generate`: a realistic synthetic data set (demo fixtures, benchmarks).
#pragma once

#include <string>
#include <vector>

#include "app/flags.hpp"
#include "app/generator.hpp"

struct GenerateOptions {
  GeneratorSettings generator;
  std::string out_path;  // the folder to write
};

std::vector<Flag> flags_for(GenerateOptions& options);
void check_options(GenerateOptions& options, const std::vector<std::string>& positionals);
int run_generate(const GenerateOptions& options);
