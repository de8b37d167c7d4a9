#pragma once

#include <cstddef>

namespace tessera::test_support {

/// True in the AddressSanitizer and ThreadSanitizer builds of `make test`, where code runs 5-20
/// times slower: the largest randomized tests check a sample of their cases there (the plain
/// build checks them all).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif

/// Whether case number `index` of a large randomized test runs in this build: all of them
/// normally, one in `stride` under a sanitizer.
inline bool sampled_case(size_t index, size_t stride) { return !kSanitizedBuild || index % stride == 0; }

}  // namespace tessera::test_support
