// A script sent to an instance is counted in ServerState::scripts_running until it is answered
// or fails (PING asks a shard while the count is not 0: proxy/busy_ping.cpp).
#include <catch2/catch.hpp>

#include <atomic>

#include "fake_instance.hpp"
#include "preshard/backend/pipeline_conn.hpp"
#include "worker_harness.hpp"

using preshard::test::FakeInstance;
using preshard::test::RecordingSink;
using preshard::test::WorkerHarness;
using Socket = FakeInstance::tcp::socket;

namespace {
constexpr unsigned short kPort = 28175;  // test ports: 28000-31999
const preshard::resp::Request kEval{"EVAL", "return 1", "0"};
const preshard::resp::Request kGet{"GET", "a"};
}  // namespace

TEST_CASE("a script is counted on its shard until its reply, other commands never") {
  FakeInstance fake(kPort, [](Socket& s, int) {
    boost::asio::streambuf buf;
    for (int i = 0; i < 2; ++i) FakeInstance::read_command(s, buf);
    FakeInstance::send(s, "$-1\r\n:1\r\n");
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort};
  WorkerHarness h({ep});
  auto sink = std::make_shared<RecordingSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  int during = -1;
  h.run([&] {
    conn = h.make_conn(3, ep);
    conn->submit(kGet, sink, 1);
    conn->submit(kEval, sink, 2, true);
    during = h.state().scripts_running(3)->load();
  });
  CHECK(during == 1);
  CHECK(h.state().scripts_running(0)->load() == 0);
  CHECK(sink->await(2) == ":1\r\n");
  h.run([] {});  // the reply's handling has ended
  CHECK(h.state().scripts_running(3)->load() == 0);
  h.run([&] { conn->close(); });
}

TEST_CASE("a script whose connection fails is no longer counted") {
  FakeInstance fake(kPort + 1, [](Socket& s, int) {
    boost::asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    s.close();  // no answer: the connection fails
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 1};
  WorkerHarness h({ep});
  auto sink = std::make_shared<RecordingSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  h.run([&] {
    conn = h.make_conn(2, ep);
    conn->submit(kEval, sink, 1, true);
  });
  CHECK(sink->await(1).rfind("failure: ", 0) == 0);
  h.run([] {});
  CHECK(h.state().scripts_running(2)->load() == 0);
  h.run([&] { conn->close(); });
}
