#include "preshard/command/key_finder.hpp"

#include "preshard/resp/ascii.hpp"
#include "preshard/resp/string2ll.hpp"

namespace preshard::command {

namespace {

using resp::arg_is;

KeysStatus legacy(const CommandSpec& s, const resp::Request& req, std::vector<size_t>& out) {
  if (s.first <= 0) return KeysStatus::kOk;
  long long argc = static_cast<long long>(req.size());
  long long last = s.last < 0 ? argc + s.last : s.last;
  for (long long i = s.first; i <= last && i < argc; i += s.step) {
    out.push_back(static_cast<size_t>(i));
  }
  return KeysStatus::kOk;
}

// A count at argument `count_at`, then that many keys; Redis refuses counts < 1 or past the end
// (a zero count is allowed only for the script commands, which have no fixed key).
KeysStatus numkeys(const CommandSpec& s, const resp::Request& req, std::vector<size_t>& out) {
  size_t count_at = static_cast<size_t>(s.keys.a);
  long long n = 0;
  if (!resp::string2ll(req[count_at], n) || n < 0) return KeysStatus::kMalformed;
  bool zero_ok = s.has(kNoMandatoryKeys);
  if (n == 0 && !zero_ok) return KeysStatus::kMalformed;
  if (static_cast<unsigned long long>(n) > req.size() - count_at - 1) return KeysStatus::kMalformed;
  if (s.keys.b > 0) out.push_back(static_cast<size_t>(s.keys.b));
  for (size_t i = 0; i < static_cast<size_t>(n); ++i) out.push_back(count_at + 1 + i);
  return KeysStatus::kOk;
}

KeysStatus streams(const resp::Request& req, std::vector<size_t>& out) {
  XreadOptions o = scan_xread_options(req);
  if (o.streams_at == 0) return KeysStatus::kMalformed;
  size_t rest = req.size() - o.streams_at - 1;
  if (rest == 0 || rest % 2 != 0) return KeysStatus::kMalformed;
  for (size_t i = 0; i < rest / 2; ++i) out.push_back(o.streams_at + 1 + i);
  return KeysStatus::kOk;
}

// SORT_RO (not a write) takes no STORE: Redis answers its syntax error on the key's shard.
KeysStatus sort(const resp::Request& req, bool writes, std::vector<size_t>& out) {
  out.push_back(1);
  size_t store = 0;
  for (size_t i = 2; i < req.size(); ++i) {
    std::string_view a = req[i];
    if (arg_is(a, "limit")) {
      i += 2;
    } else if (arg_is(a, "get") || arg_is(a, "by")) {
      i += 1;
    } else if (writes && arg_is(a, "store") && i + 1 < req.size()) {
      store = i + 1;  // the last STORE wins, as in SORT itself
    }
  }
  if (store != 0) out.push_back(store);
  return KeysStatus::kOk;
}

KeysStatus geo_store(const resp::Request& req, std::vector<size_t>& out) {
  out.push_back(1);
  size_t store = 0;
  for (size_t i = 5; i < req.size(); ++i) {
    if ((arg_is(req[i], "store") || arg_is(req[i], "storedist")) && i + 1 < req.size()) {
      store = ++i;
    }
  }
  if (store != 0) out.push_back(store);
  return KeysStatus::kOk;
}

KeysStatus migrate(const resp::Request& req, std::vector<size_t>& out) {
  if (!req[3].empty()) {
    out.push_back(3);
    return KeysStatus::kOk;
  }
  for (size_t i = 6; i < req.size(); ++i) {
    if (arg_is(req[i], "keys")) {
      for (size_t k = i + 1; k < req.size(); ++k) out.push_back(k);
      return KeysStatus::kOk;
    }
  }
  return KeysStatus::kMalformed;
}

}  // namespace

XreadOptions scan_xread_options(const resp::Request& req) {
  XreadOptions o;
  for (size_t i = 1; i < req.size(); ++i) {
    std::string_view a = req[i];
    if (arg_is(a, "block")) {
      o.block = true;
      if (++i < req.size()) o.block_at = i;
    } else if (arg_is(a, "count")) {
      ++i;
    } else if (arg_is(a, "group")) {
      i += 2;
    } else if (arg_is(a, "noack")) {
      continue;
    } else if (arg_is(a, "streams")) {
      o.streams_at = i;
      break;
    } else {
      break;  // a syntax error: Redis refuses the command
    }
  }
  return o;
}

KeysStatus find_keys(const CommandSpec& spec, const resp::Request& req, std::vector<size_t>& out) {
  out.clear();
  switch (spec.keys.kind) {
    case Keys::kLegacy:
      return legacy(spec, req, out);
    case Keys::kNumKeys:
      return numkeys(spec, req, out);
    case Keys::kStreams:
      return streams(req, out);
    case Keys::kSort:
      return sort(req, spec.has(kWrite), out);
    case Keys::kGeoStore:
      return geo_store(req, out);
    case Keys::kMigrate:
      return migrate(req, out);
  }
  return KeysStatus::kMalformed;
}

}  // namespace preshard::command
