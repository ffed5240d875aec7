// `serve`: the HTTP server, wired from the layers: the database (first-start
// import), the report queue, the daily rollups, retention, the WAL keeper,
// the alerts' clock and webhook delivery, the route table and the connection
// layer; SIGINT/SIGTERM stop it cleanly.
#include "app/serve.hpp"

#include <httplib.h>
#include <malloc.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <thread>

#include "app/demo_feed.hpp"
#include "app/import.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/periodic_thread.hpp"
#include "common/test_hold.hpp"
#include "server/fleet_keeper.hpp"
#include "server/http_api.hpp"
#include "server/live_fleet.hpp"
#include "server/metrics.hpp"
#include "server/report_jobs.hpp"
#include "server/webhook_delivery.hpp"
#include "storage/alert_clock.hpp"
#include "storage/backup.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_report_parts.hpp"
#include "storage/retention.hpp"
#include "storage/rollups.hpp"
#include "storage/server_database.hpp"
#include "storage/wal_keeper.hpp"
#include "storage/worker_lease.hpp"

namespace {

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

constexpr std::size_t kShortToken = 20;  // characters

// How often a server on PostgreSQL reads the changes other servers made
// (issue 35: /fleet follows them within 2 s).
constexpr std::chrono::milliseconds kFollowEvery{500};
// How often it looks for parts of other servers' reports to compute.
constexpr std::chrono::milliseconds kHelpEvery{200};

unsigned default_threads(unsigned threads) {
  return threads ? threads : std::max(1u, std::thread::hardware_concurrency());
}

// glibc gives each thread that allocates under contention an arena of its own,
// up to 8 per core, and keeps what each arena freed for that arena: at a
// million stores the report workers, the fleet keeper and the ingest
// connections left 1,031 MB resident at the end of `make bench-scale`; with
// one arena per core, 926 MB (the same timings, BENCHMARKS.md). Each thread's
// cache still serves small allocations without a lock. MALLOC_ARENA_MAX, when
// set, wins.
void bound_malloc_arenas(unsigned threads) {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, threads)));
}

std::string http_backup_dir(const ServeOptions& options) {
  return options.http.backup_dir.empty() ? options.db_path + ".backups" : options.http.backup_dir;
}

// The flags filled the settings; what is left is what one setting takes from
// another.
HttpSettings http_settings(const ServeOptions& options, WebhookDelivery& webhooks) {
  HttpSettings http = options.http;
  http.max_body = options.connections.max_body;
  http.backup_dir = http_backup_dir(options);
  http.origins.bound_address = options.host;
  http.origins.public_url = options.webhooks.public_url;
  http.alerts = options.alerts;
  http.polls_ingested = [&webhooks] { webhooks.wake(); };
  return http;
}

ConnectionSettings connection_settings(const ServeOptions& options, unsigned threads) {
  ConnectionSettings connections = options.connections;
  connections.max_buffered = std::max(connections.max_buffered, 2 * connections.max_body);
  connections.max_buffered_per_client = connections.max_buffered / 2;
  connections.max_workers = std::max<std::size_t>(16, threads * 4);
  return connections;
}

