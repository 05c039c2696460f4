// COMMAND DOCS from the instances (issue 16, item 6): Redis's own docs (summary, since, group,
// complexity, arguments, history ...) so that redis-cli's hints and `help` work as against a
// redis-server, with preshard's note added to each command ("preshard": how it routes it) and
// the summary of a command preshard refuses marked so. COMMAND GETKEYSANDFLAGS, COMMAND HELP and
// COMMAND LIST FILTERBY are the instance's too (the same command set: the table is checked
// against COMMAND INFO).
#include "preshard/command/client_modes.hpp"
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

}  // namespace

bool command_from_instance(Call& c) {
  if (c.req.size() < 2) return false;
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
