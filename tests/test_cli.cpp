// The command line: commands, flags, environment variables, usage errors.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "cli.hpp"

namespace {

Options parse(std::vector<const char*> args) {
  args.insert(args.begin(), "uptime-monitor");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

// Sets an environment variable for the life of the object.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name); }
  const char* name;
};

}  // namespace

TEST_CASE("commands and defaults", "[cli]") {
  auto options = parse({"serve"});
  CHECK(options.command == Command::serve);
  CHECK(options.db_path == "uptime.db");
  CHECK(options.host == "127.0.0.1");
  CHECK(options.port == 8080);
  CHECK(parse({"--help"}).command == Command::help);
  CHECK(parse({"report", "--help"}).command == Command::help);
  CHECK(parse({"--version"}).command == Command::version);
}

TEST_CASE("flags take values as `--flag value` or `--flag=value`", "[cli]") {
  auto options =
      parse({"serve", "--db", "/tmp/x.db", "--port=0", "--host", "::1", "--threads", "3"});
  CHECK(options.db_path == "/tmp/x.db");
  CHECK(options.port == 0);
  CHECK(options.host == "::1");
  CHECK(options.threads == 3);

  auto report = parse({"report", "--as-of", "2023-01-25 18:00:00 UTC", "--interpolation",
                       "previous", "--out", "r.csv"});
  CHECK(report.as_of == parse_timestamp("2023-01-25 18:00:00"));
  CHECK(report.rules.interpolation == Interpolation::previous);
  CHECK(report.out_path == "r.csv");
}

TEST_CASE("environment variables fill in flags not given; flags win", "[cli]") {
  ScopedEnv db("UPTIME_DB", "/env/u.db");
  ScopedEnv port("UPTIME_PORT", "9999");
  auto options = parse({"serve", "--port", "1234"});
  CHECK(options.db_path == "/env/u.db");
  CHECK(options.port == 1234);
  ScopedEnv bad("UPTIME_THREADS", "lots");
  CHECK_THROWS_WITH(parse({"serve"}), Catch::Contains("UPTIME_THREADS"));
}

TEST_CASE("usage errors name what is wrong", "[cli]") {
  CHECK_THROWS_AS(parse({}), UsageError);
  CHECK_THROWS_WITH(parse({"frobnicate"}), Catch::Contains("unknown command 'frobnicate'"));
  CHECK_THROWS_WITH(parse({"serve", "--bogus"}), Catch::Contains("unknown option '--bogus'"));
  CHECK_THROWS_WITH(parse({"serve", "--port"}), Catch::Contains("needs a value"));
  CHECK_THROWS_WITH(parse({"serve", "--port", "70000"}), Catch::Contains("--port"));
  CHECK_THROWS_WITH(parse({"serve", "--port", "-1"}), Catch::Contains("--port"));
  CHECK_THROWS_WITH(parse({"serve", "--port", "80x"}), Catch::Contains("--port"));
  CHECK_THROWS_WITH(parse({"serve", "--threads", "0"}), Catch::Contains("--threads"));
  CHECK_THROWS_WITH(parse({"report", "--interpolation", "linear"}),
                    Catch::Contains("nearest or previous"));
  CHECK_THROWS_WITH(parse({"report", "--as-of", "yesterday"}), Catch::Contains("--as-of"));
  CHECK_THROWS_WITH(parse({"serve", "--out", "x"}), Catch::Contains("does not apply to 'serve'"));
  CHECK_THROWS_WITH(parse({"import"}), Catch::Contains("needs --data"));
  CHECK_THROWS_WITH(parse({"generate"}), Catch::Contains("needs --out"));
}

TEST_CASE("--help lists every command and option", "[cli]") {
  const std::string help = help_text();
  for (const char* word :
       {"serve", "import", "report", "generate", "--db", "--data", "--host", "--port", "--threads",
        "--as-of", "--interpolation", "--out", "UPTIME_DB", "UPTIME_PORT"}) {
    INFO(word);
    CHECK(help.find(word) != std::string::npos);
  }
}
