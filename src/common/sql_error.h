#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace tessera {

/// Every SQLSTATE Tessera raises; generated from sqlstate.def.
enum class SqlState : uint16_t {
#define X(name, code, condition) name,
#include "src/common/sqlstate.def"
#undef X
};

/// The five-character SQLSTATE code, e.g. "42601".
std::string_view sqlstate_code(SqlState state);
/// PostgreSQL's condition name, e.g. "syntax_error".
std::string_view sqlstate_name(SqlState state);

/// Severity as PostgreSQL writes it in the 'S' and 'V' fields.
enum class Severity : uint8_t { kError = 0, kFatal = 1, kPanic = 2, kWarning = 3, kNotice = 4 };
std::string_view severity_text(Severity severity);

/// A user-visible error that ends the current statement. Thrown, and caught only at the
/// session statement boundary and in the pgwire connection loop.
class SqlError : public std::exception {
 public:
  SqlError(SqlState state, std::string message);

  SqlState state() const { return state_; }
  Severity severity() const { return severity_; }
  const std::string& message() const { return message_; }
  const std::optional<std::string>& detail() const { return detail_; }
  const std::optional<std::string>& hint() const { return hint_; }
  /// 1-based character position in the statement text (the 'P' field), 0 when unknown.
  uint32_t position() const { return position_; }
  /// Where the error happened (the 'W' field, e.g. `COPY t, line 3, column b: "x"`), or empty.
  const std::string& context() const { return context_; }

  SqlError& with_detail(std::string detail) { detail_ = std::move(detail); return *this; }
  SqlError& with_hint(std::string hint) { hint_ = std::move(hint); return *this; }
  SqlError& with_position(uint32_t position) { position_ = position; return *this; }
  SqlError& with_severity(Severity severity) { severity_ = severity; return *this; }
  SqlError& with_context(std::string context) { context_ = std::move(context); return *this; }

  const char* what() const noexcept override { return message_.c_str(); }

 private:
  SqlState state_;
  Severity severity_ = Severity::kError;
  std::string message_;
  std::optional<std::string> detail_;
  std::optional<std::string> hint_;
  uint32_t position_ = 0;
  std::string context_;
};

}  // namespace tessera
