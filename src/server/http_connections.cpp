#include "server/http_connections.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "core/text.hpp"

using Clock = std::chrono::steady_clock;

namespace {

// httplib's own task queue, for the thread that accepts: accepting only
// hands the socket over, so one thread is plenty (a second if it lags).
class AcceptQueue : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> job) override { pool_.enqueue(std::move(job)); }
  void shutdown() override { pool_.shutdown(); }

 private:
  ElasticThreadPool pool_{1, 2};
};

}  // namespace

namespace {

// Bytes read from a socket per call, and at most per readiness event (so one
// fast sender cannot hold the reader while others wait).
constexpr std::size_t kReadChunk = 64 << 10;
constexpr std::size_t kReadPerEvent = 1 << 20;
// After an answer that closes the connection, unread input is read and
// dropped for this long, so the client sees the answer rather than a reset.
constexpr std::chrono::seconds kDrainTime{2};
// Requests answered on one connection before it is closed.
constexpr std::size_t kMaxRequestsPerConnection = 1000;
// How often deadlines are checked, at most.
constexpr std::chrono::milliseconds kTick{100};

thread_local Clock::time_point current_request_started;

std::string address_text(const sockaddr_storage& address, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  return text;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 421:
      return "Misdirected Request";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
  }
}

// An in-memory request for httplib to parse; answers go to the socket, each
// write waiting at most until `deadline` for the client to take the bytes.
class BufferedStream : public httplib::Stream {
 public:
  BufferedStream(int fd, std::string request, Clock::time_point deadline, const std::string& ip,
                 int port)
      : fd_(fd), request_(std::move(request)), deadline_(deadline), ip_(ip), port_(port) {}

  bool is_readable() const override { return read_at_ < request_.size(); }
  bool is_writable() const override { return !failed_; }

  ssize_t read(char* out, std::size_t size) override {
    const std::size_t count = std::min(size, request_.size() - read_at_);
    std::memcpy(out, request_.data() + read_at_, count);
    read_at_ += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* data, std::size_t size) override {
    std::size_t sent = 0;
    while (sent < size && !failed_) {
      const ssize_t count = ::send(fd_, data + sent, size - sent, MSG_NOSIGNAL);
      if (count > 0) {
        sent += static_cast<std::size_t>(count);
        continue;
      }
      if (count < 0 && errno == EINTR) continue;
      if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
        pollfd ready{fd_, POLLOUT, 0};
        if (left.count() > 0 && ::poll(&ready, 1, static_cast<int>(left.count())) > 0) continue;
      }
      failed_ = true;  // the client is gone, or too slow to take the answer
    }
    return failed_ ? -1 : static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = ip_;
    port = port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  socket_t socket() const override { return fd_; }
  bool failed() const { return failed_; }

 private:
  int fd_;
  std::string request_;
  std::size_t read_at_ = 0;
  Clock::time_point deadline_;
  std::string ip_;
  int port_;
  bool failed_ = false;
};

// The X-Forwarded-For fields of a request, in order, as one list.
std::string forwarded_for(const RequestHead& head) {
  std::string joined;
  for (const auto& [name, value] : head.fields) {
    if (!equals_ignoring_case(name, "X-Forwarded-For")) continue;
    if (!joined.empty()) joined += ',';
    joined += value;
  }
  return joined;
}

}  // namespace

struct GuardedServer::Connection {
  int fd = -1;
  std::string peer;  // the socket's remote address
  int peer_port = 0;
  std::string client;          // who the current request is from (client_address.hpp)
  std::uint64_t sequence = 0;  // arrival order, from 1; 0: not adopted yet
  bool counted = false;        // in peer_connections_
  std::string buffer;          // received, not yet answered
  Clock::time_point deadline;  // the request (or the next one's first byte) must arrive by then
  Clock::time_point started;   // first byte of the current request
  bool started_set = false;
  std::optional<RequestHead> head;  // framed; in waiting_, its body is arriving
  std::size_t body_length = 0;      // body bytes to read for `head`
  std::size_t reserved = 0;         // body bytes held, of buffered_bytes_ and client_bytes_
  std::optional<Refusal> refusal;   // the gate's, answered once the reader has it back
  bool close_after = false;         // answer, then close (a body left unread)
  bool continue_sent = false;
  bool draining = false;  // answered and half-closed: input is dropped until EOF or deadline
  std::size_t served = 0;
};

