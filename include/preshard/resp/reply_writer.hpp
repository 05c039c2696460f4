#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace preshard::resp {

// The protocol a client speaks (HELLO 2 / HELLO 3).
enum class Protocol : uint8_t { kResp2 = 2, kResp3 = 3 };

// Writes replies to one client in its protocol. Every reply the proxy makes itself goes through
// here; a type RESP2 lacks is written as Redis writes it to a RESP2 client (a map as a flat
// array, a set or push as an array, a boolean as 0/1, verbatim text as a bulk string, a null
// as the nil bulk); to a RESP3 client each is written as its own type, as redis-server 7.0
// writes it.
class ReplyWriter {
 public:
  explicit ReplyWriter(std::string& out, Protocol p = Protocol::kResp2) : out_(out), proto_(p) {}

  Protocol protocol() const { return proto_; }
  bool resp3() const { return proto_ == Protocol::kResp3; }
  void set_protocol(Protocol p) { proto_ = p; }  // HELLO answers in the protocol it switched to

  void simple(std::string_view s);
  void error(std::string_view text);  // text begins with its code: "ERR ..."
  void integer(long long v);
  void bulk(std::string_view s);
  void null();        // a missing value
  void null_array();  // RESP2's *-1 (EXEC aborted, BLPOP timed out)
  void array(size_t n);
  void map(size_t entries);  // then key, value, key, value, ...
  void set(size_t n);
  void push(size_t n);  // a pub/sub message or confirmation
  void boolean(bool b);
  void verbatim(std::string_view text);  // INFO, CLIENT INFO
  // An encoded reply (an instance's, or a part of one) passed on as it is.
  void raw(std::string_view encoded) { out_.append(encoded); }

 private:
  std::string& out_;
  Protocol proto_;
};

}  // namespace preshard::resp
