// Redis's glob semantics (util.c's stringmatchlen), written as the usual iterative matcher that
// backtracks to the latest '*' only: linear in practice, no recursion on hostile patterns.
#include "preshard/acl/glob.hpp"

#include <cctype>
#include <utility>

namespace preshard::acl {

namespace {

int fold(char c, bool nocase) {
  // Redis compares signed chars (x86); folded with tolower when asked.
  int v = static_cast<signed char>(c);
  return nocase ? std::tolower(static_cast<unsigned char>(c)) : v;
}

// The class that opens at pat[i] (just after '['): whether c is in it. Leaves i on its closing
// ']' (an unterminated class takes the rest of the pattern, as Redis does).
bool in_class(std::string_view pat, size_t& i, char c, bool nocase) {
  bool negate = i < pat.size() && pat[i] == '^';
  if (negate) ++i;
  bool match = false;
  int want = fold(c, nocase);
  for (; i < pat.size() && pat[i] != ']'; ++i) {
    if (pat[i] == '\\' && i + 1 < pat.size()) {
      ++i;
      match |= pat[i] == c;
    } else if (i + 2 < pat.size() && pat[i + 1] == '-') {
      int lo = fold(pat[i], nocase), hi = fold(pat[i + 2], nocase);
      if (lo > hi) std::swap(lo, hi);
      match |= want >= lo && want <= hi;
      i += 2;
    } else {
      match |= fold(pat[i], nocase) == want;
    }
  }
  if (i >= pat.size()) i = pat.size() - 1;  // unterminated: the class ended the pattern
  return negate ? !match : match;
}

}  // namespace

bool glob_match(std::string_view pat, std::string_view s, bool nocase) {
  constexpr size_t kNone = std::string_view::npos;
  size_t p = 0, i = 0, star = kNone, star_i = 0;
  while (i < s.size()) {
    if (p < pat.size()) {
      char pc = pat[p];
      if (pc == '*') {
        while (p < pat.size() && pat[p] == '*') ++p;
        if (p == pat.size()) return true;
        star = p;
        star_i = i;
        continue;
      }
      bool ok = false;
      size_t next = p + 1;
      if (pc == '?') {
        ok = true;
      } else if (pc == '[') {
        size_t at = p + 1;
        ok = at < pat.size() ? in_class(pat, at, s[i], nocase) : false;
        next = at + 1;
      } else {
        if (pc == '\\' && p + 1 < pat.size()) ++p;
        ok = fold(pat[p], nocase) == fold(s[i], nocase);
        next = p + 1;
      }
      if (ok) {
        p = next;
        ++i;
        continue;
      }
    }
    if (star == kNone) return false;  // nothing earlier to stretch
    p = star;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace preshard::acl
