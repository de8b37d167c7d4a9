#pragma once

namespace tessera {

/// `tessera-bench --slow-clients`: times one session's query alone and beside two clients
/// that do not read their large results, and prints the ratio. Returns the exit status.
int run_slow_client_bench(int argc, char** argv);

}  // namespace tessera
