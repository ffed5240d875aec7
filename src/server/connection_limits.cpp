// The connection layer's bounds: room for a new connection (per address and
// in all), the body bytes held (in all and per client), and giving back what
// a closed connection held.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/guarded_connection.hpp"

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
