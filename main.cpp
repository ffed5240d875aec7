// uptime-monitor: hands the command line over to the command it names
// (src/app/cli.hpp).
#include "app/cli.hpp"

int main(int argc, char** argv) {
  return run_command_line(argc, argv);
}
