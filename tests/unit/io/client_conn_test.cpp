// ClientConn and the dispatcher against in-process fake instances: replies completed out of
// order leave in request order, and a client that leaves with commands in flight is let go.
#include <catch2/catch.hpp>

#include <boost/asio/read.hpp>
#include <thread>

#include "fake_instance.hpp"
#include "preshard/client/client_conn.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/router/routing_table.hpp"
#include "worker_harness.hpp"

using preshard::test::FakeInstance;
using preshard::test::WorkerHarness;
using Socket = FakeInstance::tcp::socket;
namespace asio = boost::asio;

namespace {

constexpr unsigned short kPort = 28120;

// A key of each shard of a 2-shard table.
std::string key_of_shard(const preshard::router::RoutingTable& t, size_t shard) {
  for (int i = 0;; ++i) {
    std::string k = "k" + std::to_string(i);
    if (t.shard_of(k) == shard) return k;
  }
}

// A proxy client connection on the harness's worker, and the test's end of it.
struct Client {
  std::unique_ptr<preshard::proxy::Context> ctx;
  asio::io_context io;
  Socket test_end{io};

  Client(WorkerHarness& h, std::vector<preshard::config::Endpoint> instances, unsigned short port) {
    preshard::config::Config c;
    c.instances = std::move(instances);
    FakeInstance::tcp::acceptor acceptor(
        io, FakeInstance::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    test_end.connect(acceptor.local_endpoint());
    Socket proxy_end = acceptor.accept(h.worker().io());
    h.run([&] {
      ctx = std::make_unique<preshard::proxy::Context>(h.worker(),
                                                       preshard::router::RoutingTable::build(c));
      std::make_shared<preshard::client::ClientConn>(*ctx, std::move(proxy_end))->start();
    });
  }
  std::string read_exactly(size_t n) {
    std::string out(n, '\0');
    asio::read(test_end, asio::buffer(out));
    return out;
  }
};

}  // namespace

TEST_CASE("a split command answered out of order, and a later command, leave in request order") {
  // Shard 0's instance answers late; shard 1's at once.
  FakeInstance slow(kPort, [](Socket& s, int) {
    asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    FakeInstance::send(s, "*1\r\n$2\r\nv0\r\n");
  });
  FakeInstance fast(kPort + 1, [](Socket& s, int) {
    asio::streambuf buf;
    FakeInstance::read_command(s, buf);  // its part of the MGET
    FakeInstance::send(s, "*1\r\n$2\r\nv1\r\n");
    FakeInstance::read_command(s, buf);  // the GET behind it
    FakeInstance::send(s, "$2\r\nv1\r\n");
  });
  std::vector<preshard::config::Endpoint> instances = {{"127.0.0.1", kPort},
                                                       {"127.0.0.1", kPort + 1}};
  WorkerHarness h(instances, preshard::test::without_role_check());
  Client client(h, instances, kPort + 2);
  preshard::config::Config c;
  c.instances = instances;
  auto table = preshard::router::RoutingTable::build(c);
  std::string k0 = key_of_shard(*table, 0), k1 = key_of_shard(*table, 1);
  std::string cmds = "*3\r\n$4\r\nMGET\r\n$" + std::to_string(k0.size()) + "\r\n" + k0 + "\r\n$" +
                     std::to_string(k1.size()) + "\r\n" + k1 + "\r\n" + "*2\r\n$3\r\nGET\r\n$" +
                     std::to_string(k1.size()) + "\r\n" + k1 + "\r\n";
  asio::write(client.test_end, asio::buffer(cmds));
  std::string expected = "*2\r\n$2\r\nv0\r\n$2\r\nv1\r\n$2\r\nv1\r\n";
  CHECK(client.read_exactly(expected.size()) == expected);
  h.run([&] { client.ctx->drain(); });
  h.worker().join();  // the drain ends the loop; only then may the Context go
}

TEST_CASE("a client that leaves with commands in flight: late replies land nowhere") {
  FakeInstance never(kPort + 3, [](Socket& s, int) {
    asio::streambuf buf;
    FakeInstance::read_command(s, buf);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    boost::system::error_code ignored;
    asio::write(s, asio::buffer(std::string("+LATE\r\n")), ignored);
  });
  std::vector<preshard::config::Endpoint> instances = {{"127.0.0.1", kPort + 3}};
  WorkerHarness h(instances, preshard::test::without_role_check());
  Client client(h, instances, kPort + 4);
  asio::write(client.test_end, asio::buffer(std::string("*2\r\n$3\r\nGET\r\n$1\r\na\r\n")));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.test_end.close();  // gone before the reply
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // The proxy noticed the client leave, and the late reply found no one.
  uint64_t clients = 1, errors = 1;
  h.run([&] {
    clients = h.worker().stats().connected_clients.load();
    errors = h.worker().stats().backend_errors.load();
  });
  CHECK(clients == 0);
  CHECK(errors == 0);
  h.run([&] { client.ctx->drain(); });
  h.worker().join();  // the drain ends the loop; only then may the Context go
}
