#include "preshard/resp/reply_view.hpp"

#include "preshard/resp/string2ll.hpp"

namespace preshard::resp {

namespace {

// The line starting at `pos` (without CRLF); npos-safe: false when no CRLF follows.
bool read_line(std::string_view raw, size_t& pos, std::string_view& line) {
  size_t cr = raw.find('\r', pos);
  if (cr == std::string_view::npos || cr + 1 >= raw.size() || raw[cr + 1] != '\n') return false;
  line = raw.substr(pos, cr - pos);
  pos = cr + 2;
  return true;
}

}  // namespace

ReplyView::Ref ReplyView::Ref::operator[](size_t i) const {
  Ref r = first();
  while (i-- > 0) r = r.next();
  return r;
}

bool ReplyView::parse(std::string_view raw) {
  nodes_.clear();
  open_.clear();
  size_t pos = 0;
  bool in_attribute = false;  // RESP3 attributes are read and dropped
  uint32_t attribute_depth = 0;
  while (true) {
    if (pos >= raw.size()) break;
    size_t start = pos;
    char kind = raw[pos++];
    std::string_view line;
    if (!read_line(raw, pos, line)) break;
    Node n{};
    uint64_t children = 0;
    bool aggregate = false;
    long long len = 0;
    switch (kind) {
      case '+':
      case '-':
        n.type = kind == '+' ? ReplyType::kSimple : ReplyType::kError;
        n.str = line;
        break;
      case ':':
        n.type = ReplyType::kInteger;
        if (!string2ll(line, n.integer)) return nodes_.clear(), false;
        break;
      case ',':
        n.type = ReplyType::kDouble;
        n.str = line;
        break;
      case '(':
        n.type = ReplyType::kBigNumber;
        n.str = line;
        break;
      case '#':
        if (line != "t" && line != "f") return nodes_.clear(), false;
        n.type = ReplyType::kBoolean;
        n.integer = line == "t";
        break;
      case '_':
        n.type = ReplyType::kNil;
        break;
      case '$':
      case '!':
      case '=': {
        if (!string2ll(line, len) || len < -1) return nodes_.clear(), false;
        if (len == -1) {
          if (kind != '$') return nodes_.clear(), false;
          n.type = ReplyType::kNil;
          break;
        }
        auto size = static_cast<size_t>(len);
        if (raw.size() - pos < size + 2 || raw.compare(pos + size, 2, "\r\n") != 0) {
          return nodes_.clear(), false;
        }
        n.str = raw.substr(pos, size);
        pos += size + 2;
        n.type = kind == '$'   ? ReplyType::kBulk
                 : kind == '!' ? ReplyType::kError
                               : ReplyType::kVerbatim;
        if (kind == '=') {
          if (n.str.size() < 4 || n.str[3] != ':') return nodes_.clear(), false;
          n.str.remove_prefix(4);  // "txt:" / "mkd:"
        }
        break;
      }
      case '*':
      case '%':
      case '~':
      case '>':
      case '|':
        if (!string2ll(line, len) || len < -1) return nodes_.clear(), false;
        if (len == -1) {
          if (kind != '*') return nodes_.clear(), false;
          n.type = ReplyType::kNil;
          break;
        }
        aggregate = true;
        children = static_cast<uint64_t>(len) * (kind == '%' || kind == '|' ? 2 : 1);
        n.type = kind == '*'   ? ReplyType::kArray
                 : kind == '%' ? ReplyType::kMap
                 : kind == '~' ? ReplyType::kSet
                               : ReplyType::kPush;
        break;
      default:
        return nodes_.clear(), false;
    }
    if (kind == '|') {
      // An attribute precedes the reply it describes: skip its entries, keep what follows.
      if (children == 0) continue;
      if (!in_attribute) attribute_depth = static_cast<uint32_t>(open_.size());
      in_attribute = true;
      open_.push_back({UINT32_MAX, children, true});
      continue;
    } else if (in_attribute) {
      if (aggregate && children > 0) {
        open_.push_back({UINT32_MAX, children});
        continue;
      }
    } else {
      n.children = static_cast<uint32_t>(children);
      n.raw = raw.substr(start, pos - start);  // completed below for aggregates
      nodes_.push_back(n);
      if (aggregate && children > 0) {
        open_.push_back({static_cast<uint32_t>(nodes_.size() - 1), children});
        continue;
      }
      nodes_.back().end = static_cast<uint32_t>(nodes_.size());
    }
    // An element is complete: close every aggregate it completes.
    while (!open_.empty() && --open_.back().left == 0) {
      Open done = open_.back();
      open_.pop_back();
      if (done.node != UINT32_MAX) {
        Node& agg = nodes_[done.node];
        agg.end = static_cast<uint32_t>(nodes_.size());
        size_t from = static_cast<size_t>(agg.raw.data() - raw.data());
        agg.raw = raw.substr(from, pos - from);
      } else if (done.attribute) {
        // The attribute itself is not an element of its parent (nor is one inside another).
        if (open_.size() == attribute_depth) in_attribute = false;
        break;
      }
    }
    if (open_.empty() && !in_attribute && !nodes_.empty()) {
      if (pos == raw.size()) return true;
      break;  // more than one reply
    }
  }
  nodes_.clear();
  return false;
}

}  // namespace preshard::resp
