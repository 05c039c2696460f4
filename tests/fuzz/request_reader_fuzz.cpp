// libFuzzer target: the client request reader. Beyond "no crash, no sanitizer report", the
// same bytes must give the same commands and the same error however they are split into reads.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/resp/request_reader.hpp"

namespace {

using preshard::resp::ReaderLimits;
using preshard::resp::ReadStatus;
using preshard::resp::Request;
using preshard::resp::RequestReader;

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
  bool operator==(const Outcome&) const = default;
};

Outcome read_all(std::string_view data, size_t piece) {
  ReaderLimits limits;
  limits.max_inline_len = 512;  // small limits reach the limit paths too
  limits.max_bulk_len = 4096;
  limits.max_request_bytes = 16384;
  RequestReader reader(limits);
  Outcome out;
  Request req;
  for (size_t pos = 0; pos < data.size(); pos += piece) {
    std::string_view in = data.substr(pos, piece);
    while (true) {
      ReadStatus st = reader.next(in, req);
      if (st == ReadStatus::kRequest) {
        std::vector<std::string> args;
        for (size_t i = 0; i < req.size(); ++i) args.emplace_back(req[i]);
        out.commands.push_back(std::move(args));
        continue;
      }
      if (st == ReadStatus::kError) {
        out.error = reader.error();
        return out;
      }
      break;
    }
    if (!in.empty()) std::abort();  // kNeedMore must have consumed its input
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes), size);
  Outcome whole = read_all(data, data.size());
  size_t piece = 1 + bytes[0] % 7;
  if (!(read_all(data, piece) == whole)) std::abort();
  return 0;
}
