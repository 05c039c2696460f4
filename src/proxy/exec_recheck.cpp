// EXEC checks the queued commands' rights again, as Redis does: a reload may have changed the
// user's rules since they were queued. A command no longer allowed is not sent; its place in
// EXEC's reply holds Redis's NOPERM text, the others run.
#include "preshard/proxy/exec_recheck.hpp"

#include "preshard/command/command_table.hpp"
#include "preshard/command/key_finder.hpp"
#include "preshard/resp/encode.hpp"
#include "preshard/resp/reply_view.hpp"

namespace preshard::proxy {

namespace {

// Splices the refused commands' errors into EXEC's array reply, at their queued positions.
class SpliceSink : public backend::ReplySink {
 public:
  SpliceSink(std::shared_ptr<backend::ReplySink> to, std::vector<ExecDenial> denied)
      : to_(std::move(to)), denied_(std::move(denied)) {}

  void on_reply(uint64_t tag, std::string_view raw) override {
    resp::ReplyView view;
    // Nil (a touched WATCH) and errors (EXECABORT) pass as they are.
    if (raw.empty() || raw[0] != '*' || !view.parse(raw) ||
        !view.root().is(resp::ReplyType::kArray)) {
      return to_->on_reply(tag, raw);
    }
    std::string out;
    size_t total = view.root().size() + denied_.size();
    resp::append_array_header(out, total);
    size_t next_denied = 0;
    resp::ReplyView::Ref element = view.root().first();
    size_t ran = 0;
    for (size_t i = 0; i < total; ++i) {
      if (next_denied < denied_.size() && denied_[next_denied].position == i) {
        resp::append_error(out, denied_[next_denied++].error);
      } else if (ran++ < view.root().size()) {
        out += element.raw();
        element = element.next();
      }
    }
    to_->on_reply(tag, out);
  }
  void on_failure(uint64_t tag, const core::errors::Error& error) override {
    to_->on_failure(tag, error);
  }

 private:
  std::shared_ptr<backend::ReplySink> to_;
  std::vector<ExecDenial> denied_;  // by position
};

const char* reason(acl::Denied d) {
  switch (d) {
    case acl::Denied::kCommand:
      return "no permission to execute the command or subcommand";
    case acl::Denied::kKey:
      return "no permission to touch the specified keys";
    case acl::Denied::kChannel:
      return "no permission to access one of the channels used as arguments";
    case acl::Denied::kNone:
      break;
  }
  return "no permission";
}

}  // namespace

acl::Denied denial(const acl::User& u, const command::CommandSpec& spec, uint16_t row,
                   const resp::Request& req, std::vector<size_t>& keys) {
  keys.clear();
  // Malformed key arguments: no key is checked here, and the op refuses the command itself.
  if (!u.all_keys && command::find_keys(spec, req, keys) != command::KeysStatus::kOk) keys.clear();
  return acl::check(u, spec, row, req, keys);
}

std::vector<ExecDenial> recheck_queued(const acl::User& u, std::vector<resp::Request>& queued) {
  std::vector<ExecDenial> denied;
  std::vector<size_t> keys;
  size_t kept = 0;
  for (size_t i = 0; i < queued.size(); ++i) {
    command::Lookup lk = command::lookup(queued[i]);
    acl::Denied d = lk.status == command::LookupStatus::kOk
                        ? denial(u, *lk.spec, lk.id, queued[i], keys)
                        : acl::Denied::kNone;
    if (d != acl::Denied::kNone) {
      denied.push_back({i, core::errors::exec_acl_changed(reason(d)).text});
      continue;
    }
    if (kept != i) queued[kept] = std::move(queued[i]);
    ++kept;
  }
  queued.resize(kept);
  return denied;
}

std::shared_ptr<backend::ReplySink> splice_denials(std::shared_ptr<backend::ReplySink> to,
                                                   std::vector<ExecDenial> denied) {
  if (denied.empty()) return to;
  return std::make_shared<SpliceSink>(std::move(to), std::move(denied));
}

}  // namespace preshard::proxy