namespace {

// How readily a waiting connection is closed to make room for a new one:
// answered ones (draining) and idle ones first, then those whose head is
// still arriving; never one whose body is arriving (nullopt).
template <class Connection>
std::optional<int> eviction_rank(const Connection& connection) {
  if (connection.draining || !connection.started_set) return 0;
  if (!connection.head) return 1;
  return std::nullopt;
}

}  // namespace

GuardedServer::GuardedServer(ConnectionSettings settings, RequestGate& gate)
    : settings_(std::move(settings)),
      gate_(gate),
      workers_(settings_.min_workers, settings_.max_workers) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("cannot create epoll or eventfd");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  new_task_queue = [] { return new AcceptQueue; };
  // What httplib writes in "Keep-Alive:" must be what the reader does.
  set_keep_alive_timeout(settings_.keep_alive.count());
  set_keep_alive_max_count(kMaxRequestsPerConnection);
  reader_ = std::thread([this] { run_reader(); });
}

GuardedServer::~GuardedServer() {
  close_connections();
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

Clock::time_point GuardedServer::request_started() {
  return current_request_started;
}

void GuardedServer::close_connections() {
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    if (stopping_ && !reader_.joinable()) return;
    stopping_ = true;
  }
  wake_reader();
  if (reader_.joinable()) reader_.join();
  // Answers in progress finish; their connections close (stopping_).
  workers_.shutdown();
  std::vector<ConnectionPtr> left;
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    left.swap(handed_in_);
  }
  for (auto& connection : left) release(*connection);
}

bool GuardedServer::process_and_close_socket(socket_t socket) {
  auto connection = std::make_unique<Connection>();
  connection->fd = socket;
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    connection->peer = address_text(address, connection->peer_port);
  }
  connection->client = connection->peer;
  ::fcntl(socket, F_SETFL, ::fcntl(socket, F_GETFL) | O_NONBLOCK);
  connection->deadline = Clock::now() + settings_.timeout;
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    if (stopping_) {
      ::close(socket);
      return true;
    }
    handed_in_.push_back(std::move(connection));
  }
  wake_reader();
  return true;
}

void GuardedServer::wake_reader() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

void GuardedServer::run_reader() {
  std::vector<epoll_event> events(256);
  Clock::time_point last_check = Clock::now();
  for (;;) {
    const int count = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                                   static_cast<int>(kTick.count()));
    std::vector<ConnectionPtr> arrived;
    bool stopping;
    {
      std::lock_guard<std::mutex> lock(handoff_mutex_);
      arrived.swap(handed_in_);
      stopping = stopping_;
    }
    if (stopping) {
      for (auto& connection : arrived) release(*connection);
      for (auto& [fd, connection] : waiting_) release(*connection);
      waiting_.clear();
      return;
    }
    for (int i = 0; i < count; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        std::uint64_t ignored;
        [[maybe_unused]] const ssize_t got = ::read(wake_fd_, &ignored, sizeof ignored);
        continue;
      }
      auto found = waiting_.find(fd);
      if (found != waiting_.end()) on_readable(*found->second);
    }
    for (auto& connection : arrived) adopt(std::move(connection));
    const Clock::time_point now = Clock::now();
    if (now - last_check >= kTick) {
      expire(now);
      last_check = now;
    }
  }
}

void GuardedServer::adopt(ConnectionPtr connection) {
  Connection& adopted = *connection;
  if (adopted.sequence == 0) {
    if (!make_room(adopted)) {
      turn_away(std::move(connection), "too many connections; try again shortly");
      return;
    }
    adopted.sequence = ++next_sequence_;
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    ++peer_connections_[adopted.peer];
    adopted.counted = true;
  }
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP;
  event.data.fd = adopted.fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, adopted.fd, &event) != 0) {
    release(adopted);
    return;
  }
  waiting_[adopted.fd] = std::move(connection);
  if (adopted.refusal) {
    const Refusal refusal = std::move(*adopted.refusal);
    adopted.refusal.reset();
    refuse(adopted, refusal.status, refusal.reason, refusal.extra_headers);
    return;
  }
  // Bytes of a next request may have come with the last one (pipelining),
  // and the body may have come whole with an admitted head.
  if (!adopted.draining && !adopted.buffer.empty()) advance(adopted);
}

