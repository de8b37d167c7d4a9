#include "src/common/encoding_name.h"

#include <cctype>
#include <string>

namespace tessera {

bool is_utf8_encoding_name(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return key == "utf8" || key == "unicode";
}

}  // namespace tessera
