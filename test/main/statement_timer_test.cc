#include "src/main/statement_timer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace tessera {
namespace {

using namespace std::chrono_literals;

TEST(StatementTimerTest, FiresAtTheDeadlineUnlessDisarmed) {
  StatementTimer timer;
  std::atomic<int> fired{0};
  auto kept = timer.arm(StatementTimer::Clock::now() + 20ms, [&] { fired++; });
  auto dropped = timer.arm(StatementTimer::Clock::now() + 30ms, [&] { fired += 100; });
  timer.disarm(dropped);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(fired.load(), 1);
  timer.disarm(kept);  // already fired: nothing to do
}

TEST(StatementTimerTest, DisarmingTheEntryTheTimerWaitsForIsSafe) {
  // The timer thread waits until the earliest deadline; disarming that entry while it waits
  // must not leave it reading the erased entry.
  StatementTimer timer;
  std::atomic<int> fired{0};
  for (int i = 0; i < 200; i++) {
    auto id = timer.arm(StatementTimer::Clock::now() + 1h, [&] { fired++; });
    std::this_thread::sleep_for(100us);
    timer.disarm(id);
  }
  auto soon = timer.arm(StatementTimer::Clock::now() + 1ms, [&] { fired++; });
  std::this_thread::sleep_for(100ms);
  timer.disarm(soon);
  EXPECT_EQ(fired.load(), 1);
}

}  // namespace
}  // namespace tessera
