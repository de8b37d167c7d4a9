#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tessera {

// character(n) (bpchar) values. The engine holds them without trailing blanks: PostgreSQL
// ignores trailing blanks of bpchar in comparison, hashing, length and casts to text, so the
// stripped form makes every string operation on them PostgreSQL's. The blanks come back where
// they are visible: text output and octet_length pad to the declared length n.

/// `text` without its trailing blanks (spaces only, as PostgreSQL's bcTruelen).
inline std::string_view bpchar_strip(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

/// The stored form of `text` as character(n) (n = -1: unconstrained bpchar): trailing blanks
/// removed. When the value has more than n characters, an explicit cast keeps the first n;
/// otherwise (assignment) 22001 "value too long for type character(n)" is raised unless only
/// blanks lie beyond n. `text` is valid UTF-8.
std::string bpchar_input(std::string_view text, int32_t n, bool explicit_cast);

/// The number of bytes of the stored value `text` padded to n characters (octet_length).
size_t bpchar_padded_size(std::string_view text, int32_t n);

/// Appends the stored value `text` padded with blanks to n characters (its text output).
void bpchar_append_padded(std::string_view text, int32_t n, std::string& out);

}  // namespace tessera
