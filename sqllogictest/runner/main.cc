// tessera-sqllogictest: runs sqllogictest files against Tessera in-process (a fresh Database
// per file) or against any PostgreSQL-protocol server over the wire (--connect HOST:PORT).
//
//   tessera-sqllogictest [--connect HOST:PORT] [--dbname D] [--user U] [--engine NAME]
//                        [--threads N] [--verbose] [--fail-fast] FILE|DIR...

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqllogictest/runner/connection.h"
#include "sqllogictest/runner/in_process_connection.h"
#include "sqllogictest/runner/known_differences.h"
#include "sqllogictest/runner/libpq_connection.h"
#include "sqllogictest/runner/schema_tracker.h"
#include "sqllogictest/runner/test_file.h"
#include "sqllogictest/runner/test_runner.h"

namespace tessera {

namespace {

constexpr std::string_view kUsage =
    "usage: tessera-sqllogictest [--connect HOST:PORT] [--dbname D] [--user U] [--engine NAME]\n"
    "                            [--threads N] [--verbose] [--fail-fast] [--corpus-root DIR]\n"
    "                            [--known-differences FILE] [--failure-log FILE] FILE|DIR...\n"
    "  Runs sqllogictest files (directories: every *.test below, sorted). Without --connect\n"
    "  each file runs in-process on a fresh database; with it, over the wire (libpq), and the\n"
    "  tables and views a file creates are dropped before and after it.\n"
    "  --engine NAME   the name skipif/onlyif compare with (default postgresql)\n"
    "  --threads N     in-process scheduler threads (default 0: one per core)\n"
    "  --verbose       print every failure in full (default: the first 10 per file)\n"
    "  --fail-fast     stop at the first failing record\n"
    "  --corpus-root DIR          key test files below DIR by their path relative to it\n"
    "  --known-differences FILE   records PostgreSQL 15 fails (`<file>:<line>\\t<reason>`): each\n"
    "                             must fail here too, and is counted as known, not as a failure\n"
    "  --gaps FILE                records whose outcome differs from PostgreSQL 15's because a\n"
    "                             feature is not built yet (same format): counted, not failed\n"
    "  --failure-log FILE         write every failing record there, in the same format\n";

struct CommandLine {
  RunnerOptions runner;
  std::optional<WireEndpoint> endpoint;
  std::string dbname = "tessera";
  std::string user = "tessera";
  size_t threads = 0;
  std::vector<std::string> paths;
  std::string known_differences_path;
  std::string gaps_path;
  std::string failure_log_path;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "tessera-sqllogictest: " << message << "\n" << kUsage;
  std::exit(2);
}

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine cli;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--connect") {
      const std::string target = value();
      WireEndpoint endpoint;
      const size_t colon = target.rfind(':');
      if (colon == std::string::npos) {
        endpoint.host = target;
      } else {
        endpoint.host = target.substr(0, colon);
        endpoint.port = target.substr(colon + 1);
      }
      if (endpoint.host.empty() || endpoint.port.empty() ||
          endpoint.port.find_first_not_of("0123456789") != std::string::npos) {
        usage_error("--connect expects HOST:PORT, got '" + target + "'");
      }
      cli.endpoint = endpoint;
    } else if (arg == "--dbname") {
      cli.dbname = value();
    } else if (arg == "--user") {
      cli.user = value();
    } else if (arg == "--engine") {
      cli.runner.engine = value();
    } else if (arg == "--threads") {
      const std::string text = value();
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
        usage_error("--threads expects a number, got '" + text + "'");
      }
      cli.threads = static_cast<size_t>(std::stoull(text));
    } else if (arg == "--verbose" || arg == "-v") {
      cli.runner.verbose = true;
    } else if (arg == "--fail-fast") {
      cli.runner.fail_fast = true;
    } else if (arg == "--corpus-root") {
      cli.runner.corpus_root = value();
    } else if (arg == "--known-differences") {
      cli.known_differences_path = value();
    } else if (arg == "--gaps") {
      cli.gaps_path = value();
    } else if (arg == "--failure-log") {
      cli.failure_log_path = value();
    } else if (arg.size() > 1 && arg[0] == '-') {
      usage_error("unknown option " + std::string(arg));
    } else {
      cli.paths.emplace_back(arg);
    }
  }
  if (cli.paths.empty()) usage_error("no test files given");
  if (cli.endpoint.has_value()) {
    cli.endpoint->dbname = cli.dbname;
    cli.endpoint->user = cli.user;
  }
  return cli;
}

