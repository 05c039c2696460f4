// libFuzzer target: the instance reply framer. The same bytes must frame into the same replies
// whatever the read sizes, and every framed reply must be one whole reply to the reply view
// (the parser merges use), ending where the framer ended it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/resp/reply_framer.hpp"
#include "preshard/resp/reply_view.hpp"

namespace {

using preshard::resp::FrameStatus;
using preshard::resp::ReplyFramer;

struct Outcome {
  std::vector<std::string> replies;
  bool error = false;
  bool operator==(const Outcome&) const = default;
};

Outcome frame_all(std::string_view data, size_t piece) {
  ReplyFramer framer;
  Outcome out;
  for (size_t pos = 0; pos < data.size(); pos += piece) {
    framer.feed(data.substr(pos, piece));
    std::string_view reply;
    FrameStatus st;
    while ((st = framer.next(reply)) == FrameStatus::kReply) out.replies.emplace_back(reply);
    if (st == FrameStatus::kError) {
      out.error = true;
      return out;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes), size);
  Outcome whole = frame_all(data, data.size());
  if (!(frame_all(data, 1 + bytes[0] % 5) == whole)) std::abort();
  static preshard::resp::ReplyView view;
  for (const std::string& r : whole.replies) {
    if (!view.parse(r)) std::abort();
    // The view skips a leading attribute (as Redis's clients do): the root is what follows.
    std::string_view root = view.root().raw();
    if (root.data() + root.size() != r.data() + r.size()) std::abort();
    if (r[0] != '|' && root.size() != r.size()) std::abort();
  }
  return 0;
}
