#include "server/webhook_client.hpp"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace {

using Clock = std::chrono::steady_clock;

// How often a wait looks at the stop flag.
constexpr std::chrono::milliseconds kStopCheck{100};

// Why an attempt ended without an answer: becomes WebhookAnswer::error.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Waits until `fd` is ready for `events` (or has an error, which the next
// call on it reports); throws at the deadline or when stopped.
void wait_for(int fd, short events, Clock::time_point deadline, const std::atomic<bool>& stop,
              const char* doing) {
  for (;;) {
    if (stop) throw Failure("not sent: the server is stopping");
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      throw Failure(std::string("no answer within the deadline (") + doing + ")");
    pollfd ready{fd, events, 0};
    const int count = ::poll(&ready, 1, static_cast<int>(std::min(left, kStopCheck).count()) + 1);
    if (count > 0) return;
    if (count < 0 && errno != EINTR)
      throw Failure(std::string("poll failed: ") + std::strerror(errno));
  }
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A connected, non-blocking socket to one of the host's addresses.
std::unique_ptr<Descriptor> connect_to(const WebUrl& url, Clock::time_point deadline,
                                       const std::atomic<bool>& stop) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int resolved =
      ::getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &found);
  if (resolved != 0) throw Failure("cannot resolve " + url.host + ": " + ::gai_strerror(resolved));
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
  std::string last_error = "no address";
  for (const addrinfo* address = found; address; address = address->ai_next) {
    auto socket = std::make_unique<Descriptor>(
        ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                 address->ai_protocol));
    if (socket->get() < 0) continue;
    if (::connect(socket->get(), address->ai_addr, address->ai_addrlen) == 0) return socket;
    if (errno != EINPROGRESS) {
      last_error = std::strerror(errno);
      continue;
    }
    wait_for(socket->get(), POLLOUT, deadline, stop, "connecting");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(socket->get(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error == 0) return socket;
    last_error = std::strerror(error);
  }
  throw Failure("cannot connect to " + url.origin() + ": " + last_error);
}

// One context for every https request: peers verified against the
// system's authorities, TLS 1.2 at least.
SSL_CTX* tls_context() {
  static SSL_CTX* const context = [] {
    // A receiver that closes while a TLS record is written would raise
    // SIGPIPE (OpenSSL writes with write(2)): a server ignores it.
    std::signal(SIGPIPE, SIG_IGN);
    SSL_CTX* made = SSL_CTX_new(TLS_client_method());
    if (made) {
      SSL_CTX_set_default_verify_paths(made);
      SSL_CTX_set_verify(made, SSL_VERIFY_PEER, nullptr);
      SSL_CTX_set_min_proto_version(made, TLS1_2_VERSION);
    }
    return made;
  }();
  return context;
}

