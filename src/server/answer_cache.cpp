#include "server/answer_cache.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

void Answer::encode(bool gzip) {
  if (!gzip) return;
  body = gzip_compress(body);
  content_encoding = "gzip";
}

std::shared_ptr<const Answer> AnswerCache::get(const std::string& key,
                                               const std::function<Answer()>& make) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto found = entries_.find(key);
    if (found != entries_.end()) {
      recent_.splice(recent_.begin(), recent_, found->second.recent);
      return found->second.answer;
    }
    if (!making_.count(key)) break;
    // Another request is making it: wait, then look again (it may have
    // failed, or been too large to keep: then this one makes it).
    made_.wait(lock);
  }
  making_.insert(key);
  lock.unlock();
  std::shared_ptr<const Answer> answer;
  try {
    answer = std::make_shared<const Answer>(make());
  } catch (...) {
    lock.lock();
    making_.erase(key);
    made_.notify_all();
    throw;
  }
  lock.lock();
  making_.erase(key);
  keep(key, answer);
  made_.notify_all();
  return answer;
}

void AnswerCache::keep(const std::string& key, std::shared_ptr<const Answer> answer) {
  const std::size_t size = answer->body.size();
  if (size > budget_) return;
  while (bytes_ + size > budget_ && !recent_.empty()) {
    auto oldest = entries_.find(recent_.back());
    bytes_ -= oldest->second.answer->body.size();
    entries_.erase(oldest);
    recent_.pop_back();
  }
  recent_.push_front(key);
  entries_[key] = Entry{std::move(answer), recent_.begin()};
  bytes_ += size;
}

std::size_t AnswerCache::bytes_kept() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

std::size_t AnswerCache::entries() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

DownloadGate::Ticket::~Ticket() {
  if (!gate_) return;
  std::lock_guard<std::mutex> lock(gate_->mutex_);
  --gate_->in_progress_;
}

std::optional<DownloadGate::Ticket> DownloadGate::enter() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (in_progress_ >= limit_) return std::nullopt;
  ++in_progress_;
  return std::optional<Ticket>(std::in_place, *this);
}

std::size_t DownloadGate::in_progress() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return in_progress_;
}

std::string gzip_compress(const std::string& data) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  // zlib counts in 32 bits: the input goes in pieces of at most 1 GiB.
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  std::string out;
  std::size_t taken = 0;
  char buffer[1 << 16];
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    if (stream.avail_in == 0 && taken < data.size()) {
      const std::size_t piece = std::min(kPiece, data.size() - taken);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + taken));
      stream.avail_in = static_cast<uInt>(piece);
      taken += piece;
    }
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = deflate(&stream, taken == data.size() ? Z_FINISH : Z_NO_FLUSH);
    if (result != Z_OK && result != Z_STREAM_END && result != Z_BUF_ERROR) break;
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("gzip: deflate failed");
  return out;
}
