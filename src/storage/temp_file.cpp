#include "storage/temp_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "storage/postgresql/pg_connection.hpp"

std::string folder_of(const std::string& path) {
  const std::string folder = std::filesystem::path(path).parent_path().string();
  return folder.empty() ? "." : folder;
}

std::string scratch_folder(const std::string& db) {
  if (is_postgresql_url(db)) return std::filesystem::temp_directory_path().string();
  return folder_of(db);
}

TempFile::TempFile(std::string folder, std::string purpose)
    : folder_(std::move(folder)), purpose_(std::move(purpose)) {}

TempFile::~TempFile() {
  if (fd_ >= 0) close(fd_);
}

std::string TempFile::where() const {
  return purpose_ + "'s temporary file in " + folder_;
}

std::uint64_t TempFile::append(const void* bytes, std::size_t size) {
  if (fd_ < 0) {
    // mkstemp replaces the six trailing X's with a unique suffix.
    std::string name = folder_ + "/.uptime-temporary-" + std::string(6, 'X');
    fd_ = mkstemp(name.data());
    if (fd_ < 0) throw std::runtime_error("cannot make " + where() + ": " + std::strerror(errno));
    unlink(name.c_str());
  }
  const auto* from = static_cast<const char*>(bytes);
  for (std::size_t done = 0; done < size;) {
    const ssize_t wrote = pwrite(fd_, from + done, size - done, static_cast<off_t>(end_ + done));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0)
      throw std::runtime_error("cannot write " + where() + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(wrote);
  }
  const std::uint64_t offset = end_;
  end_ += size;
  return offset;
}

void TempFile::read(std::uint64_t offset, void* bytes, std::size_t size) const {
  auto* into = static_cast<char*>(bytes);
  for (std::size_t done = 0; done < size;) {
    const ssize_t got = pread(fd_, into + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw std::runtime_error("cannot read " + where() + ": " +
                               (got < 0 ? std::strerror(errno) : "it ended early"));
    }
    done += static_cast<std::size_t>(got);
  }
}