// Room for a connection from `arriving.peer`. At the limit of its address,
// that address's most readily closed waiting connection goes; at the limit
// of the server, anyone's (eviction_rank: idle, then head arriving, oldest
// first; never a body arriving). False when none may go: the new one is
// turned away. A crowd of idle or trickling clients cannot keep a new one
// out, nor make the server drop an upload in progress.
bool GuardedServer::make_room(const Connection& arriving) {
  std::size_t with_workers = 0;
  std::size_t from_peer = 0;
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    with_workers = answering_;
    const auto found = peer_connections_.find(arriving.peer);
    if (found != peer_connections_.end()) from_peer = found->second;
  }
  const std::size_t per_client = settings_.max_connections_per_client;
  if (per_client > 0 && from_peer >= per_client &&
      !in_any_range(settings_.trusted_proxies, arriving.peer)) {
    if (!evict(&arriving.peer)) return false;
  }
  while (waiting_.size() + with_workers >= settings_.max_connections) {
    if (!evict(nullptr)) return false;
  }
  return true;
}

// Closes the waiting connection (of `peer`, when given) that eviction_rank
// puts first; false when none may be closed.
bool GuardedServer::evict(const std::string* peer) {
  auto chosen = waiting_.end();
  std::pair<int, std::uint64_t> chosen_key;
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    const Connection& candidate = *it->second;
    if (peer && candidate.peer != *peer) continue;
    const auto rank = eviction_rank(candidate);
    if (!rank) continue;
    const std::pair<int, std::uint64_t> key{*rank, candidate.sequence};
    if (chosen == waiting_.end() || key < chosen_key) {
      chosen = it;
      chosen_key = key;
    }
  }
  if (chosen == waiting_.end()) return false;
  close_connection(chosen->first);
  return true;
}

