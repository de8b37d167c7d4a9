#include "executor/operator_profile.h"

namespace tessera::executor {

void OperatorProfile::merge(const OperatorProfile& other) {
  rows_out += other.rows_out;
  rows_in += other.rows_in;
  produces = produces || other.produces;
  nanos += other.nanos;
  if (other.scan) {
    if (!scan) scan.emplace();
    scan->merge(*other.scan);
  }
}

void QueryProfile::merge(const PhysicalOperator& op, const OperatorProfile& profile) {
  std::lock_guard lock(mutex_);
  profiles_[&op].merge(profile);
}

void QueryProfile::add_time(const PhysicalOperator& op, uint64_t nanos) {
  std::lock_guard lock(mutex_);
  profiles_[&op].nanos += nanos;
}

OperatorProfile QueryProfile::get(const PhysicalOperator& op) const {
  std::lock_guard lock(mutex_);
  auto it = profiles_.find(&op);
  return it == profiles_.end() ? OperatorProfile{} : it->second;
}

}  // namespace tessera::executor
