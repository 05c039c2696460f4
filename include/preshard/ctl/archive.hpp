#pragma once
// A backup archive (tar.gz) through libarchive: written entry by entry from files on disk,
// read entry by entry as a stream. Never held in memory whole.
#include <cstdint>
#include <string>

struct archive;

namespace preshard::ctl {

class ArchiveWriter {
 public:
  // Writes a gzip-compressed tar to the open file `fd` (the caller owns it, and fsyncs it after
  // close()). `name` is for messages. Throws Failure.
  ArchiveWriter(int fd, std::string name);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  void add_file(const std::string& entry, const std::string& path);  // streamed from disk
  void add_text(const std::string& entry, const std::string& text);
  void close();  // ends the gzip stream; throws Failure when the last writes fail

 private:
  void header(const std::string& entry, int64_t size);
  void check(long long rc, const std::string& doing);

  struct archive* a_;
  std::string name_;
  bool closed_ = false;
};

class ArchiveReader {
 public:
  explicit ArchiveReader(const std::string& path);  // throws Failure
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // The next entry; false at the end of the archive. Throws Failure on a damaged or truncated
  // archive.
  bool next(std::string& entry, int64_t& size);
  // Bytes of the current entry; 0 at its end. Throws Failure as next() does.
  size_t read(char* buf, size_t n);

 private:
  struct archive* a_;
  std::string name_;
};

}  // namespace preshard::ctl
