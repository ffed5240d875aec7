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
//
// A body is read only after the route table (RequestGate) has seen the head:
// the route, the Host, the page it comes from, its content type and its
// token. Its bytes count against the memory for bodies as they arrive, never
// on the promise of a Content-Length, and one client may hold only a share
// of it; idle connections cannot crowd out one whose body is arriving.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/client_address.hpp"
#include "server/request_framing.hpp"
#include "server/thread_pool.hpp"

struct ConnectionSettings {
  std::size_t max_body = kDefaultMaxBody;  // bytes of one body; more: 413 before reading it
  std::size_t max_buffered = 256 << 20;    // bytes of bodies held at once; more: 503
  // Bytes of bodies one client (client_address.hpp) may hold at once; more: 503.
  std::size_t max_buffered_per_client = 128 << 20;
  std::size_t max_connections = 1024;  // open connections; see make_room()
  // Open connections from one address (a trusted proxy's are not limited);
  // 0: no limit but max_connections.
  std::size_t max_connections_per_client = 256;
  std::chrono::seconds timeout{
      30};  // a whole request must arrive (and an answer be taken) within it
  std::chrono::seconds keep_alive{2};  // idle wait for the next request on a connection
  std::size_t min_workers = 4;         // threads answering complete requests
  std::size_t max_workers = 64;        // ... started on demand up to this
  FramingLimits limits;
  // Reverse proxies believed about the client they forward for.
  std::vector<AddressRange> trusted_proxies;
};

// A request refused by the layer above before its body was read.
struct Refusal {
  int status = 400;
  std::string reason;
  std::string extra_headers;  // whole lines, each ending "\r\n"
};

// A request refused before it reached a handler (framing, limits, timeout,
// the gate). The refusal's writer may change its status and reason (the
// route table answers 404 or 405 before a body rule) and add header lines.
struct RefusedRequest {
  int status;
  std::string reason;
  std::string extra_headers;  // whole lines, each ending "\r\n"
  std::string method;         // "" when the request line could not be read
  std::string path;           // likewise
  std::string remote_addr;    // the client (client_address.hpp)
  double seconds;             // from its first byte to the refusal
};

// What the connection layer asks of the route table above it.
class RequestGate {
 public:
  virtual ~RequestGate() = default;
  // Whether the route of (method, path) reads a body: a body sent to one
  // that does not is never read (the connection closes after the answer).
  virtual bool takes_body(const std::string& method, const std::string& path) const = 0;
  // Called on a worker thread for a request whose body is still to come,
  // before a byte of it is held: nullopt to read the body, else the refusal
  // (no such route, a Host or page not allowed, a content type the route
  // does not take, a missing or wrong token). `client` as in RefusedRequest.
  virtual std::optional<Refusal> admit(const RequestHead& head, const std::string& client) = 0;
  // The JSON body of a refusal (it may count and log it, and change its
  // status); must not throw.
  virtual std::string refused(RefusedRequest& request) = 0;
};

class GuardedServer : public httplib::Server {
 public:
  // `gate` outlives the server.
  GuardedServer(ConnectionSettings settings, RequestGate& gate);
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
  // Hands the connection to a worker: the gate's verdict on its head, or
  // (dispatch) the answer to its whole request.
  ConnectionPtr take_from_reader(Connection& connection);
  void ask_gate(Connection& connection);
  void dispatch(Connection& connection);
  void answer(ConnectionPtr connection, std::string request);
  void refuse(Connection& connection, int status, const std::string& reason,
              const std::string& extra_headers = "");
  void drain_then_close(Connection& connection, std::chrono::steady_clock::time_point now);
  void close_connection(int fd);
  void expire(std::chrono::steady_clock::time_point now);
  bool make_room(const Connection& arriving);
  bool evict(const std::string* peer);
  void turn_away(ConnectionPtr connection, const std::string& reason);
  void give_back(ConnectionPtr connection);  // from a worker to the reader
  void wake_reader();
  // Closes the socket and forgets what the connection held and counted.
  void release(Connection& connection);
  // Holds `bytes` more of the connection's body: false (nothing held) when
  // that would pass max_buffered or the client's share of it.
  bool hold_body_bytes(Connection& connection, std::size_t bytes);
  void release_body_bytes(Connection& connection);  // handoff_mutex_ held

  ConnectionSettings settings_;
  RequestGate& gate_;

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
  std::size_t buffered_bytes_ = 0;        // body bytes held by requests in progress
  std::unordered_map<std::string, std::size_t> client_bytes_;      // ... by client
  std::unordered_map<std::string, std::size_t> peer_connections_;  // open, by peer address
  bool stopping_ = false;
  std::condition_variable answered_;
};
