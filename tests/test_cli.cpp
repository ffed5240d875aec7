// The command line: each command's flags, environment variables, usage
// errors, and help that prints each default from the setting it fills.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "app/cli.hpp"
#include "app/generate.hpp"
#include "app/import.hpp"
#include "app/report.hpp"
#include "app/serve.hpp"
#include "app/token.hpp"

namespace {

// Parses `args` (after the command's name) into a fresh Options; --help is a failure.
template <typename Options>
Options parse(const std::string& command, const std::vector<std::string>& args) {
  Options options;
  REQUIRE(parse_options(command, args, options));
  return options;
}

// Sets an environment variable for the life of the object.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name); }
  const char* name;
};

// The exit code of the whole command line, as main returns it.
int exit_code(std::vector<const char*> args) {
  args.insert(args.begin(), "uptime-monitor");
  return run_command_line(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST_CASE("defaults are the settings' own", "[cli]") {
  const auto serve = parse<ServeOptions>("serve", {});
  CHECK(serve.db_path == "uptime.db");
  CHECK(serve.host == "127.0.0.1");
  CHECK(serve.port == 8080);
  CHECK(serve.connections.max_body == kDefaultMaxBody);
  CHECK(serve.connections.timeout == ConnectionSettings{}.timeout);
  CHECK(serve.http.keep_backups == HttpSettings{}.keep_backups);
  CHECK(serve.retention.keep_reports == 500);
  ServeOptions defaults;
  const std::string help = flags_help(flags_for(defaults));
  CHECK(help.find("[" + std::to_string(kDefaultMaxBody) + "]") != std::string::npos);
  CHECK(help.find("[" + std::to_string(HttpSettings{}.keep_backups) + "]") != std::string::npos);
  CHECK(help.find("[one per core]") != std::string::npos);
}

TEST_CASE("flags take values as `--flag value` or `--flag=value`", "[cli]") {
  const auto serve =
      parse<ServeOptions>("serve", {"--db", "/tmp/x.db", "--port=0", "--host", "::1", "--threads",
                                    "3", "--max-body", "2048", "--timeout", "5"});
  CHECK(serve.db_path == "/tmp/x.db");
  CHECK(serve.port == 0);
  CHECK(serve.host == "::1");
  CHECK(serve.threads == 3);
  CHECK(serve.connections.max_body == 2048);
  CHECK(serve.connections.timeout == std::chrono::seconds{5});

  const auto report = parse<ReportCommandOptions>(
      "report",
      {"--as-of", "2023-01-25 18:00:00 UTC", "--interpolation", "previous", "--out", "r.csv"});
  CHECK(report.report.as_of == parse_timestamp("2023-01-25 18:00:00"));
  CHECK(report.report.rules.interpolation == Interpolation::previous);
  CHECK(report.out_path == "r.csv");

  // The same name may mean different things to two commands.
  CHECK(parse<GenerateOptions>("generate", {"--out", "d", "--stores", "7"}).generator.stores == 7);
  const auto token =
      parse<TokenOptions>("token", {"create", "--name", "n", "--role", "owner", "--stores", "a,b"});
  CHECK(token.action == TokenAction::create);
  CHECK(token.stores == std::vector<std::string>{"a", "b"});
}

TEST_CASE("environment variables fill in flags not given; flags win", "[cli]") {
  ScopedEnv db("UPTIME_DB", "/env/u.db");
  ScopedEnv port("UPTIME_PORT", "9999");
  const auto serve = parse<ServeOptions>("serve", {"--port", "1234"});
  CHECK(serve.db_path == "/env/u.db");
  CHECK(serve.port == 1234);
  ScopedEnv bad("UPTIME_THREADS", "lots");
  ServeOptions options;
  CHECK_THROWS_WITH(parse_options("serve", {}, options), Catch::Contains("UPTIME_THREADS"));
}

TEST_CASE("usage errors name what is wrong", "[cli]") {
  ServeOptions serve;
  CHECK_THROWS_WITH(parse_options("serve", {"--bogus"}, serve),
                    Catch::Contains("unknown option '--bogus'"));
  CHECK_THROWS_WITH(parse_options("serve", {"--port"}, serve), Catch::Contains("needs a value"));
  for (const char* port : {"70000", "-1", "80x"}) {
    CHECK_THROWS_WITH(parse_options("serve", {"--port", port}, serve), Catch::Contains("--port"));
  }
  CHECK_THROWS_WITH(parse_options("serve", {"--threads", "0"}, serve),
                    Catch::Contains("--threads"));
  CHECK_THROWS_WITH(parse_options("serve", {"--out", "x"}, serve),
                    Catch::Contains("unknown option '--out' for 'serve'"));
  CHECK_THROWS_WITH(parse_options("serve", {"--token-read"}, serve),
                    Catch::Contains("--token-read needs --token"));
  ReportCommandOptions report;
  CHECK_THROWS_WITH(parse_options("report", {"--interpolation", "linear"}, report),
                    Catch::Contains("nearest or previous"));
  CHECK_THROWS_WITH(parse_options("report", {"--as-of", "yesterday"}, report),
                    Catch::Contains("--as-of"));
  ImportOptions import;
  CHECK_THROWS_WITH(parse_options("import", {}, import), Catch::Contains("needs --data"));
  GenerateOptions generate;
  CHECK_THROWS_WITH(parse_options("generate", {}, generate), Catch::Contains("needs --out"));
  TokenOptions token;
  CHECK_THROWS_WITH(parse_options("token", {"make"}, token),
                    Catch::Contains("create, list or revoke"));

  CHECK(exit_code({}) == 2);
  CHECK(exit_code({"frobnicate"}) == 2);
  CHECK(exit_code({"serve", "--bogus"}) == 2);
  ReportCommandOptions help;
  CHECK_FALSE(parse_options("report", {"--help"}, help));
}

TEST_CASE("--help lists every command and its options", "[cli]") {
  const std::string help = help_text();
  for (const char* word :
       {"serve", "import", "report", "generate", "backup", "token", "--db", "--data", "--host",
        "--port", "--threads", "--as-of", "--interpolation", "--out", "UPTIME_DB", "UPTIME_PORT",
        "--webhook-timeout", "--create-db", "--seed"}) {
    INFO(word);
    CHECK(help.find(word) != std::string::npos);
  }
}