// Binds the listening socket; returns the port, or -1 after logging why not.
// httplib listens with a backlog of 5, so a burst of new connections
// overflows it and each waits a second for a SYN retry: the socket listens
// again with the system's maximum once bound. No SO_REUSEPORT (httplib's
// default sets it): a second server on the same port must fail, not share it.
// TCP_NODELAY, which accepted connections inherit: an answer written in two
// pieces otherwise waits for the client's delayed ACK of the first, 40 ms on
// every answer but the first of a kept-alive connection (a page of stores
// took 44 ms instead of 3).
int bind_port(httplib::Server& server, const ServeOptions& options) {
  int listen_socket = -1;
  server.set_socket_options([&listen_socket](socket_t socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
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
    return -1;
  }
  if (listen_socket >= 0) ::listen(listen_socket, SOMAXCONN);
  return port;
}

// Imports --data when the database holds no polls yet.
void first_start_import(ServerDatabase& database, const ServeOptions& options, Metrics& metrics) {
  if (options.data_dir.empty() || database.figures->health().polls != 0) return;
  log_info("database " + database.location() + " holds no polls: importing " + options.data_dir,
           {{"database", database.location()}, {"data", options.data_dir}});
  IngestRules rules = IngestRules::for_clock(options.http.max_future);
  if (options.demo) {
    rules.shift = demo_shift(options.data_dir, rules.clock);
    log_info("demo: polls moved " + std::to_string(rules.shift.count() / 3600000000) +
                 " hours later, so the newest is now",
             {{"shift_seconds", rules.shift.count() / 1000000}});
  }
  import_and_print(
      [&](Dataset dataset, const std::string& source, std::istream& csv, const Progress& progress) {
        return database.engine->ingest_csv(dataset, source, csv, progress, rules);
      },
      options.data_dir, &metrics);
}

// The demo feeder's stores: every one, going on from its state now.
std::vector<DemoFeed::Store> demo_stores(const LiveFleet& fleet) {
  std::vector<DemoFeed::Store> stores;
  StoreListQuery all;
  all.limit = std::numeric_limits<std::size_t>::max();
  for (const LiveStore& store : fleet.page(all).rows) {
    stores.push_back({store.store_id, store.status.state != StoreState::down});
  }
  return stores;
}

// On PostgreSQL other servers may share the data: their changes reach this
// server's live state within about a second, and this server computes parts
// of the reports they compute (pg_report_parts.hpp).
class OtherServers {
 public:
  OtherServers(const std::string& url, unsigned threads, LiveFleet& fleet)
      : helper_(url, threads),
        follower_("fleet: following other servers failed", kFollowEvery,
                  PeriodicThread::FirstStep::after_wait,
                  [&fleet] { fleet.follow_other_servers(wall_clock_now()); }),
        helping_("reports: helping another server failed", kHelpEvery,
                 PeriodicThread::FirstStep::after_wait, [this] { help(); }) {}

 private:
  void help() {
    if (const std::size_t stores = helper_.step()) {
      log_info("reports: computed " + std::to_string(stores) + " stores of another server's report",
               {{"stores", stores}});
    }
  }

  PgReportHelper helper_;
  PeriodicThread follower_;
  PeriodicThread helping_;  // last: stopped first, before helper_ goes
};

// Where this server answers, for a client of its own.
std::string own_url(const ServeOptions& options, int port) {
  const bool any_host = options.host == "0.0.0.0" || options.host == "::";
  return "http://" + (any_host ? std::string("127.0.0.1") : options.host) + ":" +
         std::to_string(port);
}

}  // namespace

