#include "executor/scheduler.h"

#include "src/common/assert.h"

namespace tessera::executor {

Scheduler::Scheduler(size_t threads) {
  if (threads == 0) threads = std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  for (size_t i = 0; i < threads; i++) workers_.emplace_back([this] { worker_loop(); });
}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_all();
  for (auto& t : workers_) t.join();
}

void Scheduler::enqueue_locked(Task& task) {
  task.state_ = Task::State::kQueued;
  task.wake_pending_ = false;
  TaskGroup& group = *task.group_;
  group.ready_.push_back(&task);
  if (!group.in_ring_) {
    group.in_ring_ = true;
    ring_.push_back(&group);
  }
}

void Scheduler::schedule(Task& task) {
  {
    std::lock_guard lock(mutex_);
    TS_CHECK(task.state_ == Task::State::kIdle, "scheduling a task that is already scheduled");
    enqueue_locked(task);
  }
  work_available_.notify_one();
}

void Scheduler::wake(Task& task) {
  {
    std::lock_guard lock(mutex_);
    if (task.state_ == Task::State::kRunning) {
      task.wake_pending_ = true;
      return;
    }
    if (task.state_ != Task::State::kParked) return;
    enqueue_locked(task);
  }
  work_available_.notify_one();
}

void Scheduler::worker_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_available_.wait(lock, [this] { return stopping_ || !ring_.empty(); });
    if (ring_.empty()) return;  // stopping, and nothing left to run
    // Round-robin: one task of the group at the front, then the group goes to the back.
    TaskGroup* group = ring_.front();
    ring_.pop_front();
    Task* task = group->ready_.front();
    group->ready_.pop_front();
    if (group->ready_.empty()) {
      group->in_ring_ = false;
    } else {
      ring_.push_back(group);
    }
    task->state_ = Task::State::kRunning;
    task->wake_pending_ = false;
    lock.unlock();
    TaskResult result = task->run();
    lock.lock();
    switch (result) {
      case TaskResult::kDone: break;  // the owner may already have destroyed the task
      case TaskResult::kYield: enqueue_locked(*task); break;
      case TaskResult::kBlocked:
        if (task->wake_pending_) {
          enqueue_locked(*task);
        } else {
          task->state_ = Task::State::kParked;
        }
        break;
    }
  }
}

}  // namespace tessera::executor
