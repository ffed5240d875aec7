// Inside the connection layer (http_connections.hpp): one connection as the
// reader thread and the workers pass it between them, and the layer's fixed
// limits. Included by http_connections.cpp, connection_limits.cpp and
// connection_workers.cpp only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "server/http_connections.hpp"

namespace connection_limits {

using Clock = std::chrono::steady_clock;

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

}  // namespace connection_limits

struct GuardedServer::Connection {
  int fd = -1;
  std::string peer;  // the socket's remote address
  int peer_port = 0;
  std::string client;          // who the current request is from (client_address.hpp)
  std::uint64_t sequence = 0;  // arrival order, from 1; 0: not adopted yet
  bool counted = false;        // in peer_connections_
  std::string buffer;          // received, not yet answered
  // The request (or the next one's first byte) must arrive by then.
  std::chrono::steady_clock::time_point deadline;
  std::chrono::steady_clock::time_point started;  // first byte of the current request
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

// How readily a waiting connection is closed to make room for a new one:
// answered ones (draining) and idle ones first, then those whose head is
// still arriving; never one whose body is arriving (nullopt).
template <class Connection>
std::optional<int> eviction_rank(const Connection& connection) {
  if (connection.draining || !connection.started_set) return 0;
  if (!connection.head) return 1;
  return std::nullopt;
}
