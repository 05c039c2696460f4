// PipelineConn against an in-process fake instance: teardown while bytes or writes are in flight.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "fake_instance.hpp"
#include "preshard/backend/pipeline_conn.hpp"
#include "worker_harness.hpp"

using preshard::test::FakeInstance;
using preshard::test::RecordingSink;
using preshard::test::WorkerHarness;
using Socket = FakeInstance::tcp::socket;

namespace {
constexpr unsigned short kPort = 28101;  // test ports: 28000-31999
const preshard::config::Endpoint kFake{"127.0.0.1", kPort};
}  // namespace

TEST_CASE("a closed connection starts afresh: bytes of the old one never answer a new command") {
  std::atomic<bool> partial_sent{false};
  FakeInstance fake(kPort, [&](Socket& s, int n) {
    boost::asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    if (n == 0) {
      FakeInstance::send(s, "$5\r\nab");  // half a reply, then the proxy closes this connection
      partial_sent = true;
    } else {
      FakeInstance::send(s, "+OK\r\n");
    }
  });
  WorkerHarness h({kFake});
  auto sink = std::make_shared<RecordingSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  h.run([&] {
    conn = h.make_conn(0, kFake);
    conn->submit(preshard::resp::Request{"GET", "a"}, sink, 1);
  });
  for (int i = 0; i < 300 && !partial_sent; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(partial_sent);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the half reply reaches the proxy
  h.run([&] { conn->close(); });
  CHECK(sink->await(1).rfind("failure: ", 0) == 0);
  h.run([&] { conn->submit(preshard::resp::Request{"PING"}, sink, 2); });
  CHECK(sink->await(2) == "+OK\r\n");
  h.run([&] { conn->close(); });
}

TEST_CASE("a connection closed during a write can send again") {
  FakeInstance fake(kPort + 1, [](Socket& s, int n) {
    if (n == 0) return;  // never reads: the proxy's large write stays in progress
    boost::asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    FakeInstance::send(s, "+PONG\r\n");
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 1};
  WorkerHarness h({ep});
  auto sink = std::make_shared<RecordingSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  h.run([&] {
    conn = h.make_conn(0, ep);
    conn->submit(preshard::resp::Request{"SET", "k", std::string(64 << 20, 'v')}, sink, 1);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // connected, writing, stuck
  h.run([&] { conn->close(); });
  CHECK(sink->await(1).rfind("failure: ", 0) == 0);
  h.run([&] { conn->submit(preshard::resp::Request{"PING"}, sink, 2); });
  CHECK(sink->await(2) == "+PONG\r\n");
  h.run([&] { conn->close(); });
}