/// The files to run: regular files as given, directories expanded to their *.test files
/// (recursively, sorted). Throws when a path does not exist.
std::vector<std::string> collect_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    if (std::filesystem::is_directory(path)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file() && entry.path().extension() == ".test") found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(path)) {
      files.push_back(path);
    } else {
      throw std::runtime_error("no such file or directory: " + path);
    }
  }
  return files;
}

int run(CommandLine cli) {
  if (!cli.endpoint.has_value() && open_in_process_connection == nullptr) {
    std::cerr << "tessera-sqllogictest: this build has no in-process engine; use --connect HOST:PORT\n";
    return 2;
  }
  const std::vector<std::string> files = collect_files(cli.paths);
  KnownDifferences known;
  if (!cli.known_differences_path.empty()) {
    known = KnownDifferences::load(cli.known_differences_path);
    cli.runner.known = &known;
  }
  KnownDifferences gaps;
  if (!cli.gaps_path.empty()) {
    gaps = KnownDifferences::load(cli.gaps_path);
    cli.runner.gaps = &gaps;
  }
  std::ofstream failure_log;
  if (!cli.failure_log_path.empty()) {
    failure_log.open(cli.failure_log_path);
    if (!failure_log) throw std::runtime_error("cannot write " + cli.failure_log_path);
    cli.runner.failure_log = &failure_log;
  }
  size_t files_passed = 0;
  size_t files_failed = 0;
  size_t num_records = 0;
  size_t num_failed_records = 0;
  size_t num_skipped = 0;
  size_t num_known = 0;
  size_t num_gaps = 0;
  size_t num_queries = 0;
  size_t num_statements = 0;
  for (const std::string& path : files) {
    FileOutcome outcome;
    try {
      const TestFile file = TestFile::load(path);
      if (cli.runner.verbose) std::cout << "RUN  " << path << std::endl;
      TestRunner runner(cli.runner, std::cout);
      if (cli.endpoint.has_value()) {
        LibpqConnection connection(*cli.endpoint);
        const SchemaTracker tracker = SchemaTracker::scan_file(file);
        tracker.drop_all(connection);
        outcome = runner.run(file, connection);
        tracker.drop_all(connection);
      } else {
        std::unique_ptr<Connection> connection = open_in_process_connection(cli.threads);
        outcome = runner.run(file, *connection);
      }
    } catch (const std::exception& error) {
      std::cout << "  " << path << ": " << error.what() << "\n";
      outcome.num_failed = std::max<size_t>(outcome.num_failed, 1);
      outcome.num_records = std::max(outcome.num_records, outcome.num_failed);
    }
    num_records += outcome.num_records;
    num_failed_records += outcome.num_failed;
    num_skipped += outcome.num_skipped;
    num_known += outcome.num_known;
    num_gaps += outcome.num_gaps;
    num_queries += outcome.num_queries;
    num_statements += outcome.num_statements;
    if (outcome.passed()) {
      ++files_passed;
      std::cout << "PASS " << path << " (" << outcome.num_records << " records";
      if (outcome.num_known > 0) std::cout << ", " << outcome.num_known << " known differences";
      std::cout << ")" << std::endl;
    } else {
      ++files_failed;
      std::cout << "FAIL " << path << " (" << outcome.num_failed << " of " << outcome.num_records
                << " records failed)" << std::endl;
      if (cli.runner.fail_fast) break;
    }
  }
  std::cout << "records: " << (num_records - num_failed_records - num_known - num_gaps) << " passed, "
            << num_failed_records << " failed, " << num_known << " known differences, " << num_gaps
            << " gaps (" << num_queries
            << " queries and " << num_statements << " statements run, " << num_skipped << " skipped)\n";
  std::cout << files_passed << " passed, " << files_failed << " failed" << std::endl;
  return files_failed == 0 ? 0 : 1;
}

}  // namespace

}  // namespace tessera

int main(int argc, char** argv) {
  const tessera::CommandLine cli = tessera::parse_command_line(argc, argv);
  try {
    return tessera::run(cli);
  } catch (const std::exception& error) {
    std::cerr << "tessera-sqllogictest: " << error.what() << "\n";
    return 2;
  }
}
