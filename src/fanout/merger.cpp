#include "preshard/fanout/merger.hpp"

#include <algorithm>

#include "preshard/core/errors.hpp"
#include "preshard/resp/reply_view.hpp"
#include "preshard/resp/reply_writer.hpp"

namespace preshard::fanout {

Merger::Merger(command::Merge rule, const SplitPlan& plan, uint64_t seed)
    : rule_(rule), plan_(plan), remaining_(plan.parts.size()), seed_(seed) {
  if (rule_ == command::Merge::kMget) values_.resize(plan.key_count);
}

void Merger::fail_part(size_t part, std::string_view error, bool from_instance) {
  failed_shards_.push_back(plan_.parts[part].shard);
  if (first_error_.empty()) first_error_ = error;
  if (!from_instance || error != first_error_) same_instance_error_ = false;
}

void Merger::add_failure(size_t part, std::string_view error) {
  fail_part(part, error);
  --remaining_;
}

void Merger::add_reply(size_t part, std::string_view raw) {
  --remaining_;
  // One view per thread, reused: its nodes are kept between replies.
  thread_local resp::ReplyView view;
  if (!view.parse(raw)) {
    fail_part(part, core::errors::kMalformedReply.text);
    return;
  }
  const resp::ReplyView::Ref r = view.root();
  using T = resp::ReplyType;
  if (r.is(T::kError)) {
    // SCRIPT KILL: "NOTBUSY" from the shards running no script is not a failure.
    if (rule_ == command::Merge::kOneOk) {
      if (one_ok_error_.empty()) one_ok_error_.assign(r.str());
      return;
    }
    fail_part(part, r.str(), true);
    return;
  }
  const Part& p = plan_.parts[part];
  switch (rule_) {
    case command::Merge::kMget:
      if (!r.is(T::kArray) || r.size() != p.key_index.size()) {
        fail_part(part, core::errors::kUnexpectedReply.text);
        return;
      }
      for (auto [i, e] = std::pair{size_t{0}, r.first()}; i < r.size(); ++i, e = e.next()) {
        values_[p.key_index[i]].assign(e.raw());
      }
      return;
    case command::Merge::kSum:
      if (!r.is(T::kInteger)) {
        fail_part(part, core::errors::kUnexpectedReply.text);
        return;
      }
      sum_ += r.integer();
      return;
    case command::Merge::kMax:
      if (!r.is(T::kInteger)) {
        fail_part(part, core::errors::kUnexpectedReply.text);
        return;
      }
      sum_ = std::max(sum_, r.integer());
      return;
    case command::Merge::kAllOk:
      if (!r.is(T::kSimple) || r.str() != "OK") {
        fail_part(part, core::errors::kUnexpectedReply.text);
      }
      return;
    case command::Merge::kConcat:
    case command::Merge::kAnd:
    case command::Merge::kPairSum:
      add_array(part, r);
      return;
    case command::Merge::kSettings:
      add_settings(part, r);
      return;
    case command::Merge::kKeyspace:
      if (!(r.is(T::kBulk) || r.is(T::kVerbatim)) || !keyspace_.add(r.str())) {
        fail_part(part, core::errors::kUnexpectedKeyspaceReply.text);
      }
      return;
    case command::Merge::kAllSame:
      if (same_.empty()) {
        same_.assign(raw);
      } else if (same_ != raw) {
        fail_part(part, core::errors::kDifferentReplies.text);
      }
      return;
    case command::Merge::kRandom:
      if (r.is(T::kBulk)) candidates_.emplace_back(raw);
      return;
    case command::Merge::kOneOk:
      one_ok_ = true;
      return;
    case command::Merge::kNone:
      fail_part(part, core::errors::kCannotMerge.text);
      return;
  }
}

void Merger::add_array(size_t part, resp::ReplyView::Ref r) {
  using T = resp::ReplyType;
  if (!r.is(T::kArray)) {
    fail_part(part, core::errors::kUnexpectedReply.text);
    return;
  }
  if (rule_ == command::Merge::kConcat) {
    for (auto [i, e] = std::pair{size_t{0}, r.first()}; i < r.size(); ++i, e = e.next()) {
      concat_.append(e.raw());
    }
    concat_count_ += r.size();
    return;
  }
  // kAnd: every shard answers the same number of 0/1 flags (SCRIPT EXISTS); kPairSum: the
  // same names in the same order, each followed by its count.
  if (and_started_ && and_.size() != r.size()) {
    fail_part(part, core::errors::kUnexpectedReply.text);
    return;
  }
  if (rule_ == command::Merge::kPairSum) {
    bool first = !and_started_;
    if (first) {
      and_.assign(r.size(), 0);
      names_.resize(r.size() / 2);
    }
    and_started_ = true;
    size_t i = 0;
    for (auto e = r.first(); i < r.size(); ++i, e = e.next()) {
      if (i % 2 == 0) {
        if (first) names_[i / 2].assign(e.raw());
      } else if (e.is(T::kInteger)) {
        and_[i] += e.integer();
      }
    }
    return;
  }
  if (!and_started_) and_.assign(r.size(), 1);
  and_started_ = true;
  size_t i = 0;
  for (auto e = r.first(); i < r.size(); ++i, e = e.next()) {
    and_[i] = std::min(and_[i], e.is(T::kInteger) ? e.integer() : 0);
  }
}

void Merger::add_settings(size_t part, resp::ReplyView::Ref r) {
  using T = resp::ReplyType;
  if (!(r.is(T::kArray) || r.is(T::kMap)) || r.size() % 2 != 0) {
    fail_part(part, core::errors::kUnexpectedReply.text);
    return;
  }
  bool first = !settings_started_;
  settings_started_ = true;
  for (auto [i, e] = std::pair{size_t{0}, r.first()}; i < r.size(); i += 2, e = e.next().next()) {
    std::string_view name = e.raw(), value = e.next().raw();
    if (first) {
      setting_index_.emplace(std::string(name), settings_.size());
      settings_.push_back({std::string(name), std::string(value)});
      continue;
    }
    auto it = setting_index_.find(std::string(name));
    if (it == setting_index_.end()) continue;  // not on the first shard: left out
    Setting& s = settings_[it->second];
    ++s.seen;
    s.differs = s.differs || s.value != value;
  }
}

std::string Merger::result(resp::Protocol proto) const {
  std::string out;
  resp::ReplyWriter w(out, proto);
  if (!failed_shards_.empty()) {
    // Every shard refused the command alike (a syntax error, OOM ...): Redis's own answer.
    if (same_instance_error_ && failed_shards_.size() == plan_.parts.size()) {
      w.error(first_error_);
      return out;
    }
    std::vector<size_t> shards = failed_shards_;
    std::sort(shards.begin(), shards.end());
    w.error(core::errors::split_failed(shards, first_error_).text);
    return out;
  }
  switch (rule_) {
    case command::Merge::kMget:
      w.array(values_.size());
      for (const std::string& v : values_) w.raw(v);
      break;
    case command::Merge::kSum:
    case command::Merge::kMax:
      w.integer(sum_);
      break;
    case command::Merge::kKeyspace:
      w.verbatim(keyspace_.render());
      break;
    case command::Merge::kPairSum:
      w.array(2 * names_.size());  // a flat array in RESP3 too, as Redis 7.0 answers NUMSUB
      for (size_t i = 0; i < names_.size(); ++i) {
        w.raw(names_[i]);
        w.integer(and_[2 * i + 1]);
      }
      break;
    case command::Merge::kSettings: {
      // A setting whose value differs between instances (port, dir, ...) is left out.
      size_t n = 0;
      for (const Setting& s : settings_) n += !s.differs && s.seen == plan_.parts.size();
      w.map(n);
      for (const Setting& s : settings_) {
        if (s.differs || s.seen != plan_.parts.size()) continue;
        w.raw(s.name);
        w.raw(s.value);
      }
      break;
    }
    case command::Merge::kConcat:
      w.array(concat_count_);
      w.raw(concat_);
      break;
    case command::Merge::kAnd:
      w.array(and_.size());
      for (long long v : and_) w.integer(v);
      break;
    case command::Merge::kAllSame:
      out = same_;
      break;
    case command::Merge::kRandom:
      if (candidates_.empty()) {
        w.null();
      } else {
        out = candidates_[seed_ % candidates_.size()];
      }
      break;
    case command::Merge::kOneOk:
      if (one_ok_ || one_ok_error_.empty()) {
        w.simple("OK");
      } else {
        w.error(one_ok_error_);
      }
      break;
    case command::Merge::kAllOk:
    case command::Merge::kNone:
      w.simple("OK");
      break;
  }
  return out;
}

}  // namespace preshard::fanout
