#include "preshard/resp/reply_writer.hpp"

#include "preshard/resp/encode.hpp"

namespace preshard::resp {

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
  append_nil(out_);
}

void ReplyWriter::null_array() {
  out_.append("*-1\r\n", 5);
}

void ReplyWriter::array(size_t n) {
  append_array_header(out_, n);
}

void ReplyWriter::map(size_t entries) {
  append_array_header(out_, entries * 2);
}

void ReplyWriter::set(size_t n) {
  append_array_header(out_, n);
}

void ReplyWriter::push(size_t n) {
  append_array_header(out_, n);
}

void ReplyWriter::boolean(bool b) {
  append_integer(out_, b ? 1 : 0);
}

void ReplyWriter::verbatim(std::string_view text) {
  append_bulk(out_, text);
}

}  // namespace preshard::resp
