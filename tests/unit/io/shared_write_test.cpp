// A large command goes to the instance from the request's own buffer (a gathered write), byte
// for byte what append_command would have written, in order with the commands around it.
#include <catch2/catch.hpp>

#include <boost/asio/read.hpp>

#include "fake_instance.hpp"
#include "preshard/backend/pipeline_conn.hpp"
#include "preshard/resp/encode.hpp"
#include "worker_harness.hpp"

using preshard::test::FakeInstance;
using preshard::test::RecordingSink;
using preshard::test::WorkerHarness;
using Socket = FakeInstance::tcp::socket;

namespace {
constexpr unsigned short kPort = 28135;  // test ports: 28000-31999
}  // namespace

TEST_CASE("a large command is written from its request's buffer, exactly, in order") {
  using preshard::resp::Request;
  std::string value(3 << 20, 'a');
  for (size_t i = 0; i < value.size(); i += 4093) value[i] = static_cast<char>('b' + i % 20);
  const Request before{"SET", "small", "x"};
  Request big{"MSET", "k1", value, "k2", std::string(70000, 'c'), "k3", "short"};
  const Request after{"GET", "small"};
  std::string expected = preshard::resp::encode_command(before) +
                         preshard::resp::encode_command(big) +
                         preshard::resp::encode_command(after);
  std::string received;
  FakeInstance fake(kPort, [&](Socket& s, int) {
    received.resize(expected.size());
    boost::asio::read(s, boost::asio::buffer(received));
    FakeInstance::send(s, "+OK\r\n+OK\r\n$1\r\nx\r\n");
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort};
  WorkerHarness h({ep}, preshard::test::without_role_check());
  auto sink = std::make_shared<RecordingSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  h.run([&] {
    conn = h.make_conn(0, ep);
    conn->submit(before, sink, 1);
    conn->submit(big, sink, 2);
    big.clear();  // the client reuses its request at once: the write must not depend on it
    big.add("PING");
    conn->submit(after, sink, 3);
  });
  CHECK(sink->await(1) == "+OK\r\n");
  CHECK(sink->await(2) == "+OK\r\n");
  CHECK(sink->await(3) == "$1\r\nx\r\n");
  CHECK(received == expected);
  h.run([&] { conn->close(); });
}
