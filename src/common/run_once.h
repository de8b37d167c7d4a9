#pragma once

#include <exception>
#include <mutex>
#include <utility>

namespace tessera {

/// Runs a function once for every thread that shares this object: the first caller runs it
/// while later callers wait, then return. When the function throws, every caller (the first
/// and all later ones) gets that exception.
///
/// std::call_once is not used for work that may throw: it rests on pthread_once, and a
/// ThreadSanitizer build never releases pthread_once's guard after an exception, so a second
/// worker would wait forever.
class RunOnce {
 public:
  template <typename F>
  void run(F&& function) {
    std::lock_guard lock(mutex_);
    if (!done_) {
      done_ = true;
      try {
        std::forward<F>(function)();
      } catch (...) {
        error_ = std::current_exception();
      }
    }
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  bool done_ = false;
  std::exception_ptr error_;
};

}  // namespace tessera
