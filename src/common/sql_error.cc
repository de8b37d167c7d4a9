#include "src/common/sql_error.h"

namespace tessera {

namespace {

struct SqlStateInfo {
  std::string_view code;
  std::string_view name;
};

constexpr SqlStateInfo kSqlStates[] = {
#define X(name, code, condition) {code, condition},
#include "src/common/sqlstate.def"
#undef X
};

}  // namespace

std::string_view sqlstate_code(SqlState state) { return kSqlStates[static_cast<size_t>(state)].code; }

std::string_view sqlstate_name(SqlState state) { return kSqlStates[static_cast<size_t>(state)].name; }

std::string_view severity_text(Severity severity) {
  switch (severity) {
    case Severity::kError: return "ERROR";
    case Severity::kFatal: return "FATAL";
    case Severity::kPanic: return "PANIC";
    case Severity::kWarning: return "WARNING";
    case Severity::kNotice: return "NOTICE";
  }
  return "ERROR";
}

SqlError::SqlError(SqlState state, std::string message) : state_(state), message_(std::move(message)) {}

}  // namespace tessera
