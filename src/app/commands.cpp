#include "commands.hpp"

#include <httplib.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "backup.hpp"
#include "database.hpp"
#include "generator.hpp"
#include "http_api.hpp"
#include "ingest.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "report_builder.hpp"
#include "report_jobs.hpp"
#include "retention.hpp"
#include "text.hpp"
#include "wal_keeper.hpp"

namespace {

constexpr std::size_t kProgressBytes = 8 << 20;  // files above this get progress lines

// Imports a folder, printing each file's summary (and progress for big files) to stderr.
bool import_and_print(Database& db, const std::string& directory, const IngestRules& rules,
                      Metrics* metrics = nullptr) {
  bool all_ok = true;
  import_directory(
      db, directory,
      [&](const ImportSummary& summary) {
        nlohmann::json fields = summary.json();
        fields.erase("rejections");
        log_line(summary.ok() ? LogLevel::info : LogLevel::error, printable(summary.text()),
                 fields);
        for (const auto& rejection : summary.first_rejections) {
          log_warning("  rejected " + printable(rejection),
                      {{"source", summary.source}, {"rejected", rejection}});
        }
        if (summary.rejected > summary.first_rejections.size()) {
          const std::size_t more = summary.rejected - summary.first_rejections.size();
          log_warning("  ... and " + std::to_string(more) + " more rejected rows",
                      {{"source", summary.source}, {"more_rejected", more}});
        }
        all_ok = all_ok && summary.ok();
        if (metrics) {
          metrics->count_ingest(dataset_name(summary.dataset), summary.loaded, summary.duplicates,
                                summary.conflicts, summary.rejected);
        }
      },
      [](const std::string& file, std::size_t bytes) -> Progress {
        if (bytes < kProgressBytes) return {};
        return [file](std::size_t rows) {
          if (rows % 500000 == 0) {
            log_info(file + ": " + std::to_string(rows) + " rows read...",
                     {{"source", file}, {"rows_read", rows}});
          }
        };
      },
      rules);
  return all_ok;
}

// Each connection is a file descriptor: allow as many as may be served at
// once, plus the database's and some spare, within the hard limit.
void raise_open_file_limit(std::size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, max_connections + 256);
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = wanted;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur < max_connections + 64) {
    log_warning("warning: only " + std::to_string(limit.rlim_cur) +
                " open files allowed; --max-connections " + std::to_string(max_connections) +
                " may not be reached");
  }
}

