#include "preshard/resp/inline_split.hpp"

namespace preshard::resp {

namespace {

// Skipped between arguments and required after a closing quote (C's isspace, as Redis).
bool is_blank(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

// Ends an unquoted argument: fewer than is_blank, so "a\fb" stays one argument, as in Redis.
bool ends_token(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

}  // namespace

bool split_inline(std::string_view line, Request& out) {
  out.clear();
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && is_blank(line[i])) ++i;
    if (i >= n) return true;
    out.begin_arg(0);
    bool in_double = false, in_single = false;
    while (true) {
      if (in_double) {
        if (i >= n) return false;  // unterminated "
        char c = line[i];
        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && hex_value(line[i + 2]) >= 0 &&
            hex_value(line[i + 3]) >= 0) {
          char byte = static_cast<char>(hex_value(line[i + 2]) * 16 + hex_value(line[i + 3]));
          out.append_to_last(&byte, 1);
          i += 4;
        } else if (c == '\\' && i + 1 < n) {
          char e = unescape(line[i + 1]);
          out.append_to_last(&e, 1);
          i += 2;
        } else if (c == '"') {
          // The closing quote must be followed by a blank or the end of the line.
          if (i + 1 < n && !is_blank(line[i + 1])) return false;
          ++i;
          break;
        } else {
          out.append_to_last(&c, 1);
          ++i;
        }
      } else if (in_single) {
        if (i >= n) return false;  // unterminated '
        char c = line[i];
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          out.append_to_last(&line[i + 1], 1);
          i += 2;
        } else if (c == '\'') {
          if (i + 1 < n && !is_blank(line[i + 1])) return false;
          ++i;
          break;
        } else {
          out.append_to_last(&c, 1);
          ++i;
        }
      } else {
        if (i >= n) break;
        char c = line[i];
        if (ends_token(c)) {
          ++i;
          break;
        }
        if (c == '"') {
          in_double = true;
        } else if (c == '\'') {
          in_single = true;
        } else {
          out.append_to_last(&c, 1);
        }
        ++i;
      }
    }
  }
}

}  // namespace preshard::resp
