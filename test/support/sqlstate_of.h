#pragma once

#include <functional>
#include <string>

#include "src/common/sql_error.h"

namespace tessera::test_support {

/// The SQLSTATE of the SqlError `f` throws, or "none" when it returns normally.
inline std::string sqlstate_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return std::string(sqlstate_code(e.state()));
  }
  return "none";
}

}  // namespace tessera::test_support
