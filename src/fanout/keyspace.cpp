#include "preshard/fanout/keyspace.hpp"

#include <charconv>

namespace preshard::fanout {

namespace {

bool number(std::string_view s, uint64_t& v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

bool KeyspaceSum::add(std::string_view info) {
  while (!info.empty()) {
    size_t eol = info.find('\n');
    std::string_view line = info.substr(0, eol);
    info = eol == std::string_view::npos ? std::string_view() : info.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (line.substr(0, 2) != "db" || colon == std::string_view::npos) return false;
    uint64_t index = 0;
    if (!number(line.substr(2, colon - 2), index)) return false;
    uint64_t keys = 0, expires = 0, avg_ttl = 0;
    std::string_view fields = line.substr(colon + 1);
    while (!fields.empty()) {
      size_t comma = fields.find(',');
      std::string_view field = fields.substr(0, comma);
      fields = comma == std::string_view::npos ? std::string_view() : fields.substr(comma + 1);
      size_t eq = field.find('=');
      if (eq == std::string_view::npos) return false;
      std::string_view name = field.substr(0, eq);
      uint64_t v = 0;
      if (!number(field.substr(eq + 1), v)) return false;
      if (name == "keys") keys = v;
      if (name == "expires") expires = v;
      if (name == "avg_ttl") avg_ttl = v;
    }
    Db& db = dbs_[static_cast<long>(index)];
    db.keys += keys;
    db.expires += expires;
    if (avg_ttl > 0) {
      db.ttl_total += static_cast<long double>(avg_ttl) * static_cast<long double>(expires);
      db.ttl_weight += expires;
    }
  }
  return true;
}

std::string KeyspaceSum::render() const {
  std::string out = "# Keyspace\r\n";
  for (const auto& [index, db] : dbs_) {
    uint64_t avg = db.ttl_weight == 0 ? 0 : static_cast<uint64_t>(db.ttl_total / db.ttl_weight);
    out += "db" + std::to_string(index) + ":keys=" + std::to_string(db.keys) +
           ",expires=" + std::to_string(db.expires) + ",avg_ttl=" + std::to_string(avg) + "\r\n";
  }
  return out;
}

}  // namespace preshard::fanout
