// The bytes of one HTTP exchange on a socket the connection layer
// (http_connections) owns: a whole request held in memory for httplib to
// parse, its answer written to the non-blocking socket within a deadline.
#pragma once

#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

// "203.0.113.5" or "2001:db8::1" for an address, and its port.
std::string address_text(const sockaddr_storage& address, int& port);

// The reason phrase of an HTTP status ("Request Timeout" for 408).
const char* reason_phrase(int status);

// An in-memory request for httplib to parse; answers go to the socket, each
// write waiting at most until `deadline` for the client to take the bytes.
class BufferedStream : public httplib::Stream {
 public:
  BufferedStream(int fd, std::string request, std::chrono::steady_clock::time_point deadline,
                 const std::string& ip, int port)
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
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline_ - std::chrono::steady_clock::now());
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
  std::chrono::steady_clock::time_point deadline_;
  std::string ip_;
  int port_;
  bool failed_ = false;
};
