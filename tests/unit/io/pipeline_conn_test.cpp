// PipelineConn against an in-process fake instance: teardown while bytes or writes are in flight.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

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

TEST_CASE("a reply that arrives after a timeout reset never answers a later command") {
  FakeInstance fake(kPort + 2, [](Socket& s, int n) {
    boost::asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    if (n == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(400));  // past timeout_ms
      boost::system::error_code ignored;
      boost::asio::write(s, boost::asio::buffer(std::string("+LATE\r\n")), ignored);
    } else {
      FakeInstance::send(s, "+FRESH\r\n");
    }
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 2};
  preshard::config::Settings settings;
  settings.timeout_ms = 100;
  WorkerHarness h({ep}, settings);
  auto sink = std::make_shared<RecordingSink>();
  auto conn = h.make_conn(0, ep);
  h.worker().on_tick([conn](auto now) { conn->check_timeouts(now); });
  h.run([&] { conn->submit(preshard::resp::Request{"GET", "a"}, sink, 1); });
  CHECK(sink->await(1) == "failure: ERR shard 0 did not answer within 100 ms");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the late reply is sent
  h.run([&] { conn->submit(preshard::resp::Request{"GET", "b"}, sink, 2); });
  CHECK(sink->await(2) == "+FRESH\r\n");
  h.run([&] { conn->close(); });
}

TEST_CASE("a reply for which no command was sent resets the connection; it answers nothing") {
  std::atomic<bool> go{false};
  FakeInstance fake(kPort + 3, [&](Socket& s, int n) {
    boost::asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    if (n == 0) {
      for (int i = 0; i < 300 && !go; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      FakeInstance::send(s, "+A\r\n+B\r\n");  // two replies to one command
    } else {
      FakeInstance::send(s, "+C\r\n");
    }
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 3};
  WorkerHarness h({ep});
  auto sink = std::make_shared<RecordingSink>();
  auto conn = h.make_conn(0, ep);
  h.run([&] { conn->submit(preshard::resp::Request{"GET", "a"}, sink, 1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // GET a is sent
  h.run([&] {
    // Held (as by a pause): this one is queued, not sent, when the surplus reply comes.
    conn->hold(preshard::backend::PipelineConn::kPaused);
    conn->submit(preshard::resp::Request{"GET", "b"}, sink, 2);
  });
  go = true;
  CHECK(sink->await(1) == "+A\r\n");
  CHECK(sink->await(2) == "failure: ERR shard 0 is unavailable (unexpected reply)");
  h.run([&] {
    conn->release(preshard::backend::PipelineConn::kPaused);
    conn->submit(preshard::resp::Request{"GET", "c"}, sink, 3);
  });
  CHECK(sink->await(3) == "+C\r\n");
  h.run([&] { conn->close(); });
}

TEST_CASE("handshake steps run first; a refusal marks the target down") {
  std::vector<std::string> first_commands;
  std::mutex m;
  FakeInstance fake(kPort + 4, [&](Socket& s, int n) {
    boost::asio::streambuf buf;
    auto cmd = FakeInstance::read_command(s, buf);
    {
      std::lock_guard lock(m);
      first_commands.push_back(cmd[0]);
    }
    if (n == 0) {
      FakeInstance::send(s, "-ERR no\r\n");  // the handshake step fails
      return;
    }
    FakeInstance::send(s, "+PONG\r\n");
    FakeInstance::read_command(s, buf);
    FakeInstance::send(s, "$1\r\nv\r\n");
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 4};
  preshard::config::Settings settings;
  settings.retry_min_ms = 300;
  WorkerHarness h({ep}, settings);
  auto sink = std::make_shared<RecordingSink>();
  auto conn = h.make_conn(0, ep);
  auto pong = [](std::string_view r) -> preshard::backend::StepResult {
    return r == "+PONG\r\n" ? "" : "handshake refused";
  };
  h.run([&] {
    conn->set_handshake({{preshard::resp::Request{"PING"}, +pong}});
    conn->submit(preshard::resp::Request{"GET", "a"}, sink, 1);
  });
  CHECK(sink->await(1) == "failure: ERR shard 0 is unavailable (handshake refused)");
  // Inside the backoff: failed at once, no connection attempted.
  h.run([&] { conn->submit(preshard::resp::Request{"GET", "a"}, sink, 2); });
  CHECK(sink->await(2, std::chrono::milliseconds(50)) ==
        "failure: ERR shard 0 is unavailable (handshake refused)");
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  h.run([&] { conn->submit(preshard::resp::Request{"GET", "a"}, sink, 3); });
  CHECK(sink->await(3) == "$1\r\nv\r\n");
  std::lock_guard lock(m);
  CHECK(first_commands == std::vector<std::string>{"PING", "PING"});
  h.run([&] { conn->close(); });
}

TEST_CASE("a shard's counters: requests, in flight, round trips and failures by kind") {
  FakeInstance fake(kPort + 5, [](Socket& s, int) {
    boost::asio::streambuf buf;
    for (int i = 0; i < 2; ++i) {
      FakeInstance::read_command(s, buf);
      std::this_thread::sleep_for(std::chrono::milliseconds(30));  // a slow instance
      FakeInstance::send(s, "+OK\r\n");
    }
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 5};
  WorkerHarness h({ep});
  auto sink = std::make_shared<RecordingSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  auto& shard = *h.stats().shard(2);
  h.run([&] {
    conn = h.make_conn(2, ep);
    conn->submit(preshard::resp::Request{"SET", "a", "1"}, sink, 1);
    conn->submit(preshard::resp::Request{"SET", "b", "2"}, sink, 2);
  });
  h.run([&] { CHECK(shard.in_flight.load() == 2); });
  CHECK(sink->await(2) == "+OK\r\n");
  h.run([&] {
    CHECK(shard.requests.load() == 2);
    CHECK(shard.in_flight.load() == 0);
    CHECK(shard.connections.load() == 1);
    preshard::stats::Histogram rtt;
    shard.rtt.add_to(rtt);
    CHECK(rtt.count == 2);
    CHECK(rtt.percentile_us(0.99) >= 30000);  // the second waited for both
    conn->close();
  });
  // Nothing listens there: the command fails, counted as shard_unavailable.
  const preshard::config::Endpoint dead{"127.0.0.1", kPort + 6};
  auto& other = *h.stats().shard(3);
  h.run([&] {
    conn = h.make_conn(3, dead);
    conn->submit(preshard::resp::Request{"GET", "a"}, sink, 3);
  });
  CHECK(sink->await(3).rfind("failure: ", 0) == 0);
  h.run([&] {
    auto kind = static_cast<size_t>(preshard::core::errors::Kind::kShardUnavailable);
    CHECK(other.errors_by_kind[kind].load() == 1);
    CHECK(other.connect_failures.load() == 1);
    CHECK(other.in_flight.load() == 0);
  });
}
