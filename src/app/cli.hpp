// The command line: which command to run (serve, import, report, backup,
// generate, token; one file each, each declaring its own flags), the top-level
// --help and --version, and the exit codes: 0 success, 1 failure, 2 usage.
#pragma once

#include <string>
#include <vector>

#include "app/flags.hpp"

// Runs the command argv names; returns the process's exit code. A usage
// error prints one line on stderr and returns 2; a failure is logged and
// returns 1.
int run_command_line(int argc, const char* const argv[]);

// The help of every command and its flags.
std::string help_text();

// Fills `options` from the command's arguments (after its name) and the
// environment, then checks them together (check_options). False when --help
// was asked. Throws UsageError.
template <typename Options>
bool parse_options(const std::string& command, const std::vector<std::string>& args,
                   Options& options) {
  const FlagsRead read = read_flags(command, args, flags_for(options));
  if (read.help) return false;
  check_options(options, read.positionals);
  return true;
}
