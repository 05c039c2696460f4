// ClientConn's statistics (per command, per error), its pub/sub pushes and its user.
#include <spdlog/spdlog.h>

#include <utility>

#include "preshard/acl/permission.hpp"
#include "preshard/client/client_conn.hpp"

namespace preshard::client {

void ClientConn::count_command(uint64_t seq, const core::SlotTag& tag, std::string_view reply) {
  bool error = !reply.empty() && (reply[0] == '-' || reply[0] == '!');
  if (error) ctx_.stats().count_error_code(reply);
  if (tag.row == core::SlotTag::kNone) return;
  stats::CommandCounters* c = ctx_.stats().command(tag.row);
  if (c == nullptr) return;
  if (tag.rejected) {
    stats::ThreadStats::add(c->rejected);
    return;
  }
  auto took = ctx_.worker().last_stamp() - net::Clock::time_point(net::Clock::duration(tag.start));
  auto us =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
  stats::ThreadStats::add(c->calls);
  stats::ThreadStats::add(c->usec, us);
  if (ctx_.settings().track_latency) c->latency.record(us);
  // The bound checked here, so that the common case never enters the (larger) logging frame.
  long long bound = ctx_.settings().slowlog_log_slower_than;
  if (bound >= 0 && us >= static_cast<uint64_t>(bound)) log_slow(seq, us);
  // An error reply ('-', or RESP3's blob error '!'): Redis's failed_calls.
  if (error) stats::ThreadStats::add(c->failed);
}

void ClientConn::keep_previous_command() {
  uint64_t seq = std::exchange(request_slot_, kNoSlot);
  if (ctx_.settings().slowlog_log_slower_than >= 0 && replies_.waiting(seq)) {
    // request_ is parsed into next only by swapping (RequestReader::finish), and the shards
    // are cleared per command: both may take the note's old buffers.
    replies_.note(seq).take(seq, request_, state_.shards);
  }
}

void ClientConn::log_slow(uint64_t seq, uint64_t micros) {
  core::SlowEntry e;
  e.id = ctx_.state().next_slowlog_id++;
  e.unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  e.micros = micros;
  if (seq == request_slot_)
    replies_.note(seq).capture(seq, request_, state_.shards);  // in request_
  e.describe(replies_.note(seq), seq);
  e.peer = transport_.peer();
  e.name = state_.name;
  ctx_.slowlog().add(std::move(e), ctx_.settings().slowlog_max_len);
}

void ClientConn::rebind_user() {
  const acl::User* u = ctx_.users().find(state_.user);
  if (state_.authenticated && (u == nullptr || !u->enabled)) {
    spdlog::info("client {} {}: user {} removed or disabled by a reload, closing", id_,
                 transport_.peer(), state_.user);
    close();
    return;
  }
  // Never authenticated: it stays the default user (whose new password AUTH will ask for).
  if (state_.authenticated) {
    state_.set_user(*u, true);
  } else {
    state_.set_user(ctx_.users().default_user(), !ctx_.users().auth_required());
  }
  // A subscriber to a channel its user may no longer use is closed, as Redis does when ACL
  // rules change (its queued MULTI commands are checked again at EXEC).
  if (state_.subs.view().any() && !lost_channel().empty()) {
    spdlog::info("client {} {}: user {} may no longer use channel '{}' (reload), closing", id_,
                 transport_.peer(), state_.user, lost_channel());
    close();
  }
}

std::string ClientConn::lost_channel() const {
  const acl::User& u = *state_.acl_user;
  if (u.all_channels) return "";
  for (const auto& ch : state_.subs.view().channels) {
    if (!acl::may_use_channel(u, ch, false)) return ch;
  }
  for (const auto& ch : state_.subs.view().shard_channels) {
    if (!acl::may_use_channel(u, ch, false)) return ch;
  }
  for (const auto& p : state_.subs.view().patterns) {
    if (!acl::may_use_channel(u, p, true)) return p;
  }
  return "";
}

void ClientConn::count_error(core::errors::Kind kind) {
  stats::ThreadStats::add(ctx_.stats().errors_by_kind[static_cast<size_t>(kind)]);
}

void ClientConn::push_message(std::string_view raw) {
  if (closed_ || close_when_done_) return;
  // Redis's client-output-buffer-limit for pubsub clients: one that does not read is dropped.
  if (output_bytes() + raw.size() > ctx_.settings().client_max_output_bytes) {
    spdlog::warn("client {} {}: subscriber over client_max_output_bytes, closing", id_,
                 transport_.peer());
    transport_.reset_on_close();  // drop what is queued
    close();
    return;
  }
  // A RESP3 client gets it as a push: the same elements under '>' (the hub's subscriber
  // connections speak RESP2, where a message is an array of bulk strings).
  thread_local std::string as_push;
  if (state_.protocol == resp::Protocol::kResp3 && !raw.empty() && raw[0] == '*') {
    as_push.assign(raw);
    as_push[0] = '>';
    raw = as_push;
  }
  // Through the reply queue, so that a message never overtakes an earlier reply.
  replies_.complete(replies_.reserve(), raw, out_);
  request_flush();
}

}  // namespace preshard::client