void GuardedServer::turn_away(ConnectionPtr connection, const std::string& reason) {
  RefusedRequest refused{503, reason, "Retry-After: 1\r\n", "", "", connection->peer, 0.0};
  const std::string body = gate_.refused(refused);
  const std::string text =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\nConnection: close\r\n" + refused.extra_headers + "\r\n" +
      body;
  ::send(connection->fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(connection->fd, SHUT_WR);
  ::close(connection->fd);  // never counted: not adopted
}

void GuardedServer::release(Connection& connection) {
  ::close(connection.fd);
  std::lock_guard<std::mutex> lock(handoff_mutex_);
  release_body_bytes(connection);
  if (connection.counted) {
    const auto found = peer_connections_.find(connection.peer);
    if (--found->second == 0) peer_connections_.erase(found);
    connection.counted = false;
  }
}

bool GuardedServer::hold_body_bytes(Connection& connection, std::size_t bytes) {
  std::lock_guard<std::mutex> lock(handoff_mutex_);
  const auto found = client_bytes_.find(connection.client);
  const std::size_t held = found == client_bytes_.end() ? 0 : found->second;
  if (buffered_bytes_ + bytes > settings_.max_buffered ||
      held + bytes > settings_.max_buffered_per_client) {
    return false;
  }
  buffered_bytes_ += bytes;
  client_bytes_[connection.client] = held + bytes;
  connection.reserved += bytes;
  return true;
}

void GuardedServer::release_body_bytes(Connection& connection) {
  if (connection.reserved == 0) return;
  buffered_bytes_ -= connection.reserved;
  const auto found = client_bytes_.find(connection.client);
  found->second -= connection.reserved;
  if (found->second == 0) client_bytes_.erase(found);
  connection.reserved = 0;
}

void GuardedServer::close_connection(int fd) {
  auto found = waiting_.find(fd);
  if (found == waiting_.end()) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  release(*found->second);
  waiting_.erase(found);
}

void GuardedServer::on_readable(Connection& connection) {
  const int fd = connection.fd;
  char chunk[kReadChunk];
  std::size_t taken = 0;
  while (taken < kReadPerEvent) {
    // Only what the request needs is read: the rest waits in the socket.
    const bool body_arriving = !connection.draining && connection.head.has_value();
    std::size_t wanted = kReadChunk;
    if (body_arriving) {
      const std::size_t needed = connection.head->head_bytes + connection.body_length;
      if (connection.buffer.size() >= needed) break;
      wanted = std::min(wanted, needed - connection.buffer.size());
    }
    const ssize_t count = ::recv(fd, chunk, wanted, 0);
    if (count > 0) {
      const auto bytes = static_cast<std::size_t>(count);
      taken += bytes;
      if (connection.draining) continue;
      // Body bytes are held as they arrive, never on the promise of a length.
      if (body_arriving && !hold_body_bytes(connection, bytes)) {
        refuse(connection, 503, "too many request bodies in progress; try again shortly",
               "Retry-After: 1\r\n");
        return;
      }
      connection.buffer.append(chunk, bytes);
      if (!body_arriving) {
        advance(connection);  // may refuse, answer, close or ask the gate: look it up again
        if (waiting_.find(fd) == waiting_.end()) return;
      }
      continue;
    }
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (count == 0 && !connection.draining) {
      // The client finished sending: a whole request in the buffer is still
      // answered (the next read sees the end again and closes).
      advance(connection);
      if (waiting_.find(fd) == waiting_.end()) return;
    }
    close_connection(fd);  // end of input, or an error: the client is gone
    return;
  }
  if (!connection.draining) advance(connection);
}

void GuardedServer::advance(Connection& connection) {
  const Clock::time_point now = Clock::now();
  if (!connection.started_set && !connection.buffer.empty()) {
    // The whole request must arrive within the timeout of its first byte.
    connection.started = now;
    connection.started_set = true;
    connection.deadline = now + settings_.timeout;
  }
  if (!connection.head) {
    connection.buffer.erase(
        0, std::min(leading_blank_lines(connection.buffer), connection.buffer.size()));
    if (connection.buffer.empty()) return;
    Framing framing = frame_request(connection.buffer, settings_.limits, settings_.max_body);
    if (framing.state == FramingState::incomplete) return;
    if (framing.state == FramingState::rejected) {
      refuse(connection, framing.status, framing.reason);
      return;
    }
    connection.head = std::move(framing.head);
    const RequestHead& head = *connection.head;
    connection.client =
        client_address(connection.peer, forwarded_for(head), settings_.trusted_proxies);
    const bool body_read =
        head.content_length > 0 && gate_.takes_body(head.method, target_path(head.target));
    connection.body_length = body_read ? head.content_length : 0;
    connection.close_after = head.content_length > 0 && !body_read;
    if (connection.body_length > 0) {
      ask_gate(connection);
      return;
    }
  }
  const RequestHead& head = *connection.head;
  const std::size_t needed = head.head_bytes + connection.body_length;
  if (connection.buffer.size() >= needed) {
    dispatch(connection);
    return;
  }
  if (head.expects_continue && !connection.continue_sent) {
    static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    ::send(connection.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    connection.continue_sent = true;
  }
}

GuardedServer::ConnectionPtr GuardedServer::take_from_reader(Connection& connection) {
  const int fd = connection.fd;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  auto found = waiting_.find(fd);
  ConnectionPtr owned = std::move(found->second);
  waiting_.erase(found);
  std::lock_guard<std::mutex> lock(handoff_mutex_);
  ++answering_;
  return owned;
}

// The gate sees the head before any byte of the body is held (it may read
// the token table, so on a worker); the connection comes back to the reader
// admitted, its early body bytes held, or with the refusal to answer.
void GuardedServer::ask_gate(Connection& connection) {
  // std::function needs a copyable callable: the connection travels as a raw
  // pointer and is owned again at once on the worker.
  Connection* raw = take_from_reader(connection).release();
  workers_.enqueue([this, raw] {
    ConnectionPtr asking(raw);
    try {
      asking->refusal = gate_.admit(*asking->head, asking->client);
    } catch (const std::exception& error) {
      asking->refusal = Refusal{500, std::string("internal error: ") + error.what(), ""};
    } catch (...) {
      asking->refusal = Refusal{500, "internal error", ""};
    }
    const std::size_t early =
        std::min(asking->buffer.size() - asking->head->head_bytes, asking->body_length);
    if (!asking->refusal && early > 0 && !hold_body_bytes(*asking, early)) {
      asking->refusal = Refusal{503, "too many request bodies in progress; try again shortly",
                                "Retry-After: 1\r\n"};
    }
    {
      std::lock_guard<std::mutex> lock(handoff_mutex_);
      --answering_;
    }
    give_back(std::move(asking));
  });
}

void GuardedServer::dispatch(Connection& connection) {
  const RequestHead& head = *connection.head;
  const bool sent_length = !head.field("Content-Length").empty();
  std::string request =
      head.rewrite(connection.body_length, sent_length || connection.body_length > 0);
  request.append(connection.buffer, head.head_bytes, connection.body_length);
  connection.buffer.erase(0, head.head_bytes + connection.body_length);
  if (connection.close_after) connection.buffer.clear();
  Connection* raw = take_from_reader(connection).release();
  workers_.enqueue([this, raw, request = std::move(request)]() mutable {
    answer(ConnectionPtr(raw), std::move(request));
  });
}

void GuardedServer::answer(ConnectionPtr connection, std::string request) {
  current_request_started = connection->started;
  BufferedStream stream(connection->fd, std::move(request), Clock::now() + settings_.timeout,
                        connection->client, connection->peer_port);
  bool stopping;
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    stopping = stopping_;
  }
  ++connection->served;
  const bool close = stopping || connection->close_after || connection->head->wants_close ||
                     connection->served >= kMaxRequestsPerConnection;
  bool closed_by_client = false;
  try {
    process_request(stream, close, closed_by_client, nullptr);
  } catch (...) {
    // Nothing thrown while answering may end the process: drop the connection.
    closed_by_client = true;
  }
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    release_body_bytes(*connection);
    --answering_;
    stopping = stopping_;
  }
  const bool unread_input = connection->close_after;
  connection->head.reset();
  connection->body_length = 0;
  connection->close_after = false;
  connection->continue_sent = false;
  connection->started_set = false;
  if (stream.failed() || stopping) {
    release(*connection);
    return;
  }
  if (close || closed_by_client) {
    ::shutdown(connection->fd, SHUT_WR);
    if (!unread_input) {
      release(*connection);
      return;
    }
    connection->draining = true;
    connection->buffer.clear();
    connection->deadline = Clock::now() + kDrainTime;
  } else {
    connection->deadline = Clock::now() + settings_.keep_alive;
  }
  give_back(std::move(connection));
}

