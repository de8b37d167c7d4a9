#include "pgwire/internal/statement_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tessera::pgwire {
namespace {

/// A gate that tasks wait on until the test opens it.
class Gate {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

bool eventually(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

TEST(StatementPoolTest, BlockedTasksNeverDelayNewOnes) {
  StatementPool pool;
  Gate gate;
  std::atomic<int> blocked{0};
  for (int i = 0; i < 8; i++) {
    pool.submit([&] {
      blocked++;
      gate.wait();
    });
  }
  ASSERT_TRUE(eventually([&] { return blocked == 8; }));
  // Eight threads are stuck; a ninth task still runs at once.
  std::atomic<bool> ran{false};
  pool.submit([&] { ran = true; });
  EXPECT_TRUE(eventually([&] { return ran.load(); }));
  EXPECT_GE(pool.thread_count(), 9u);
  gate.open();
  pool.shutdown();
}

TEST(StatementPoolTest, IdleThreadsExit) {
  StatementPool pool(std::chrono::milliseconds(50));
  std::atomic<int> done{0};
  pool.submit([&] { done++; });
  pool.submit([&] { done++; });
  ASSERT_TRUE(eventually([&] { return done == 2; }));
  EXPECT_TRUE(eventually([&] { return pool.thread_count() == 0; }));
  // A pool whose threads all left still runs tasks.
  pool.submit([&] { done++; });
  EXPECT_TRUE(eventually([&] { return done == 3; }));
}

TEST(StatementPoolTest, ShutdownRunsEveryTaskIncludingOnesSubmittedMeanwhile) {
  std::atomic<int> done{0};
  {
    StatementPool pool;
    for (int i = 0; i < 100; i++) {
      pool.submit([&] {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        pool.submit([&] { done++; });
        done++;
      });
    }
    pool.shutdown();
    EXPECT_EQ(done, 200);
  }
}

}  // namespace
}  // namespace tessera::pgwire
