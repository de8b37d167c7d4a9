#include "storage/durable/directory_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "src/common/sql_error.h"
#include "test/support/temp_directory.h"

namespace tessera::storage {
namespace {

class DataDirectoryLockTest : public ::testing::Test {
 protected:
  test_support::TempDirectory temp_{"tessera-lock-test"};
  const std::string dir_ = temp_.path();
};

TEST_F(DataDirectoryLockTest, ASecondHolderIsRefusedUntilTheFirstLetsGo) {
  auto first = DataDirectoryLock::acquire(dir_);
  try {
    DataDirectoryLock::acquire(dir_);
    FAIL() << "a second lock on the same directory";
  } catch (const SqlError& e) {
    EXPECT_EQ(SqlState::kLockFileExists, e.state());
    EXPECT_EQ("lock file \"" + dir_ + "/tessera.lock\" is held by another server", e.message());
    ASSERT_TRUE(e.hint().has_value());
    EXPECT_EQ("Is another server (PID " + std::to_string(::getpid()) + ") running in data directory \"" + dir_ + "\"?",
              *e.hint());
  }
  first.reset();
  EXPECT_NE(nullptr, DataDirectoryLock::acquire(dir_));
}

// A holder killed with SIGKILL leaves its lock file behind, but not its lock.
TEST_F(DataDirectoryLockTest, AKilledHolderDoesNotBlockTheNextServer) {
  int ready[2];
  ASSERT_EQ(0, ::pipe(ready));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    auto lock = DataDirectoryLock::acquire(dir_);
    const char ok = 1;
    if (::write(ready[1], &ok, 1) != 1) ::_exit(2);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char ok = 0;
  ASSERT_EQ(1, ::read(ready[0], &ok, 1));
  ::close(ready[0]);
  try {
    DataDirectoryLock::acquire(dir_);
    ADD_FAILURE() << "the child holds the lock";
  } catch (const SqlError& e) {
    EXPECT_EQ(SqlState::kLockFileExists, e.state());
    EXPECT_NE(std::string::npos, e.hint()->find("PID " + std::to_string(child))) << *e.hint();
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(child, ::waitpid(child, &status, 0));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/tessera.lock"));
  EXPECT_NE(nullptr, DataDirectoryLock::acquire(dir_));
}

TEST_F(DataDirectoryLockTest, AnUnwritableDirectoryIsAnIoError) {
  try {
    DataDirectoryLock::acquire(dir_ + "/missing/deeper");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(SqlState::kIoError, e.state());
  }
}

}  // namespace
}  // namespace tessera::storage