void GuardedServer::give_back(ConnectionPtr connection) {
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    if (!stopping_) {
      handed_in_.push_back(std::move(connection));
    }
  }
  if (connection) {
    release(*connection);  // stopping: the reader takes no more
    return;
  }
  wake_reader();
}

void GuardedServer::refuse(Connection& connection, int status, const std::string& reason,
                           const std::string& extra_headers) {
  const Clock::time_point now = Clock::now();
  RefusedRequest refused{
      status,
      reason,
      extra_headers,
      "",
      "",
      connection.client,
      std::chrono::duration<double>(now - (connection.started_set ? connection.started : now))
          .count()};
  if (connection.head) {
    refused.method = connection.head->method;
    refused.path = target_path(connection.head->target);
  } else if (connection.buffer.find('\n') != std::string::npos) {
    // The request line was read even if what followed was not.
    const std::string line = connection.buffer.substr(0, connection.buffer.find('\n'));
    const std::size_t space = line.find(' ');
    if (space != std::string::npos) {
      refused.method = line.substr(0, space);
      const std::size_t end = line.find(' ', space + 1);
      refused.path = target_path(
          line.substr(space + 1, end == std::string::npos ? std::string::npos : end - space - 1));
    }
  }
  const std::string body = gate_.refused(refused);
  const std::string text =
      "HTTP/1.1 " + std::to_string(refused.status) + " " + reason_phrase(refused.status) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n" + refused.extra_headers + "\r\n" + body;
  // A few hundred bytes into a socket's empty send buffer: never blocks.
  ::send(connection.fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  drain_then_close(connection, now);
}

void GuardedServer::drain_then_close(Connection& connection, Clock::time_point now) {
  ::shutdown(connection.fd, SHUT_WR);
  {
    std::lock_guard<std::mutex> lock(handoff_mutex_);
    release_body_bytes(connection);
  }
  connection.draining = true;
  connection.head.reset();
  connection.buffer.clear();
  connection.buffer.shrink_to_fit();
  connection.deadline = now + kDrainTime;
}

void GuardedServer::expire(Clock::time_point now) {
  std::vector<int> late;
  for (const auto& [fd, connection] : waiting_) {
    if (connection->deadline <= now) late.push_back(fd);
  }
  for (int fd : late) {
    Connection& connection = *waiting_.at(fd);
    if (connection.draining || !connection.started_set) {
      close_connection(fd);  // idle, or answered already
    } else {
      refuse(
          connection, 408,
          "the request did not arrive within " + std::to_string(settings_.timeout.count()) + " s");
    }
  }
}