std::string tls_error_text() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "connection closed";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// Bytes to and from the receiver, plain or over TLS, each call bounded by
// the attempt's deadline.
class Channel {
 public:
  Channel(std::unique_ptr<Descriptor> socket, Clock::time_point deadline,
          const std::atomic<bool>& stop)
      : socket_(std::move(socket)), deadline_(deadline), stop_(stop) {}
  ~Channel() {
    if (tls_) SSL_free(tls_);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  void start_tls(const WebUrl& url) {
    SSL_CTX* context = tls_context();
    if (!context || !(tls_ = SSL_new(context))) throw Failure("cannot set up TLS");
    SSL_set_fd(tls_, socket_->get());
    if (url.ipv6 || url.host.find_first_not_of("0123456789.") == std::string::npos) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls_), url.host.c_str());
    } else {
      SSL_set_tlsext_host_name(tls_, url.host.c_str());
      SSL_set1_host(tls_, url.host.c_str());
    }
    for (;;) {
      const int result = SSL_connect(tls_);
      if (result == 1) return;
      if (!retry(result, "TLS handshake")) {
        const long verified = SSL_get_verify_result(tls_);
        if (verified != X509_V_OK) {
          throw Failure(std::string("TLS: certificate not trusted: ") +
                        X509_verify_cert_error_string(verified));
        }
        throw Failure("TLS handshake failed: " + tls_error_text());
      }
    }
  }

  void send_all(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const std::size_t left = data.size() - sent;
      if (tls_) {
        const int count = SSL_write(tls_, data.data() + sent, static_cast<int>(left));
        if (count > 0) {
          sent += static_cast<std::size_t>(count);
        } else if (!retry(count, "sending")) {
          throw Failure("sending failed: " + tls_error_text());
        }
        continue;
      }
      const ssize_t count = ::send(socket_->get(), data.data() + sent, left, MSG_NOSIGNAL);
      if (count > 0) {
        sent += static_cast<std::size_t>(count);
      } else if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        wait_for(socket_->get(), POLLOUT, deadline_, stop_, "sending");
      } else {
        throw Failure(std::string("sending failed: ") + std::strerror(errno));
      }
    }
  }

  // Up to `size` bytes; 0 when the receiver closed the connection.
  std::size_t receive(char* out, std::size_t size) {
    for (;;) {
      if (tls_) {
        const int count = SSL_read(tls_, out, static_cast<int>(size));
        if (count > 0) return static_cast<std::size_t>(count);
        if (SSL_get_error(tls_, count) == SSL_ERROR_ZERO_RETURN) return 0;
        if (!retry(count, "reading the answer")) return 0;
        continue;
      }
      const ssize_t count = ::recv(socket_->get(), out, size, 0);
      if (count >= 0) return static_cast<std::size_t>(count);
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        throw Failure(std::string("reading the answer failed: ") + std::strerror(errno));
      }
      wait_for(socket_->get(), POLLIN, deadline_, stop_, "reading the answer");
    }
  }

 private:
  // After a TLS call returned `result` <= 0: waits for what it wants and
  // returns true to call it again; false for a real error.
  bool retry(int result, const char* doing) {
    switch (SSL_get_error(tls_, result)) {
      case SSL_ERROR_WANT_READ:
        wait_for(socket_->get(), POLLIN, deadline_, stop_, doing);
        return true;
      case SSL_ERROR_WANT_WRITE:
        wait_for(socket_->get(), POLLOUT, deadline_, stop_, doing);
        return true;
      default:
        return false;
    }
  }

  std::unique_ptr<Descriptor> socket_;
  SSL* tls_ = nullptr;
  Clock::time_point deadline_;
  const std::atomic<bool>& stop_;
};

std::string request_text(const WebhookPost& post) {
  std::string text = "POST " + post.url.target + " HTTP/1.1\r\nHost: " + post.url.authority +
                     "\r\nContent-Type: " + post.content_type +
                     "\r\nContent-Length: " + std::to_string(post.body.size()) +
                     "\r\nConnection: close\r\n";
  for (const auto& [name, value] : post.fields) text += name + ": " + value + "\r\n";
  return text + "\r\n" + post.body;
}

// The status of an answer's head: "HTTP/1.1 204 No Content\r\n...".
int status_of(const std::string& head) {
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12 || head[8] != ' ' ||
      !std::isdigit(static_cast<unsigned char>(head[9])) ||
      !std::isdigit(static_cast<unsigned char>(head[10])) ||
      !std::isdigit(static_cast<unsigned char>(head[11]))) {
    throw Failure("the answer is not HTTP");
  }
  return std::stoi(head.substr(9, 3));
}

}  // namespace

WebhookAnswer post_webhook(const WebhookPost& post, std::chrono::steady_clock::time_point deadline,
                           const std::atomic<bool>& stop) {
  WebhookAnswer answer;
  try {
    Channel channel(connect_to(post.url, deadline, stop), deadline, stop);
    if (post.url.https) channel.start_tls(post.url);
    channel.send_all(request_text(post));
    std::string head;
    char chunk[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      if (head.size() >= kMaxAnswerHead) {
        throw Failure("the answer's head is longer than " + std::to_string(kMaxAnswerHead / 1024) +
                      " KiB");
      }
      const std::size_t count =
          channel.receive(chunk, std::min(sizeof chunk, kMaxAnswerHead - head.size()));
      if (count == 0) {
        throw Failure(head.empty() ? "the connection was closed without an answer"
                                   : "the answer was cut short");
      }
      head.append(chunk, count);
    }
    answer.status = status_of(head);
  } catch (const Failure& failure) {
    answer.error = failure.what();
  }
  return answer;
}
