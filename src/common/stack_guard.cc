#include "src/common/stack_guard.h"

#include "src/common/sql_error.h"

namespace tessera {

namespace {

thread_local uintptr_t stack_base = 0;

/// This frame's address: the current stack position (the stack grows down).
uintptr_t current_position() { return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)); }

}  // namespace

StackBase::StackBase() : saved_(stack_base) { stack_base = current_position(); }

StackBase::~StackBase() { stack_base = saved_; }

void check_stack_depth() {
  uintptr_t here = current_position();
  if (stack_base == 0) stack_base = here;
  if (stack_base > here && stack_base - here > kMaxStackDepth) {
    throw SqlError(SqlState::kStatementTooComplex, "stack depth limit exceeded")
        .with_hint("The statement nests expressions or subqueries too deeply.");
  }
}

}  // namespace tessera