int run_serve(const ServeOptions& options) {
  set_log_format(options.log_format);
  const unsigned threads = default_threads(options.threads);
  bound_malloc_arenas(threads);  // before any thread starts
  // SIGINT/SIGTERM are taken by one thread with sigwait; blocked everywhere else
  // (threads started from here inherit the mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // A right token is always accepted (the lockout slows wrong ones only):
  // a short one can be guessed.
  const std::string& token = options.http.token;
  if (!token.empty() && token.size() < kShortToken) {
    log_warning("warning: the --token is shorter than " + std::to_string(kShortToken) +
                " characters and could be guessed; 'uptime-monitor token create' makes 256-bit "
                "ones");
  }
  // Creates or migrates the schema. `where`: the file, or the PostgreSQL
  // host and database (never the password).
  const std::unique_ptr<ServerDatabase> database = open_server_database(options.db_path);
  const bool on_sqlite = database->sqlite_writer() != nullptr;
  const std::string where = on_sqlite ? options.db_path : postgresql_location(options.db_path);
  Metrics metrics;
  const std::string backup_dir = http_backup_dir(options);
  if (on_sqlite) {
    if (const std::size_t removed = remove_partial_backups(backup_dir)) {
      log_info("removed " + std::to_string(removed) + " partial backups left in " + backup_dir,
               {{"removed", removed}, {"folder", backup_dir}});
    }
  }
  first_start_import(*database, options, metrics);
  // Each store's state now, from its polls: ready before the first request.
  LiveFleet fleet(options.db_path, options.alerts.silence);
  {
    const auto started = std::chrono::steady_clock::now();
    fleet.load(wall_clock_now());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    log_info("live state of the stores read in " + std::to_string(seconds) + " s",
             {{"seconds", seconds}});
  }

  ReportJobs jobs(
      options.db_path, threads, options.queue_limit,
      [&metrics](ReportStatus status, double seconds) { metrics.observe_report(status, seconds); });
  jobs.set_hold(test_hold("UPTIME_TEST_HOLD_REPORTS"));
  FleetSettings fleet_settings = options.fleet;
  fleet_settings.default_max_gap = options.http.default_max_gap;
  // One server at a time runs the alerts' clock, webhook delivery and the
  // standard report's schedule.
  const std::unique_ptr<WorkerLease> lease = open_worker_lease(options.db_path);
  FleetKeeper fleet_keeper(options.db_path, fleet, jobs, *lease, fleet_settings);
  // Each store's days rolled up in the background with the standard
  // report's rules, so periods of dates read a row per date
  // (docs/rollups.md), by the lease holder (one server at a time on
  // PostgreSQL); SQLite's write-ahead log kept small (PostgreSQL keeps its
  // own: docs/postgresql.md).
  RollupWorker rollups(options.db_path, *lease,
                       standard_report_options(options.http.default_max_gap).rules);
  std::optional<WalKeeper> wal_keeper;
  RetentionSettings retention_settings = options.retention;
  if (on_sqlite) {
    wal_keeper.emplace(options.db_path);
  } else if (retention_settings.keep_polls_days > 0) {
    log_warning(
        "warning: --keep-polls-days deletes polls on SQLite only so far: on PostgreSQL every "
        "poll is kept (its daily rollups do not stand for deleted polls yet: "
        "docs/postgresql.md)");
    retention_settings.keep_polls_days = 0;
  }
  // Retention, by the lease holder (one server at a time on PostgreSQL).
  std::optional<RetentionWorker> retention;
  if (retention_settings.enabled()) {
    retention.emplace(options.db_path, *lease, retention_settings,
                      [&metrics, &fleet](const RetentionResult& deleted) {
                        metrics.count_retention(deleted);
                        // Stores' first polls may be gone: where their data begins moved.
                        if (deleted.polls_deleted > 0) fleet.reread_all(wall_clock_now());
                      });
  }
  std::optional<OtherServers> other_servers;
  if (!on_sqlite) other_servers.emplace(options.db_path, threads, fleet);
  DeliverySettings delivery = options.webhooks;
  delivery.per_receiver = std::min(delivery.per_receiver, delivery.concurrency);
  WebhookDelivery webhooks(options.db_path, *lease, delivery, metrics);
  AlertClock alert_clock(options.db_path, *lease, options.alerts, [&webhooks] { webhooks.wake(); });
  raise_open_file_limit(options.connections.max_connections);
  HttpApi api(*database, jobs, fleet, metrics, http_settings(options, webhooks));
  GuardedServer server(connection_settings(options, threads), api);
  api.install(server);
  const int port = bind_port(server, options);
  if (port < 0) return 1;
  const std::string url = "http://" + options.host + ":" + std::to_string(port) + "/";
  const std::int64_t polls = database->figures->health().polls;
  log_info("serving database " + where + " (" + std::to_string(polls) + " polls)",
           {{"url", url}, {"database", where}, {"polls", polls}});
  std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);
  std::optional<DemoFeed> demo;
  if (options.demo) {
    auto stores = demo_stores(fleet);
    log_info("demo: posting polls of " + std::to_string(stores.size()) + " stores",
             {{"stores", stores.size()}});
    demo.emplace(own_url(options, port), options.http.token, std::move(stores));
  }

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
