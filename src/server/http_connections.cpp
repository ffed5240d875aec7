#include "server/http_connections.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "core/text.hpp"
#include "server/guarded_connection.hpp"
#include "server/socket_stream.hpp"

using namespace connection_limits;

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
