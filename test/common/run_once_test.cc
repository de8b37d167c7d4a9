#include "src/common/run_once.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tessera {
namespace {

TEST(RunOnceTest, RunsTheFunctionOnceForEveryThread) {
  RunOnce once;
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++) {
    threads.emplace_back([&] { once.run([&] { runs++; }); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(1, runs.load());
}

// A failure reaches every caller, including threads that were waiting while it ran, and none
// of them blocks (std::call_once under ThreadSanitizer would leave them waiting).
TEST(RunOnceTest, AFailureReachesEveryCallerWithoutRunningAgain) {
  RunOnce once;
  std::atomic<int> runs{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++) {
    threads.emplace_back([&] {
      try {
        once.run([&] {
          runs++;
          throw std::runtime_error("bad input");
        });
      } catch (const std::runtime_error& e) {
        EXPECT_STREQ("bad input", e.what());
        failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(1, runs.load());
  EXPECT_EQ(4, failures.load());
  EXPECT_THROW(once.run([] {}), std::runtime_error);
}

}  // namespace
}  // namespace tessera
