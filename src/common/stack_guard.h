#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera {

/// How much stack a statement's recursive passes (parsing, binding, planning, evaluation) may
/// use before failing with 54001, like PostgreSQL's max_stack_depth (2 MB by default). Every
/// thread that runs statements has at least 8 MB.
inline constexpr size_t kMaxStackDepth = 2 * 1024 * 1024;

/// Marks the current stack position as the base check_stack_depth measures from, for the
/// lifetime of this object (statement entry points). Thread-local; nests.
class StackBase {
 public:
  StackBase();
  ~StackBase();
  StackBase(const StackBase&) = delete;
  StackBase& operator=(const StackBase&) = delete;

 private:
  uintptr_t saved_;
};

/// Raises SqlError 54001 "stack depth limit exceeded" when this thread's stack has grown more
/// than kMaxStackDepth below the innermost StackBase (or below its first check, when none).
/// Called at the top of every recursive pass over a parse tree, plan or expression.
void check_stack_depth();

}  // namespace tessera
