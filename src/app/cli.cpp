#include "app/cli.hpp"

#include <cstdio>
#include <exception>

#include "app/backup.hpp"
#include "app/generate.hpp"
#include "app/import.hpp"
#include "app/migrate.hpp"
#include "app/report.hpp"
#include "app/rollup.hpp"
#include "app/serve.hpp"
#include "app/token.hpp"
#include "common/log.hpp"

namespace {

struct CommandEntry {
  const char* name;
  const char* usage;  // what follows the name
  const char* summary;
  // Runs it on the arguments after its name.
  int (*run)(const CommandEntry& command, const std::vector<std::string>& args);
  std::string (*flags)();  // the help of its flags, defaults included
};

// "uptime-monitor token create|list|revoke [options]" and its flags: what
// `<command> --help` prints, and --help for each command.
std::string command_help(const CommandEntry& command) {
  return std::string("uptime-monitor ") + command.name + " " + command.usage + "\n" +
         command.flags();
}

template <typename Options>
std::string flags_of() {
  Options defaults;
  return flags_help(flags_for(defaults));
}

// Parses a command's options and runs it, or prints its help.
template <typename Options, int (*Run)(const Options&)>
int run_with(const CommandEntry& command, const std::vector<std::string>& args) {
  Options options;
  if (!parse_options(command.name, args, options)) {
    const std::string text = "Usage: " + command_help(command);
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  return Run(options);
}

// The commands, in the order --help lists them.
const std::vector<CommandEntry>& commands() {
  static const std::vector<CommandEntry> all = {
      {"serve", "[options]",
       "run the HTTP server (imports --data first if the database has no polls)",
       run_with<ServeOptions, run_serve>, flags_of<ServeOptions>},
      {"import", "--data DIR [options]", "load the CSV files of --data into the database",
       run_with<ImportOptions, run_import>, flags_of<ImportOptions>},
      {"report", "[options]", "write the uptime/downtime report as CSV",
       run_with<ReportCommandOptions, run_report>, flags_of<ReportCommandOptions>},
      {"rollup", "[options]",
       "roll up the stores' days now, as the server does in the background (docs/rollups.md)",
       run_with<RollupOptions, run_rollup>, flags_of<RollupOptions>},
      {"backup", "--out FILE [options]",
       "write a consistent copy of the database to --out FILE (safe while serving)",
       run_with<BackupOptions, run_backup>, flags_of<BackupOptions>},
      {"migrate", "--from FILE --to URL [options]",
       "copy a SQLite database into an empty PostgreSQL one, counts checked "
       "(docs/postgresql.md)",
       run_with<MigrateOptions, run_migrate>, flags_of<MigrateOptions>},
      {"generate", "--out DIR [options]", "write a realistic synthetic data set to --out DIR",
       run_with<GenerateOptions, run_generate>, flags_of<GenerateOptions>},
      {"token", "create|list|revoke [options]",
       "access tokens: 'token create --name N --role R [--stores IDS | --tag T]' prints the "
       "secret once; 'token list'; 'token revoke --name N'",
       run_with<TokenOptions, run_token>, flags_of<TokenOptions>},
  };
  return all;
}

}  // namespace

std::string help_text() {
  std::string text =
      "uptime-monitor " UPTIME_VERSION
      ": how long restaurants were online and offline inside their business hours.\n\n"
      "Usage: uptime-monitor <command> [options]   ('uptime-monitor <command> --help' for one)\n\n"
      "Commands:\n";
  for (const CommandEntry& command : commands()) {
    std::string name = command.name;
    text += "  " + name + std::string(12 - name.size(), ' ') + command.summary + "\n";
  }
  text += "  --help      this text\n  --version   the version\n";
  for (const CommandEntry& command : commands()) {
    text += "\n" + command_help(command);
  }
  text +=
      "\nA flag's [env NAME] variable is read when the flag is not given; flags win.\n"
      "Exit codes: 0 success, 1 failure (message on stderr), 2 usage error.\n"
      "Timestamps are UTC, e.g. '2023-01-25 18:00:00 UTC' or '2023-01-25T18:00:00Z'.\n";
  return text;
}

int run_command_line(int argc, const char* const argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty()) throw UsageError("no command given; try 'uptime-monitor --help'");
    const std::string& first = args[0];
    if (first == "--help" || first == "-h" || first == "help") {
      std::fputs(help_text().c_str(), stdout);
      return 0;
    }
    if (first == "--version" || first == "-V") {
      std::puts("uptime-monitor " UPTIME_VERSION);
      return 0;
    }
    for (const CommandEntry& command : commands()) {
      if (first == command.name) {
        return command.run(command, std::vector<std::string>(args.begin() + 1, args.end()));
      }
    }
    throw UsageError("unknown command '" + first + "'; try 'uptime-monitor --help'");
  } catch (const UsageError& error) {
    std::fprintf(stderr, "uptime-monitor: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    log_error(std::string("uptime-monitor: ") + error.what());
    return 1;
  }
}
