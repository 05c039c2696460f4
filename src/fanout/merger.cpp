#include "preshard/fanout/merger.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>

#include "preshard/core/errors.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/resp/reply_tree.hpp"

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
  resp::ReplyPtr r = resp::parse_reply(raw);
  if (!r) {
    fail_part(part, core::errors::kMalformedReply.text);
    return;
  }
  if (r->type == REDIS_REPLY_ERROR) {
    // SCRIPT KILL: "NOTBUSY" from the shards running no script is not a failure.
    if (rule_ == command::Merge::kOneOk) {
      if (one_ok_error_.empty()) one_ok_error_.assign(r->str, r->len);
      return;
    }
    fail_part(part, std::string_view(r->str, r->len), true);
    return;
  }
  const Part& p = plan_.parts[part];
  switch (rule_) {
    case command::Merge::kMget:
      if (r->type != REDIS_REPLY_ARRAY || r->elements != p.key_index.size()) {
        fail_part(part, core::errors::kUnexpectedReply.text);
        return;
      }
      for (size_t i = 0; i < r->elements; ++i) {
        resp::append_reply(values_[p.key_index[i]], *r->element[i]);
      }
      return;
    case command::Merge::kSum:
      if (r->type != REDIS_REPLY_INTEGER) {
        fail_part(part, core::errors::kUnexpectedReply.text);
        return;
      }
      sum_ += r->integer;
      return;
    case command::Merge::kMax:
      if (r->type != REDIS_REPLY_INTEGER) {
        fail_part(part, core::errors::kUnexpectedReply.text);
        return;
      }
      sum_ = std::max(sum_, r->integer);
      return;
    case command::Merge::kAllOk:
      if (r->type != REDIS_REPLY_STATUS || std::string_view(r->str, r->len) != "OK") {
        fail_part(part, core::errors::kUnexpectedReply.text);
      }
      return;
    case command::Merge::kConcat:
    case command::Merge::kAnd:
    case command::Merge::kPairSum:
      add_array(part, *r);
      return;
    case command::Merge::kKeyspace:
      if (r->type != REDIS_REPLY_STRING || !keyspace_.add(std::string_view(r->str, r->len))) {
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
      if (r->type == REDIS_REPLY_STRING) candidates_.emplace_back(raw);
      return;
    case command::Merge::kOneOk:
      one_ok_ = true;
      return;
    case command::Merge::kNone:
      fail_part(part, core::errors::kCannotMerge.text);
      return;
  }
}

void Merger::add_array(size_t part, const redisReply& r) {
  if (r.type != REDIS_REPLY_ARRAY) {
    fail_part(part, core::errors::kUnexpectedReply.text);
    return;
  }
  if (rule_ == command::Merge::kConcat) {
    for (size_t i = 0; i < r.elements; ++i) resp::append_reply(concat_, *r.element[i]);
    concat_count_ += r.elements;
    return;
  }
  // kAnd: every shard answers the same number of 0/1 flags (SCRIPT EXISTS); kPairSum: the
  // same names in the same order, each followed by its count.
  if (and_started_ && and_.size() != r.elements) {
    fail_part(part, core::errors::kUnexpectedReply.text);
    return;
  }
  if (rule_ == command::Merge::kPairSum) {
    if (!and_started_) {
      and_.assign(r.elements, 0);
      names_.resize(r.elements / 2);
      for (size_t i = 0; i + 1 < r.elements; i += 2) {
        resp::append_reply(names_[i / 2], *r.element[i]);
      }
    }
    and_started_ = true;
    for (size_t i = 1; i < r.elements; i += 2) {
      if (r.element[i]->type == REDIS_REPLY_INTEGER) and_[i] += r.element[i]->integer;
    }
    return;
  }
  if (!and_started_) and_.assign(r.elements, 1);
  and_started_ = true;
  for (size_t i = 0; i < r.elements; ++i) {
    long long v = r.element[i]->type == REDIS_REPLY_INTEGER ? r.element[i]->integer : 0;
    and_[i] = std::min(and_[i], v);
  }
}

std::string Merger::result() const {
  std::string out;
  if (!failed_shards_.empty()) {
    // Every shard refused the command alike (a syntax error, OOM ...): Redis's own answer.
    if (same_instance_error_ && failed_shards_.size() == plan_.parts.size()) {
      resp::append_error(out, first_error_);
      return out;
    }
    std::vector<size_t> shards = failed_shards_;
    std::sort(shards.begin(), shards.end());
    resp::append_error(out, core::errors::split_failed(shards, first_error_).text);
    return out;
  }
  switch (rule_) {
    case command::Merge::kMget:
      resp::append_array_header(out, values_.size());
      for (const std::string& v : values_) out += v;
      break;
    case command::Merge::kSum:
    case command::Merge::kMax:
      resp::append_integer(out, sum_);
      break;
    case command::Merge::kKeyspace:
      resp::append_bulk(out, keyspace_.render());
      break;
    case command::Merge::kPairSum:
      resp::append_array_header(out, and_.size());
      for (size_t i = 0; i < names_.size(); ++i) {
        out += names_[i];
        resp::append_integer(out, and_[2 * i + 1]);
      }
      break;
    case command::Merge::kConcat:
      resp::append_array_header(out, concat_count_);
      out += concat_;
      break;
    case command::Merge::kAnd:
      resp::append_array_header(out, and_.size());
      for (long long v : and_) resp::append_integer(out, v);
      break;
    case command::Merge::kAllSame:
      out = same_;
      break;
    case command::Merge::kRandom:
      if (candidates_.empty()) {
        resp::append_nil(out);
      } else {
        out = candidates_[seed_ % candidates_.size()];
      }
      break;
    case command::Merge::kOneOk:
      if (one_ok_ || one_ok_error_.empty()) {
        resp::append_simple(out, "OK");
      } else {
        resp::append_error(out, one_ok_error_);
      }
      break;
    case command::Merge::kAllOk:
    case command::Merge::kNone:
      resp::append_simple(out, "OK");
      break;
  }
  return out;
}

}  // namespace preshard::fanout
