// Connections of the HTTP server, kept apart from the threads that answer.
//
// httplib gives each connection a thread from the moment it is accepted, so a
// few hundred clients that send one byte a second (or nothing) hold every
// thread and starve real requests, and it reads bodies the way their headers
// say (inflating gzip, reading to the end without a length). Here one reader
// thread (epoll) owns every connection until a whole request has arrived: it
// frames the request (request_framing.hpp), enforces the limits and the
// deadline, and only then hands the request, already in memory, to a worker
// that runs httplib's routing and handlers over it. Idle and slow connections
// cost a buffer, not a thread; a request must arrive whole within the timeout.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "request_framing.hpp"
#include "thread_pool.hpp"

struct ConnectionSettings {
  std::size_t max_body = 64 << 20;       // bytes of one body; more: 413 before reading it
  std::size_t max_buffered = 256 << 20;  // bytes of bodies held at once; more: 503
  std::size_t max_connections = 1024;    // open connections; a new one closes the oldest waiting
  std::chrono::seconds timeout{
      30};  // a whole request must arrive (and an answer be taken) within it
  std::chrono::seconds keep_alive{2};  // idle wait for the next request on a connection
  std::size_t min_workers = 4;         // threads answering complete requests
  std::size_t max_workers = 64;        // ... started on demand up to this
  FramingLimits limits;
};

// A request refused before it reached a handler (framing, limits, timeout).
// The refusal's writer may change its status and reason (the route table
// answers 404 or 405 before a body rule) and add header lines.
struct RefusedRequest {
  int status;
  std::string reason;
  std::string extra_headers;  // whole lines, each ending "\r\n"
  std::string method;         // "" when the request line could not be read
  std::string path;           // likewise
  std::string remote_addr;
  double seconds;  // from its first byte to the refusal
};

class GuardedServer : public httplib::Server {
 public:
  // `takes_body(method, path)`: whether the route reads a body (a body sent
  // to one that does not is never read: the connection closes after the
  // answer). `on_refused` writes the JSON body of a refusal (and may count
  // and log it, and change its status); it must not throw.
  GuardedServer(ConnectionSettings settings,
                std::function<bool(const std::string& method, const std::string& path)> takes_body,
                std::function<std::string(RefusedRequest&)> on_refused);
  ~GuardedServer() override;

  // Call after listen_after_bind() returned: closes every connection that is
  // not being answered and waits for the answers in progress.
  void close_connections();

  // When the first byte of the request this thread is answering arrived.
  static std::chrono::steady_clock::time_point request_started();

 protected:
  bool process_and_close_socket(socket_t socket) override;

 private:
  struct Connection;
  using ConnectionPtr = std::unique_ptr<Connection>;

  void run_reader();
  void adopt(ConnectionPtr connection);
  void on_readable(Connection& connection);
  void advance(Connection& connection);
  void dispatch(Connection& connection);
  void answer(ConnectionPtr connection, std::string request);
  void refuse(Connection& connection, int status, const std::string& reason,
              const std::string& extra_headers = "");
  void drain_then_close(Connection& connection, std::chrono::steady_clock::time_point now);
  void close_connection(int fd);
  void expire(std::chrono::steady_clock::time_point now);
  void make_room();
  void give_back(ConnectionPtr connection);  // from a worker to the reader
  void wake_reader();

  ConnectionSettings settings_;
  std::function<bool(const std::string&, const std::string&)> takes_body_;
  std::function<std::string(RefusedRequest&)> on_refused_;

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread reader_;
  ElasticThreadPool workers_;

  // Owned by the reader thread: connections waiting for (the rest of) a request.
  std::unordered_map<int, ConnectionPtr> waiting_;
  std::uint64_t next_sequence_ = 0;

  mutable std::mutex handoff_mutex_;      // guards the fields below
  std::vector<ConnectionPtr> handed_in_;  // new sockets and connections back from workers
  std::size_t answering_ = 0;             // connections with a worker now
  std::size_t buffered_bytes_ = 0;        // body bytes reserved by requests in progress
  bool stopping_ = false;
  std::condition_variable answered_;
};
