#pragma once

#include <cstdint>

namespace tessera::planner {

/// The kinds of joins, shared by the parser's join clauses, the logical plan and the physical
/// join operators. kSemi and kAnti come only from the optimizer (EXISTS / IN subqueries): they
/// output the left rows that have (kSemi) or have no (kAnti) joining right row, each once,
/// and none of the right columns. kMark (also from the optimizer) outputs every left row once
/// followed by one boolean column, the mark: true when some right row joins it; otherwise, for
/// a null-aware mark join (IN / ANY), NULL when the match is unknown (SQL three-valued logic),
/// else false.
enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross, kSemi, kAnti, kMark };

/// Whether a join of this type outputs only its left input's columns.
inline bool outputs_left_only(JoinType type) { return type == JoinType::kSemi || type == JoinType::kAnti; }

}  // namespace tessera::planner
