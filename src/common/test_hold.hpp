// Holds for the end-to-end tests, never for users: a test that must catch a
// report running or an import before its commit holds it there instead of
// racing it, so the verdict never depends on the machine's speed.
//
// UPTIME_TEST_HOLD_REPORTS=FILE  each report waits, once started, while FILE exists
// UPTIME_TEST_HOLD_IMPORT=FILE   each ingest of polls (import, first start,
//                                HTTP) waits before its commit while FILE exists
// UPTIME_TEST_HOLD_ROLLUP=FILE   each roll-up of stores' days (storage/rollups.hpp)
//                                waits before its commit while FILE exists
// UPTIME_TEST_HOLD_RETENTION=FILE each batch of polls retention deletes waits
//                                before its commit while FILE exists
// UPTIME_TEST_HOLD_REPORT_PARTS=FILE each report on PostgreSQL, its parts
//                                published, waits while FILE exists before its
//                                own workers take any (other servers' may)
#pragma once

#include <functional>

// A function that logs "held by VARIABLE" (once per call) and returns when
// the file the environment variable names no longer exists; an empty
// function when the variable is unset or empty.
std::function<void()> test_hold(const char* variable);
