// A loop turn's flushes wait until the ready work is handled, but not behind a client that
// keeps the queue full: a 400 MB value read 16 KB at a time held another client's GET back for
// 4,096 reads (100-200 ms) before the turn's byte budget.
#include <catch2/catch.hpp>

#include <boost/asio/post.hpp>
#include <chrono>
#include <future>

#include "preshard/net/flushable.hpp"
#include "worker_harness.hpp"

using preshard::test::WorkerHarness;

namespace {

struct CountingFlush : preshard::net::Flushable {
  const int* handled = nullptr;
  bool flushed = false;
  std::promise<int> flushed_after;  // reads handled when the flush ran
  void flush() override {
    if (!flushed) flushed_after.set_value(*handled);
    flushed = true;
  }
};

// One client read of `bytes`, then the next (as a read loop does while data keeps coming).
void read_chain(preshard::net::Worker& w, int left, size_t bytes, int& handled,
                std::promise<void>& done) {
  w.note_client_read(bytes);
  ++handled;
  if (left == 0) return done.set_value();
  boost::asio::post(w.io(), [&w, left, bytes, &handled, &done] {
    read_chain(w, left - 1, bytes, handled, done);
  });
}

int reads_before_flush(size_t bytes_per_read) {
  WorkerHarness h({});
  int handled = 0;
  auto flush = std::make_shared<CountingFlush>();
  flush->handled = &handled;
  std::promise<void> done;
  h.run([&] {
    h.worker().defer_flush(flush);  // another client's command, waiting for the turn's end
    boost::asio::post(h.worker().io(),
                      [&] { read_chain(h.worker(), 2000, bytes_per_read, handled, done); });
  });
  done.get_future().wait();
  // Awaited on its own: a handler posted now may still join the last read's turn.
  auto when = flush->flushed_after.get_future();
  if (when.wait_for(std::chrono::seconds(5)) != std::future_status::ready) return -1;
  return when.get();
}

}  // namespace

TEST_CASE("a client reading a huge value does not hold the turn's flushes back") {
  // 256 KB of reads end the turn: 16 reads of 16 KB (and the handler that began the chain).
  int n = reads_before_flush(16384);
  CHECK(n >= 1);
  CHECK(n <= 20);
}

TEST_CASE("small reads still batch: the flush waits for the ready work") {
  // 2,001 reads of 100 bytes are 200 KB: under the budget, all handled in one turn.
  CHECK(reads_before_flush(100) == 2001);
}
