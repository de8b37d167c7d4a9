#pragma once

#include <cstdint>

namespace tessera::planner {

/// The kinds of joins, shared by the parser's join clauses, the logical plan and the physical
/// join operators.
enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross };

}  // namespace tessera::planner
