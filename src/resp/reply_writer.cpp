#include "preshard/resp/reply_writer.hpp"

#include "preshard/resp/encode.hpp"

namespace preshard::resp {

namespace {

// A RESP3 aggregate header: its type byte, then the count.
void header(std::string& out, char type, size_t n) {
  out.push_back(type);
  out.append(std::to_string(n));
  out.append("\r\n", 2);
}

}  // namespace

void ReplyWriter::simple(std::string_view s) {
  append_simple(out_, s);
}

void ReplyWriter::error(std::string_view text) {
  append_error(out_, text);
}

void ReplyWriter::integer(long long v) {
  append_integer(out_, v);
}

void ReplyWriter::bulk(std::string_view s) {
  append_bulk(out_, s);
}

void ReplyWriter::null() {
  if (resp3()) {
    out_.append("_\r\n", 3);
  } else {
    append_nil(out_);
  }
}

void ReplyWriter::null_array() {
  if (resp3()) {
    out_.append("_\r\n", 3);  // RESP3 has one null for every type
  } else {
    out_.append("*-1\r\n", 5);
  }
}

void ReplyWriter::array(size_t n) {
  append_array_header(out_, n);
}

void ReplyWriter::map(size_t entries) {
  if (resp3()) {
    header(out_, '%', entries);
  } else {
    append_array_header(out_, entries * 2);
  }
}

void ReplyWriter::set(size_t n) {
  if (resp3()) {
    header(out_, '~', n);
  } else {
    append_array_header(out_, n);
  }
}

void ReplyWriter::push(size_t n) {
  if (resp3()) {
    header(out_, '>', n);
  } else {
    append_array_header(out_, n);
  }
}

void ReplyWriter::boolean(bool b) {
  if (resp3()) {
    out_.append(b ? "#t\r\n" : "#f\r\n", 4);
  } else {
    append_integer(out_, b ? 1 : 0);
  }
}

void ReplyWriter::verbatim(std::string_view text) {
  if (!resp3()) {
    append_bulk(out_, text);
    return;
  }
  // Redis's verbatim string: "txt:" then the text, its length counting the four bytes.
  out_.push_back('=');
  out_.append(std::to_string(text.size() + 4));
  out_.append("\r\ntxt:", 6);
  out_.append(text);
  out_.append("\r\n", 2);
}

}  // namespace preshard::resp
