// A large reply through PipelineConn: in parts to a sink that takes them, paused and resumed by
// it; whole to one that does not.
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
constexpr unsigned short kPort = 28130;  // test ports: 28000-31999
const std::string kBig = "$4194304\r\n" + std::string(4 << 20, 'z') + "\r\n";

// Takes the reply in parts; says "stop" after the first one and keeps the resume for the test.
class PartsSink : public RecordingSink {
 public:
  bool stream_begin(uint64_t) override { return true; }
  bool stream_part(uint64_t, std::string_view part, std::function<void()> more) override {
    std::lock_guard lock(mutex);
    parts.append(part);
    ++count;
    if (count > 1) return true;
    resume = std::move(more);
    return false;
  }
  std::mutex mutex;
  std::string parts;
  size_t count = 0;
  std::function<void()> resume;
};

void serve_big_then_ok(Socket& s, int) {
  boost::asio::streambuf buf;
  FakeInstance::read_command(s, buf);
  FakeInstance::read_command(s, buf);
  FakeInstance::send(s, kBig + "+OK\r\n");
}

preshard::config::Settings streaming_settings() {
  auto s = preshard::test::without_role_check();
  s.reply_stream_bytes = 65536;
  return s;
}
}  // namespace

TEST_CASE("a large reply comes in parts to a sink that takes them; it stops and resumes them") {
  FakeInstance fake(kPort, serve_big_then_ok);
  const preshard::config::Endpoint ep{"127.0.0.1", kPort};
  WorkerHarness h({ep}, streaming_settings());
  auto sink = std::make_shared<PartsSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  h.run([&] {
    conn = h.make_conn(0, ep);
    conn->submit(preshard::resp::Request{"GET", "big"}, sink, 1);
    conn->submit(preshard::resp::Request{"PING"}, sink, 2);
  });
  std::function<void()> resume;
  for (int i = 0; i < 300 && !resume; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::lock_guard lock(sink->mutex);
    resume = sink->resume;
  }
  REQUIRE(resume);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  {
    std::lock_guard lock(sink->mutex);
    CHECK(sink->count == 1);  // paused: nothing more was read
    CHECK(sink->parts.size() < kBig.size() / 2);
  }
  CHECK(sink->await(2, std::chrono::milliseconds(10)) == "(none)");  // behind the big reply
  resume();
  std::string last = sink->await(1);
  CHECK(sink->await(2) == "+OK\r\n");
  std::lock_guard lock(sink->mutex);
  CHECK(sink->parts + last == kBig);
  CHECK(sink->count > 2);
  h.run([&] { conn->close(); });
}

TEST_CASE("a sink that does not take parts gets the large reply whole") {
  FakeInstance fake(kPort + 1, serve_big_then_ok);
  const preshard::config::Endpoint ep{"127.0.0.1", kPort + 1};
  WorkerHarness h({ep}, streaming_settings());
  auto sink = std::make_shared<RecordingSink>();
  std::shared_ptr<preshard::backend::PipelineConn> conn;
  h.run([&] {
    conn = h.make_conn(0, ep);
    conn->submit(preshard::resp::Request{"GET", "big"}, sink, 1);
    conn->submit(preshard::resp::Request{"PING"}, sink, 2);
  });
  CHECK(sink->await(1) == kBig);
  CHECK(sink->await(2) == "+OK\r\n");
  h.run([&] { conn->close(); });
}
