#include "preshard/resp/encode.hpp"

#include <charconv>

namespace preshard::resp {

namespace {

void append_prefixed_number(std::string& out, char prefix, long long v) {
  char buf[24];
  buf[0] = prefix;
  auto res = std::to_chars(buf + 1, buf + sizeof(buf) - 2, v);
  res.ptr[0] = '\r';
  res.ptr[1] = '\n';
  out.append(buf, static_cast<size_t>(res.ptr + 2 - buf));
}

void append_line(std::string& out, char prefix, std::string_view s) {
  out.push_back(prefix);
  out.append(s);
  out.append("\r\n", 2);
}

}  // namespace

void append_simple(std::string& out, std::string_view s) {
  append_line(out, '+', s);
}
void append_error(std::string& out, std::string_view s) {
  append_line(out, '-', s);
}
void append_integer(std::string& out, long long v) {
  append_prefixed_number(out, ':', v);
}

void append_bulk(std::string& out, std::string_view s) {
  append_prefixed_number(out, '$', static_cast<long long>(s.size()));
  out.append(s);
  out.append("\r\n", 2);
}

void append_bulk_header(std::string& out, size_t len) {
  append_prefixed_number(out, '$', static_cast<long long>(len));
}

void append_nil(std::string& out) {
  out.append("$-1\r\n", 5);
}

void append_array_header(std::string& out, size_t n) {
  append_prefixed_number(out, '*', static_cast<long long>(n));
}

void append_command(std::string& out, const Request& req) {
  append_array_header(out, req.size());
  for (size_t i = 0; i < req.size(); ++i) append_bulk(out, req[i]);
}

std::string encode_command(const Request& req) {
  std::string out;
  append_command(out, req);
  return out;
}

}  // namespace preshard::resp
