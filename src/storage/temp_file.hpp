// A temporary file in a given folder, appended to and read back at offsets:
// where the import's sorted runs of polls and a report's sorted runs of rows
// go once they outgrow memory. Its name is removed as soon as it is made, so
// nothing is left behind however the process ends; made on the first append.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

// The folder a file is in ("." for a bare name): where its temporary files go.
std::string folder_of(const std::string& path);
// Where temporary files for the database `db` go: beside a SQLite file, in
// the system's temporary folder for a PostgreSQL URL.
std::string scratch_folder(const std::string& db);

class TempFile {
 public:
  // `purpose` names what it is for in errors ("the import", "a report").
  TempFile(std::string folder, std::string purpose);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // Appends `size` bytes; returns the offset of the first. Throws
  // std::runtime_error naming the folder when it cannot be made or written.
  std::uint64_t append(const void* bytes, std::size_t size);
  // Reads `size` bytes from `offset`, all written before. Throws likewise.
  void read(std::uint64_t offset, void* bytes, std::size_t size) const;
  std::uint64_t size() const { return end_; }

 private:
  std::string where() const;  // "<purpose>'s temporary file in <folder>"

  std::string folder_;
  std::string purpose_;
  int fd_ = -1;            // once made
  std::uint64_t end_ = 0;  // bytes written
};
