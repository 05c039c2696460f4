// COMMAND DOCS from the instances (issue 16, item 6): Redis's own docs (summary, since, group,
// complexity, arguments, history ...) so that redis-cli's hints and `help` work as against a
// redis-server, with preshard's note added to each command ("preshard": how it routes it) and
// the summary of a command preshard refuses marked so. COMMAND and COMMAND INFO are the
// instance's too (tips, key specs, subcommands), with PROXY's row added from the table (and the
// table's rows, without key specs, if shard 0 cannot answer). COMMAND GETKEYSANDFLAGS, COMMAND
// HELP and COMMAND LIST FILTERBY are the instance's (the same command set: the table is checked
// against COMMAND INFO).
#include "preshard/command/client_modes.hpp"
#include "preshard/command/command_reply.hpp"
#include "preshard/command/command_table.hpp"
#include "preshard/proxy/ops.hpp"
#include "preshard/resp/ascii.hpp"
#include "preshard/resp/reply_view.hpp"

namespace preshard::proxy::ops {

namespace {

using command::Op;
using resp::ReplyType;

// One command's docs, re-written with preshard's note.
void write_docs(resp::ReplyWriter& w, std::string_view name, resp::ReplyView::Ref docs) {
  const command::CommandSpec* spec = command::CommandTable::get().find(name);
  w.map(docs.size() / 2 + (spec ? 1 : 0));
  for (auto [i, e] = std::pair{size_t{0}, docs.first()}; i < docs.size();
       i += 2, e = e.next().next()) {
    w.raw(e.raw());
    if (spec && spec->op == Op::kDenied && e.str() == "summary") {
      w.bulk("(refused by preshard) " + std::string(e.next().str()));
    } else {
      w.raw(e.next().raw());
    }
  }
  if (spec) {
    w.bulk("preshard");
    w.bulk(command::op_info(spec->op).text);
  }
}

class DocsReply : public backend::ReplySink {
 public:
  DocsReply(std::shared_ptr<ReplySink> client, resp::Protocol proto, std::vector<std::string> only)
      : client_(std::move(client)), proto_(proto), only_(std::move(only)) {}

  void on_reply(uint64_t tag, std::string_view raw) override {
    thread_local resp::ReplyView view;
    if (!view.parse(raw) ||
        !(view.root().is(ReplyType::kMap) || view.root().is(ReplyType::kArray))) {
      return client_->on_reply(tag, raw);  // an error: as the instance said it
    }
    resp::ReplyView::Ref r = view.root();
    std::string body;
    resp::ReplyWriter w(body, proto_);
    size_t entries = r.size() / 2;
    for (auto [i, e] = std::pair{size_t{0}, r.first()}; i < r.size(); i += 2, e = e.next().next()) {
      w.raw(e.raw());
      if (e.next().is(ReplyType::kMap) || e.next().is(ReplyType::kArray)) {
        write_docs(w, e.str(), e.next());
      } else {
        w.raw(e.next().raw());
      }
    }
    // preshard's own commands (PROXY), which no instance has.
    for (const command::CommandSpec* s : command::CommandTable::get().top_level()) {
      if (!s->has(command::kProxyOnly) || !wanted(s->name)) continue;
      ++entries;
      w.bulk(s->name);
      w.map(2);
      w.bulk("summary");
      w.bulk("preshard's own command: see PROXY HELP");
      w.bulk("preshard");
      w.bulk(command::op_info(s->op).text);
    }
    std::string out;
    resp::ReplyWriter(out, proto_).map(entries);
    out += body;
    client_->on_reply(tag, out);
  }
  void on_failure(uint64_t tag, const core::errors::Error& e) override {
    client_->on_failure(tag, e);
  }

 private:
  bool wanted(std::string_view name) const {
    if (only_.empty()) return true;
    for (const std::string& n : only_) {
      if (resp::arg_is(n, name)) return true;
    }
    return false;
  }
  std::shared_ptr<ReplySink> client_;
  resp::Protocol proto_;
  std::vector<std::string> only_;  // the names asked for (none: all)
};

// COMMAND and COMMAND INFO: the instance's entries; PROXY's (which no instance has) from the
// table, in the place of the instance's nil or after its entries.
class InfoReply : public backend::ReplySink {
 public:
  InfoReply(std::shared_ptr<ReplySink> client, resp::Protocol proto, resp::Request req)
      : client_(std::move(client)), proto_(proto), req_(std::move(req)) {}

  void on_reply(uint64_t tag, std::string_view raw) override {
    thread_local resp::ReplyView view;
    if (!view.parse(raw) || !view.root().is(ReplyType::kArray)) return local(tag);
    resp::ReplyView::Ref r = view.root();
    const command::CommandTable& table = command::CommandTable::get();
    std::string out;
    resp::ReplyWriter w(out, proto_);
    if (req_.size() <= 2) {  // COMMAND, or COMMAND INFO with no name: every command
      std::vector<const command::CommandSpec*> own;
      for (const command::CommandSpec* s : table.top_level()) {
        if (s->has(command::kProxyOnly)) own.push_back(s);
      }
      w.array(r.size() + own.size());
      for (auto [i, e] = std::pair{size_t{0}, r.first()}; i < r.size(); ++i, e = e.next()) {
        w.raw(e.raw());
      }
      for (const command::CommandSpec* s : own) command::append_command_info(w, *s);
    } else {  // COMMAND INFO name ...: one entry per name
      w.array(r.size());
      size_t i = 2;
      for (auto [n, e] = std::pair{size_t{0}, r.first()}; n < r.size(); ++n, e = e.next(), ++i) {
        const command::CommandSpec* s = i < req_.size() ? table.find(req_[i]) : nullptr;
        if (e.is(ReplyType::kNil) && s != nullptr && s->has(command::kProxyOnly)) {
          command::append_command_info(w, *s);
        } else {
          w.raw(e.raw());
        }
      }
    }
    client_->on_reply(tag, out);
  }
  // Shard 0 unreachable: the table's own rows (no tips or key specs), rather than an error.
  void on_failure(uint64_t tag, const core::errors::Error&) override { local(tag); }

 private:
  void local(uint64_t tag) {
    std::string out;
    resp::ReplyWriter w(out, proto_);
    command::reply_command(req_, w);
    client_->on_reply(tag, out);
  }
  std::shared_ptr<ReplySink> client_;
  resp::Protocol proto_;
  resp::Request req_;
};

}  // namespace

bool command_from_instance(Call& c) {
  if (c.req.size() == 1 || resp::arg_is(c.req[1], "info")) {
    auto sink = std::make_shared<InfoReply>(c.client.shared(), c.st.protocol, c.req);
    backend_for(c.ctx, c.st, 0).submit(c.req, std::move(sink), c.client.reserve());
    return true;
  }
  std::string_view sub = c.req[1];
  if (resp::arg_is(sub, "docs")) {
    std::vector<std::string> only;
    for (size_t i = 2; i < c.req.size(); ++i) only.emplace_back(c.req[i]);
    auto sink = std::make_shared<DocsReply>(c.client.shared(), c.st.protocol, std::move(only));
    backend_for(c.ctx, c.st, 0).submit(c.req, std::move(sink), c.client.reserve());
    return true;
  }
  bool filtered_list = resp::arg_is(sub, "list") && c.req.size() > 2;
  std::string row = "command|" + std::string(sub);
  const command::CommandSpec* s = command::CommandTable::get().find(row);
  if (!filtered_list && !(s && s->op == Op::kAnyShard)) return false;
  any_shard(c);
  return true;
}

}  // namespace preshard::proxy::ops
