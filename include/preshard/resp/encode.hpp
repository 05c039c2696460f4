#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "preshard/resp/request.hpp"

namespace preshard::resp {

// RESP2 encoders: each appends one complete reply (or command) to `out`.
void append_simple(std::string& out, std::string_view s);  // +s
void append_error(std::string& out, std::string_view s);   // -s (s begins with its code: "ERR ...")
void append_integer(std::string& out, long long v);        // :v
void append_bulk(std::string& out, std::string_view s);    // $len s
void append_bulk_header(std::string& out, size_t len);     // $len (payload and CRLF to follow)
void append_nil(std::string& out);                         // $-1
void append_array_header(std::string& out, size_t n);      // *n
void append_command(std::string& out, const Request& req);

// Convenience: the encoded form as a new string.
std::string encode_command(const Request& req);

}  // namespace preshard::resp
