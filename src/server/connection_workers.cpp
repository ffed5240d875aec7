// The connection layer's workers: a connection leaves the reader thread for
// the gate's verdict on its head (ask_gate) or for its answer (dispatch,
// answer), and comes back (give_back); refusals answered before a handler.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/guarded_connection.hpp"
#include "server/socket_stream.hpp"

using namespace connection_limits;

namespace {

// When the first byte of the request this worker answers arrived.
thread_local Clock::time_point current_request_started;

}  // namespace

Clock::time_point GuardedServer::request_started() {
  return current_request_started;
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
