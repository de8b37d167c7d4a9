#include "src/common/uuid.h"

#include <gtest/gtest.h>

#include "src/common/sql_error.h"

namespace tessera {
namespace {

TEST(UuidTest, AcceptsPostgresInputForms) {
  const std::string canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  for (const char* text : {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
                           "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"}) {
    const std::string bytes = uuid_parse(text);
    EXPECT_EQ(bytes.size(), kUuidSize);
    EXPECT_EQ(uuid_to_text(bytes), canonical) << text;
  }
}

TEST(UuidTest, RejectsOtherText) {
  for (const char* text : {"", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
                           "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                           "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11",
                           "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}) {
    try {
      uuid_parse(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.state(), SqlState::kInvalidTextRepresentation) << text;
    }
  }
}

}  // namespace
}  // namespace tessera
