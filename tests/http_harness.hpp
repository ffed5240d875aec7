// httplib's request handling without a socket, for tests and the fuzzer:
// a request given as bytes runs through parsing, the route table and the
// handlers, and the answer comes back as bytes.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <string>

namespace test {

// The request in memory; the answer into a string.
class MemoryStream : public httplib::Stream {
 public:
  explicit MemoryStream(std::string request) : request_(std::move(request)) {}
  bool is_readable() const override { return at_ < request_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* out, std::size_t size) override {
    const std::size_t count = std::min(size, request_.size() - at_);
    request_.copy(out, count, at_);
    at_ += count;
    return static_cast<ssize_t>(count);
  }
  ssize_t write(const char* data, std::size_t size) override {
    answer.append(data, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 1;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 2;
  }
  socket_t socket() const override { return -1; }
  std::string answer;

 private:
  std::string request_;
  std::size_t at_ = 0;
};

class HttpHarness : public httplib::Server {
 public:
  std::string answer(std::string request) {
    MemoryStream stream(std::move(request));
    bool closed = false;
    process_request(stream, true, closed, nullptr);
    return stream.answer;
  }
};

}  // namespace test
