// BackendPool against in-process fake instances: per-protocol connections.
#include <catch2/catch.hpp>

#include <mutex>
#include <vector>

#include "fake_instance.hpp"
#include "preshard/backend/backend_pool.hpp"
#include "worker_harness.hpp"

using preshard::resp::Protocol;
using preshard::test::FakeInstance;
using preshard::test::RecordingSink;
using preshard::test::without_role_check;
using preshard::test::WorkerHarness;
using Socket = FakeInstance::tcp::socket;

namespace {
constexpr unsigned short kPort = 28140;  // test ports: 28000-31999 (28120-28139: client_conn_test)

// A pool of the harness's worker over one instance (destroyed on the worker's thread).
std::unique_ptr<preshard::backend::BackendPool> make_pool(WorkerHarness& h,
                                                          const preshard::config::Endpoint& ep) {
  preshard::config::Config c;
  c.instances = {ep};
  return std::make_unique<preshard::backend::BackendPool>(h.worker(),
                                                          preshard::router::RoutingTable::build(c));
}
}  // namespace

TEST_CASE("a RESP3 client's commands go on a connection that said HELLO 3 first") {
  std::mutex m;
  std::vector<std::vector<std::string>> seen(2);  // per accepted connection: command names
  FakeInstance fake(kPort, [&](Socket& s, int n) {
    boost::asio::streambuf buf;
    for (int i = 0; i < 2; ++i) {
      auto cmd = FakeInstance::read_command(s, buf);
      {
        std::lock_guard lock(m);
        if (n < 2) seen[n].push_back(cmd[0] + (cmd.size() > 1 ? " " + cmd[1] : ""));
      }
      if (cmd[0] == "HELLO") {
        FakeInstance::send(s, "%1\r\n$5\r\nproto\r\n:3\r\n");
      } else {
        FakeInstance::send(s, n == 0 ? "_\r\n" : "$-1\r\n");
        if (n == 1) return;  // a RESP2 connection gets one command only
      }
    }
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort};
  WorkerHarness h({ep}, without_role_check());
  auto pool = make_pool(h, ep);
  auto sink = std::make_shared<RecordingSink>();
  h.run([&] {
    pool->conn(0, {Protocol::kResp3}).submit(preshard::resp::Request{"GET", "a"}, sink, 1);
  });
  CHECK(sink->await(1) == "_\r\n");
  h.run([&] {
    pool->conn(0, {Protocol::kResp2}).submit(preshard::resp::Request{"GET", "a"}, sink, 2);
  });
  CHECK(sink->await(2) == "$-1\r\n");
  h.run([&] {
    CHECK(&pool->conn(0, {Protocol::kResp3}) != &pool->conn(0, {Protocol::kResp2}));
    CHECK(pool->conn(0, {Protocol::kResp3}).protocol() == Protocol::kResp3);
    pool->close_all();
    pool.reset();
  });
  std::lock_guard lock(m);
  CHECK(seen[0] == std::vector<std::string>{"HELLO 3", "GET a"});
  CHECK(seen[1] == std::vector<std::string>{"GET a"});
}

TEST_CASE("an instance that cannot speak RESP3 fails the command with the reason") {
  FakeInstance fake(kPort + 1, [&](Socket& s, int) {
    boost::asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    FakeInstance::send(s, "-ERR unknown command 'HELLO'\r\n");  // a Redis older than 6
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 1};
  WorkerHarness h({ep}, without_role_check());
  auto pool = make_pool(h, ep);
  auto sink = std::make_shared<RecordingSink>();
  h.run([&] {
    pool->conn(0, {Protocol::kResp3}).submit(preshard::resp::Request{"GET", "a"}, sink, 1);
  });
  CHECK(sink->await(1) ==
        "failure: ERR shard 0 is unavailable (instance does not speak RESP3 (HELLO 3: -ERR "
        "unknown command 'HELLO'))");
  h.run([&] {
    pool->close_all();
    pool.reset();
  });
}

TEST_CASE("a db lane's connections select their db in the handshake, after HELLO 3, then ROLE") {
  std::mutex m;
  std::vector<std::string> seen;
  FakeInstance fake(kPort + 2, [&](Socket& s, int) {
    boost::asio::streambuf buf;
    for (const char* reply : {"%1\r\n$5\r\nproto\r\n:3\r\n", "+OK\r\n",
                              "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n", ":1\r\n"}) {
      auto cmd = FakeInstance::read_command(s, buf);
      {
        std::lock_guard lock(m);
        seen.push_back(cmd[0] + (cmd.size() > 1 ? " " + cmd[1] : ""));
      }
      FakeInstance::send(s, reply);
    }
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 2};
  WorkerHarness h({ep});
  auto pool = make_pool(h, ep);
  auto sink = std::make_shared<RecordingSink>();
  h.run([&] {
    pool->conn(0, {Protocol::kResp3, 2}).submit(preshard::resp::Request{"INCR", "a"}, sink, 1);
  });
  CHECK(sink->await(1) == ":1\r\n");
  h.run([&] {
    CHECK(pool->conn(0, {Protocol::kResp3, 2}).mode() ==
          preshard::backend::ConnMode{Protocol::kResp3, 2});
    pool->close_all();
    pool.reset();
  });
  std::lock_guard lock(m);
  CHECK(seen == std::vector<std::string>{"HELLO 3", "SELECT 2", "ROLE", "INCR a"});
}

TEST_CASE("role fencing: an instance that says it is a replica gets no command, and READONLY") {
  std::mutex m;
  std::vector<std::string> seen;  // every command the fake received, across connections
  FakeInstance fake(kPort + 3, [&](Socket& s, int n) {
    boost::asio::streambuf buf;
    for (int i = 0; i < 2; ++i) {
      auto cmd = FakeInstance::read_command(s, buf);
      {
        std::lock_guard lock(m);
        seen.push_back(cmd[0]);
      }
      if (cmd[0] != "ROLE") {
        FakeInstance::send(s, "+OK\r\n");
      } else if (n == 0) {  // the first connection finds a replica (an old master back)
        // Nothing may follow ROLE before its answer: a command sent behind it would run on
        // the replica.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (buf.size() + s.available() > 0) {
          std::lock_guard lock(m);
          seen.push_back("(a command behind ROLE)");
        }
        FakeInstance::send(s,
                           "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:7000\r\n"
                           "$9\r\nconnected\r\n:14\r\n");
        return;
      } else {
        FakeInstance::send(s, "*3\r\n$6\r\nmaster\r\n:14\r\n*0\r\n");
      }
    }
  });
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 3};
  preshard::config::Settings settings;
  settings.retry_min_ms = 300;
  WorkerHarness h({ep}, settings);
  auto pool = make_pool(h, ep);
  auto sink = std::make_shared<RecordingSink>();
  const std::string readonly =
      "failure: READONLY shard 0's instance 127.0.0.1:28143 is a replica, not a master: nothing "
      "is sent to it until the map names the shard's master";
  h.run([&] { pool->conn(0).submit(preshard::resp::Request{"SET", "a", "1"}, sink, 1); });
  CHECK(sink->await(1) == readonly);
  // Inside the backoff: refused at once with the same words, no connection made.
  h.run([&] { pool->conn(0).submit(preshard::resp::Request{"SET", "a", "2"}, sink, 2); });
  CHECK(sink->await(2, std::chrono::milliseconds(50)) == readonly);
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  // Promoted meanwhile: the next connection finds a master and the write goes through.
  h.run([&] { pool->conn(0).submit(preshard::resp::Request{"SET", "a", "3"}, sink, 3); });
  CHECK(sink->await(3) == "+OK\r\n");
  h.run([&] {
    pool->close_all();
    pool.reset();
  });
  std::lock_guard lock(m);
  CHECK(seen == std::vector<std::string>{"ROLE", "ROLE", "SET"});
}
