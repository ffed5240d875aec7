// The HTTP API of SPEC §6: routes, parameter checking, JSON and CSV answers,
// and the one place where errors become JSON {"error": ...} responses.
#pragma once

#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>

#include "database.hpp"
#include "metrics.hpp"
#include "records.hpp"
#include "report_jobs.hpp"

struct HttpSettings {
  std::size_t max_body = 64 << 20;  // bytes; larger bodies get 413
  unsigned http_threads = 8;        // started at once; more on demand
  std::size_t max_connections = 256;
  unsigned timeout_seconds = 30;  // read and write timeout of a connection
  std::string token;              // empty: no access control
  bool token_read = false;        // the token guards reading reports too
  std::string backup_dir;         // where POST /admin/backup writes
};

// Registers every route on `server`. `db` is the connection the API writes
// ingested rows through and reads health from; `jobs` runs the reports.
class HttpApi {
 public:
  HttpApi(Database& db, ReportJobs& jobs, Metrics& metrics, const HttpSettings& settings);
  void install(httplib::Server& server);

 private:
  void trigger_report(const httplib::Request& request, httplib::Response& response);
  void get_report(const std::string& id, const httplib::Request& request,
                  httplib::Response& response);
  void list_reports(const httplib::Request& request, httplib::Response& response);
  void store_detail(const std::string& store_id, const httplib::Request& request,
                    httplib::Response& response);
  void health(httplib::Response& response);
  void backup(httplib::Response& response);
  void metrics(httplib::Response& response);
  void ingest(Dataset dataset, const httplib::Request& request, httplib::Response& response);
  // Throws a 401 when the request needs the token and lacks it.
  void require_token(const httplib::Request& request, httplib::Response& response) const;

  Database& db_;
  std::mutex db_mutex_;
  std::mutex backup_mutex_;  // one backup at a time
  ReportJobs& jobs_;
  Metrics& metrics_;
  HttpSettings settings_;
};
