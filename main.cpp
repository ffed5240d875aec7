// uptime-monitor: reads the command line and hands over to the command.
#include <cstdio>
#include <exception>

#include "cli.hpp"
#include "commands.hpp"
#include "log.hpp"

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_command_line(argc, argv);
  } catch (const UsageError& error) {
    std::fprintf(stderr, "uptime-monitor: %s\n", error.what());
    return 2;
  }
  set_log_format(options.log_format);
  try {
    switch (options.command) {
      case Command::help:
        std::fputs(help_text().c_str(), stdout);
        return 0;
      case Command::version:
        std::puts("uptime-monitor " UPTIME_VERSION);
        return 0;
      case Command::serve:
        return run_serve(options);
      case Command::import:
        return run_import(options);
      case Command::report:
        return run_report(options);
      case Command::backup:
        return run_backup(options);
      case Command::generate:
        return run_generate(options);
      case Command::token:
        return run_token(options);
    }
  } catch (const std::exception& error) {
    log_error(std::string("uptime-monitor: ") + error.what());
    return 1;
  }
  return 1;
}
