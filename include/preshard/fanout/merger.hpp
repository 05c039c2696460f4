#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "preshard/command/command_spec.hpp"
#include "preshard/fanout/keyspace.hpp"
#include "preshard/fanout/split.hpp"
#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/reply_writer.hpp"

namespace preshard::fanout {

// Collects the replies of a split command's parts, in any order, and builds the one reply the
// client gets. A part that fails (an error reply, or no reply at all) makes the whole command
// answer one error naming every failing shard.
class Merger {
 public:
  // `seed` picks among candidates for kRandom.
  Merger(command::Merge rule, const SplitPlan& plan, uint64_t seed = 0);

  // The reply of part `part` (exactly as the instance sent it).
  void add_reply(size_t part, std::string_view raw);
  // Part `part` got no reply; `error` is the client-visible text ("ERR shard 3 is ...").
  void add_failure(size_t part, std::string_view error);

  bool done() const { return remaining_ == 0; }
  // The merged reply, in the client's protocol. Only when done().
  std::string result(resp::Protocol proto = resp::Protocol::kResp2) const;

 private:
  void fail_part(size_t part, std::string_view error, bool from_instance = false);

  void add_array(size_t part, resp::ReplyView::Ref r);
  void add_settings(size_t part, resp::ReplyView::Ref r);

  command::Merge rule_;
  const SplitPlan& plan_;
  size_t remaining_;
  long long sum_ = 0;
  std::vector<std::string> values_;  // kMget: each key's value, in request order
  std::string concat_;               // kConcat: the elements so far, encoded
  size_t concat_count_ = 0;
  std::string same_;            // kAllSame: the first reply
  std::vector<long long> and_;  // kAnd: element-wise minimum of 0/1 arrays
  bool and_started_ = false;
  KeyspaceSum keyspace_;                 // kKeyspace
  std::vector<std::string> names_;       // kPairSum: the names, encoded (counts add up in and_)
  std::vector<std::string> candidates_;  // kRandom: the non-nil replies
  bool one_ok_ = false;                  // kOneOk: some shard succeeded
  std::string one_ok_error_;             // kOneOk: an error to give if none did
  // kSettings: the first shard's (name, value) pairs, encoded, in its order; how many shards
  // gave each one, and whether any gave another value.
  struct Setting {
    std::string name, value;
    size_t seen = 1;
    bool differs = false;
  };
  std::vector<Setting> settings_;
  std::unordered_map<std::string, size_t> setting_index_;  // by the name's encoding
  bool settings_started_ = false;
  uint64_t seed_;
  std::vector<size_t> failed_shards_;
  std::string first_error_;
  bool same_instance_error_ = true;  // every failure so far: this same error reply from an instance
};

}  // namespace preshard::fanout
