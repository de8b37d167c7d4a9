#pragma once

#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace tessera {

/// Incremental MD5 (OpenSSL EVP), for the `N values hashing to <md5>` result form.
/// Not thread-safe; not copyable.
class Md5Hasher {
 public:
  Md5Hasher();
  ~Md5Hasher();
  Md5Hasher(const Md5Hasher&) = delete;
  Md5Hasher& operator=(const Md5Hasher&) = delete;

  void update(std::string_view bytes);
  /// The digest of everything added, as 32 lowercase hex digits. Call once.
  std::string hex_digest();

 private:
  evp_md_ctx_st* context_;
};

}  // namespace tessera
