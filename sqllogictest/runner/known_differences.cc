#include "sqllogictest/runner/known_differences.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace tessera {

KnownDifferences KnownDifferences::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read known-differences file " + path);
  KnownDifferences known;
  std::string text;
  size_t line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (text.empty() || text[0] == '#') continue;
    const size_t tab = text.find('\t');
    const std::string location = text.substr(0, tab);
    const size_t colon = location.rfind(':');
    const bool digits = colon != std::string::npos && colon + 1 < location.size() &&
                        location.find_first_not_of("0123456789", colon + 1) == std::string::npos;
    if (!digits || colon == 0) {
      throw std::runtime_error(path + ":" + std::to_string(line_number) +
                               ": expected `<file>:<line><TAB><reason>`, got \"" + text + "\"");
    }
    const size_t record_line = std::stoull(location.substr(colon + 1));
    known.records_[{location.substr(0, colon), record_line}] =
        tab == std::string::npos ? std::string() : text.substr(tab + 1);
  }
  return known;
}

std::string KnownDifferences::file_key(const std::string& file_path, const std::string& corpus_root) {
  if (corpus_root.empty()) return file_path;
  namespace fs = std::filesystem;
  const fs::path file = fs::weakly_canonical(fs::path(file_path));
  const fs::path root = fs::weakly_canonical(fs::path(corpus_root));
  const fs::path relative = file.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") return file_path;
  return relative.generic_string();
}

bool KnownDifferences::contains(const std::string& file_key, size_t line) const {
  return records_.count({file_key, line}) != 0;
}

std::string KnownDifferences::reason(const std::string& file_key, size_t line) const {
  auto it = records_.find({file_key, line});
  return it == records_.end() ? std::string() : it->second;
}

}  // namespace tessera
