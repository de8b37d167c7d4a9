// gen_random_uuid(): a version 4 (random) uuid from the OpenSSL random generator, as
// PostgreSQL's. The uuid comparison operators are registered with the other types'.

#include <openssl/rand.h>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/sql_error.h"
#include "src/common/uuid.h"

namespace tessera::executor {

namespace {

void gen_random_uuid_kernel(std::span<const Vector* const>, const sel_t* sel, size_t count, Vector& result,
                            const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  string_t* out = result.mutable_values<string_t>();
  for_each_row(sel, count, [&](sel_t r) {
    unsigned char bytes[kUuidSize];
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
      throw SqlError(SqlState::kInternalError, "could not generate random values");
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    out[r] = heap.add(std::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
  });
}

}  // namespace

void register_uuid_functions(catalog::FunctionRegistry& registry) {
  catalog::ScalarFunction f = make_function("gen_random_uuid", {}, LogicalType::uuid(), gen_random_uuid_kernel);
  f.volatility = catalog::Volatility::kVolatile;
  registry.add(std::move(f));
}

}  // namespace tessera::executor