unsigned default_threads(unsigned threads) {
  return threads ? threads : std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

int run_import(const Options& options) {
  Database db(options.db_path);
  return import_and_print(db, options.data_dir, IngestRules::for_clock(options.max_future)) ? 0
                                                                                             : 1;
}

int run_report(const Options& options) {
  Database db(options.db_path);  // creates or migrates the schema
  ReportOptions report_options{options.as_of, options.interpolation, options.threads};
  const Report report = build_report(options.db_path, report_options);
  const std::string csv = report_csv(report);
  if (options.out_path.empty()) {
    std::cout << csv << std::flush;
  } else {
    std::ofstream out(options.out_path, std::ios::binary);
    out << csv;
    out.close();
    if (!out) throw std::runtime_error("cannot write '" + options.out_path + "'");
  }
  std::fprintf(stderr, "report as of %s (%s): %zu stores, %zu without data\n",
               format_timestamp(report.as_of).c_str(), interpolation_name(report.interpolation),
               report.rows.size(), report.stores_without_data);
  return 0;
}

int run_serve(const Options& options) {
  // SIGINT/SIGTERM are taken by one thread with sigwait; blocked everywhere else
  // (threads started from here inherit the mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Database db(options.db_path);
  Metrics metrics;
  if (!options.data_dir.empty() && count_polls(db) == 0) {
    log_info("database " + options.db_path + " holds no polls: importing " + options.data_dir,
             {{"database", options.db_path}, {"data", options.data_dir}});
    import_and_print(db, options.data_dir, IngestRules::for_clock(options.max_future), &metrics);
  }

  const unsigned threads = default_threads(options.threads);
  ReportJobs jobs(options.db_path, threads, options.queue_limit,
                  [&metrics](const std::string& status, double seconds) {
                    metrics.observe_report(status, seconds);
                  });
  std::optional<RetentionWorker> retention;
  const RetentionSettings retention_settings{options.keep_reports, options.keep_polls_days};
  if (retention_settings.enabled()) retention.emplace(options.db_path, retention_settings);
  WalKeeper wal_keeper(options.db_path);
  raise_open_file_limit(options.max_connections);
  HttpSettings http;
  http.max_body = options.max_body;
  http.token = options.token;
  http.token_read = options.token_read;
  http.backup_dir = options.backup_dir.empty() ? options.db_path + ".backups" : options.backup_dir;
  http.keep_backups = options.keep_backups;
  http.max_future = options.max_future;
  HttpApi api(db, jobs, metrics, http);

  ConnectionSettings connections;
  connections.max_body = options.max_body;
  connections.max_buffered = std::max<std::size_t>(256 << 20, 2 * options.max_body);
  connections.max_connections = options.max_connections;
  connections.timeout = std::chrono::seconds{options.timeout};
  connections.max_workers = std::max<std::size_t>(16, threads * 4);
  GuardedServer server(
      connections,
      [&api](const std::string& method, const std::string& path) {
        return api.takes_body(method, path);
      },
      [&api](const RefusedRequest& refused) { return api.refused(refused); });
  api.install(server);
  // httplib listens with a backlog of 5, so a burst of new connections
  // overflows it and each waits a second for a SYN retry. Note the socket,
  // and listen on it again with the system's maximum once it is bound.
  // No SO_REUSEPORT (httplib's default sets it): a second server on the same
  // port must fail, not share the port with the first.
  int listen_socket = -1;
  server.set_socket_options([&listen_socket](socket_t socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket = socket;
  });

  errno = 0;
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port < 0) {
    const std::string why = errno ? std::strerror(errno) : "cannot bind";
    log_error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + why,
              {{"host", options.host}, {"port", options.port}, {"error", why}});
    return 1;
  }
  if (listen_socket >= 0) ::listen(listen_socket, SOMAXCONN);
  const std::string url = "http://" + options.host + ":" + std::to_string(port) + "/";
  const std::int64_t polls = count_polls(db);
  log_info("serving database " + options.db_path + " (" + std::to_string(polls) + " polls)",
           {{"url", url}, {"database", options.db_path}, {"polls", polls}});
  std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);

  std::atomic<bool> signalled{false};
  std::thread signal_waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    signalled = true;
    log_info("signal " + std::to_string(signal) + ": stopping", {{"signal", signal}});
    server.stop();
  });
  server.listen_after_bind();
  // If listening ended without a signal (it failed), release the waiting thread.
  if (!signalled) pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  // Idle and unfinished connections go at once; answers in progress finish.
  server.close_connections();
  jobs.shutdown(std::chrono::seconds{10});
  log_info("stopped");
  return 0;
}

int run_backup(const Options& options) {
  const BackupResult result = backup_database(options.db_path, options.out_path);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", result.seconds);
  log_info("backup of " + options.db_path + " written to " + result.path + ": " +
               std::to_string(result.bytes) + " bytes in " + seconds,
           {{"database", options.db_path},
            {"path", result.path},
            {"bytes", result.bytes},
            {"seconds", result.seconds}});
  return 0;
}

int run_generate(const Options& options) {
  GeneratorSettings settings{options.stores, options.days, options.seed,
                             options.end.value_or(default_generator_end())};
  const GeneratedCounts counts = generate_data_set(settings, options.out_path);
  std::fprintf(stderr, "%s: %zu stores, %zu polls, %zu hours rows, %zu zone rows\n",
               options.out_path.c_str(), options.stores, counts.polls, counts.hours_rows,
               counts.zone_rows);
  return 0;
}
