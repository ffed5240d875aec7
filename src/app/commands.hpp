// The commands of the binary (serve, import, report, backup, generate): each wires
// the modules together for one use. Return the process exit code.
#pragma once

#include "cli.hpp"

int run_serve(const Options& options);
int run_import(const Options& options);
int run_report(const Options& options);
int run_backup(const Options& options);
int run_generate(const Options& options);
