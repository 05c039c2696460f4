// ClientConn::describe: Redis 7.0's CLIENT INFO / CLIENT LIST line, field for field, with the
// proxy's own figures (its buffers, its view of the client's state), and Redis 8.0's io-thread
// (the worker thread serving the client).
#include "preshard/client/client_conn.hpp"

namespace preshard::client {

std::string ClientConn::describe() {
  const proxy::ClientState& st = state_;
  auto seconds = [](net::Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::seconds>(d).count();
  };
  auto now = ctx_.coarse_now();
  auto since = st.last_active == net::Clock::time_point{} ? created_ : st.last_active;
  // Flags in Redis's order; N when none.
  std::string flags;
  if (st.subs.view().any()) flags += 'P';
  if (st.txn.view().active()) flags += 'x';
  if (blocked_) flags += 'b';
  if (close_when_done_) flags += 'c';
  if (st.no_evict) flags += 'e';
  if (flags.empty()) flags = "N";
  size_t qbuf = unparsed_.size();
  size_t omem = output_bytes();
  std::string events = paused_ || close_when_done_ ? "" : "r";  // read interest, as Redis shows it
  if (write_active_ || !out_.empty()) events += 'w';
  std::string s;
  s.reserve(320);
  s += "id=" + std::to_string(id_);
  s += " addr=" + transport_.peer();
  s += " laddr=" + transport_.local();
  s += " fd=" + std::to_string(transport_.fd());
  s += " name=" + st.name;
  s += " age=" + std::to_string(std::max<long long>(0, seconds(now - created_)));
  s += " idle=" + std::to_string(std::max<long long>(0, seconds(now - since)));
  s += " flags=" + flags;
  s += " db=" + std::to_string(st.db);
  s += " sub=" + std::to_string(st.subs.view().channels.size());
  s += " psub=" + std::to_string(st.subs.view().patterns.size());
  s += " ssub=" + std::to_string(st.subs.view().shard_channels.size());
  s += " multi=" +
       (st.txn.view().active() ? std::to_string(st.txn.view().queued_count()) : std::string("-1"));
  s += " qbuf=" + std::to_string(qbuf);
  s += " qbuf-free=" + std::to_string(held_input_.empty() ? read_capacity() - qbuf : 0);
  s += " argv-mem=" + std::to_string(request_.payload_bytes());
  s += " multi-mem=" + std::to_string(st.txn.view().queued_bytes());
  s += " rbs=" + std::to_string(read_capacity() + held_input_.capacity());
  s += " rbp=" + std::to_string(read_capacity());
  s += " obl=" + std::to_string(out_.size());
  s += " oll=" + std::to_string(replies_.pending());
  s += " omem=" + std::to_string(omem);
  s += " tot-mem=" + std::to_string(read_capacity() + held_input_.capacity() + omem +
                                    st.txn.view().queued_bytes() + sizeof(ClientConn));
  s += " events=" + events;
  s += " cmd=" + (st.last_cmd ? std::string(st.last_cmd->name) : std::string("NULL"));
  s += " user=" + st.user;
  s += " redir=-1";
  s += " resp=" + std::to_string(static_cast<int>(st.protocol));
  s += " io-thread=" + std::to_string(ctx_.index());  // Redis 8.0's field: the worker thread
  return s;
}

}  // namespace preshard::client
