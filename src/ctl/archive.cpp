#include "preshard/ctl/archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include "preshard/ctl/instance_ops.hpp"

namespace preshard::ctl {

namespace {

std::string why(struct archive* a) {
  const char* s = archive_error_string(a);
  int e = archive_errno(a);
  std::string out = s ? s : "unknown error";
  if (e > 0 && out.find(std::strerror(e)) == std::string::npos)
    out += ": " + std::string(std::strerror(e));
  return out;
}

}  // namespace

ArchiveWriter::ArchiveWriter(int fd, std::string name)
    : a_(archive_write_new()), name_(std::move(name)) {
  if (!a_) throw Failure("libarchive: out of memory");
  check(archive_write_set_format_pax_restricted(a_), "choosing the tar format");
  check(archive_write_add_filter_gzip(a_), "choosing gzip");
  check(archive_write_open_fd(a_, fd), "opening");
}

ArchiveWriter::~ArchiveWriter() {
  if (!closed_) archive_write_fail(a_);  // an abandoned archive: do not finish it
  archive_write_free(a_);
}

void ArchiveWriter::check(long long rc, const std::string& doing) {
  if (rc < ARCHIVE_OK) throw Failure(name_ + ": " + doing + ": " + why(a_));
}

void ArchiveWriter::header(const std::string& entry, int64_t size) {
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, entry.c_str());
  archive_entry_set_size(e, size);
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0600);
  archive_entry_set_mtime(e, time(nullptr), 0);
  int rc = archive_write_header(a_, e);
  archive_entry_free(e);
  check(rc, "writing " + entry);
}

void ArchiveWriter::add_file(const std::string& entry, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Failure(path + ": " + std::strerror(errno));
  off_t size = ::lseek(fd, 0, SEEK_END);
  ::lseek(fd, 0, SEEK_SET);
  try {
    header(entry, size);
    std::vector<char> buf(1 << 16);
    ssize_t n;
    while ((n = ::read(fd, buf.data(), buf.size())) > 0) {
      la_ssize_t w = archive_write_data(a_, buf.data(), static_cast<size_t>(n));
      if (w != n) throw Failure(name_ + ": writing " + entry + ": " + why(a_));
    }
    if (n < 0) throw Failure(path + ": " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void ArchiveWriter::add_text(const std::string& entry, const std::string& text) {
  header(entry, static_cast<int64_t>(text.size()));
  la_ssize_t w = archive_write_data(a_, text.data(), text.size());
  if (w != static_cast<la_ssize_t>(text.size())) {
    throw Failure(name_ + ": writing " + entry + ": " + why(a_));
  }
}

void ArchiveWriter::close() {
  check(archive_write_close(a_), "finishing");
  closed_ = true;
}

ArchiveReader::ArchiveReader(const std::string& path) : a_(archive_read_new()), name_(path) {
  if (!a_) throw Failure("libarchive: out of memory");
  archive_read_support_filter_gzip(a_);
  archive_read_support_format_tar(a_);
  if (archive_read_open_filename(a_, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    throw Failure(path + ": " + why(a_));
  }
}

ArchiveReader::~ArchiveReader() {
  archive_read_free(a_);
}

bool ArchiveReader::next(std::string& entry, int64_t& size) {
  archive_entry* e = nullptr;
  int rc = archive_read_next_header(a_, &e);
  if (rc == ARCHIVE_EOF) return false;
  if (rc < ARCHIVE_OK) throw Failure(name_ + ": damaged or truncated archive: " + why(a_));
  entry = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
  size = archive_entry_size(e);
  return true;
}

size_t ArchiveReader::read(char* buf, size_t n) {
  la_ssize_t got = archive_read_data(a_, buf, n);
  if (got < 0) throw Failure(name_ + ": damaged or truncated archive: " + why(a_));
  return static_cast<size_t>(got);
}

}  // namespace preshard::ctl
