#include "src/common/vector.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "src/common/assert.h"

namespace tessera {

namespace {

size_t padded_bytes(size_t bytes) { return ((bytes + 63) / 64) * 64 + 64; }

}  // namespace

VectorBuffer::VectorBuffer(size_t bytes) : size_(padded_bytes(bytes)) {
  charge_.set(size_);  // before allocating: a refused charge leaves nothing to free
  data_ = static_cast<uint8_t*>(std::aligned_alloc(64, size_));
  if (!data_) throw std::bad_alloc();
  // Values are written before they are read; only the padding, which SIMD loops may read
  // past the last value, must hold defined bytes.
  std::memset(data_ + bytes, 0, size_ - bytes);
}

VectorBuffer::~VectorBuffer() { std::free(data_); }

const SelectionVector& zero_selection() {
  static sel_t zeros[kVectorSize] = {};
  static const SelectionVector sel(zeros);
  return sel;
}

Vector::Vector(LogicalType type, size_t capacity) : type_(type) { reset(capacity); }

Vector::Vector(const Value& value) : type_(value.type()) {
  reset(1);
  vector_type_ = VectorType::kConstant;
  if (value.is_null()) {
    validity_.set_invalid(0);
  } else {
    set_value(0, value);
  }
}

void Vector::reset(size_t capacity) {
  if (capacity == 0) capacity = 1;
  const size_t bytes = capacity * type_.physical_size();
  // Reuse the value buffer when this vector alone holds it and it is large enough (with its
  // padding); otherwise someone may still read it, so allocate a new one.
  const bool reuse = vector_type_ == VectorType::kFlat && buffer_ && buffer_.use_count() == 1 &&
                     bytes + 64 <= buffer_->size();
  vector_type_ = VectorType::kFlat;
  capacity_ = capacity;
  if (!reuse) buffer_ = std::make_shared<VectorBuffer>(bytes);
  data_ = buffer_->data();
  validity_ = ValidityMask(capacity);
  heap_.reset();
  extra_heaps_.reset();
  sel_ = SelectionVector();
  child_.reset();
}

void Vector::set_constant_null() {
  reset(1);
  vector_type_ = VectorType::kConstant;
  validity_.set_invalid(0);
}

StringHeap& Vector::string_heap() {
  if (heap_ && heap_.use_count() > 1) {
    // A shared heap (a storage segment's, another vector's) grows only through its owner: keep
    // it alive for the strings that point into it and add new strings to a heap of our own.
    std::shared_ptr<StringHeap> shared = std::move(heap_);
    add_heap_reference(std::move(shared));
  }
  if (!heap_) heap_ = std::make_shared<StringHeap>();
  return *heap_;
}

void Vector::add_heap_reference(std::shared_ptr<StringHeap> heap) {
  if (!heap || heap == heap_) return;
  // The list is shared by copies of this vector: copy it before adding (copy-on-write).
  auto heaps = extra_heaps_ ? std::make_shared<std::vector<std::shared_ptr<StringHeap>>>(*extra_heaps_)
                            : std::make_shared<std::vector<std::shared_ptr<StringHeap>>>();
  for (const auto& h : *heaps) {
    if (h == heap) return;
  }
  heaps->push_back(std::move(heap));
  extra_heaps_ = std::move(heaps);
}

void Vector::keep_heaps_of(const Vector& other) {
  if (other.heap_) add_heap_reference(other.heap_);
  if (other.extra_heaps_) {
    for (const auto& h : *other.extra_heaps_) add_heap_reference(h);
  }
  if (other.child_) keep_heaps_of(*other.child_);
}

bool Vector::is_shared() const { return (buffer_ && buffer_.use_count() > 1) || validity_.is_shared(); }

void Vector::make_writable() {
  TS_CHECK(vector_type_ != VectorType::kDictionary, "write into a dictionary vector");
  if (buffer_ && buffer_.use_count() > 1) {
    // Another owner may read this buffer (or write its own copy): copy, never write in place.
    auto copy = std::make_shared<VectorBuffer>(capacity_ * type_.physical_size());
    std::memcpy(copy->data(), data_, capacity_ * type_.physical_size());
    buffer_ = std::move(copy);
    data_ = buffer_->data();
  }
  if (validity_.is_shared()) validity_.make_unique();
}

uint8_t* Vector::mutable_data() {
  make_writable();
  return data_;
}

ValidityMask& Vector::mutable_validity() {
  make_writable();
  return validity_;
}

void Vector::reference(const Vector& other) { *this = other; }

void Vector::reference_as(const Vector& other, const LogicalType& type) {
  TS_CHECK(type.physical_type() == other.type_.physical_type(), "reference_as: physical types differ");
  *this = other;
  type_ = type;
  if (child_ && child_->type_ != type) {
    // A dictionary's values are its child's: retype a private copy of the child handle.
    auto child = std::make_shared<Vector>(*child_);
    child->type_ = type;
    child_ = std::move(child);
  }
}

void Vector::slice(const Vector& source, const SelectionVector& sel, size_t count) {
  if (source.vector_type_ == VectorType::kConstant) {
    reference(source);
    return;
  }
  if (source.vector_type_ == VectorType::kDictionary) {
    SelectionVector composed = source.sel_.compose(sel, count);
    std::shared_ptr<Vector> child = source.child_;
    *this = Vector();
    type_ = source.type_;
    vector_type_ = VectorType::kDictionary;
    capacity_ = count;
    child_ = std::move(child);
    sel_ = std::move(composed);
    return;
  }
  auto child = std::make_shared<Vector>(source);
  *this = Vector();
  type_ = source.type_;
  vector_type_ = VectorType::kDictionary;
  capacity_ = count;
  child_ = std::move(child);
  // Own a copy of the selection: the caller's buffer may be reused for the next chunk.
  SelectionVector owned(count == 0 ? 1 : count);
  for (size_t i = 0; i < count; i++) owned.set_index(i, sel.get_index(i));
  sel_ = std::move(owned);
}

void Vector::to_unified(size_t count, UnifiedVectorFormat& out) const {
  switch (vector_type_) {
    case VectorType::kFlat:
      out.sel = SelectionVector();
      out.data = data_;
      out.validity = &validity_;
      return;
    case VectorType::kConstant:
      out.sel = zero_selection();
      out.data = data_;
      out.validity = &validity_;
      return;
    case VectorType::kDictionary:
      TS_DCHECK(child_->vector_type_ == VectorType::kFlat, "dictionary child must be flat");
      out.sel = sel_;
      out.data = child_->data_;
      out.validity = &child_->validity_;
      return;
  }
}

void Vector::flatten(size_t count) {
  if (vector_type_ == VectorType::kFlat) return;
  Vector flat(type_, count > capacity_ ? count : (capacity_ < kVectorSize ? kVectorSize : capacity_));
  if (count > 0) {
    if (vector_type_ == VectorType::kConstant) {
      flat.copy_from(*this, zero_selection(), count, 0);
    } else {
      flat.copy_from(*child_, sel_, count, 0);
    }
  }
  *this = std::move(flat);
}

void Vector::grow(size_t capacity) {
  TS_CHECK(vector_type_ == VectorType::kFlat, "grow on non-flat vector");
  if (capacity <= capacity_) return;
  auto buffer = std::make_shared<VectorBuffer>(capacity * type_.physical_size());
  if (data_) std::memcpy(buffer->data(), data_, capacity_ * type_.physical_size());
  buffer_ = std::move(buffer);
  data_ = buffer_->data();
  validity_.resize(capacity);
  capacity_ = capacity;
}

Value Vector::get_value(size_t row) const {
  const Vector* v = this;
  size_t index = row;
  if (vector_type_ == VectorType::kConstant) index = 0;
  if (vector_type_ == VectorType::kDictionary) {
    index = sel_.get_index(row);
    v = child_.get();
  }
  if (!v->validity_.row_is_valid(index)) return Value::null(type_);
  switch (type_.id()) {
    case LogicalTypeId::kBoolean: return Value::boolean(v->values<uint8_t>()[index] != 0);
    case LogicalTypeId::kSmallint: return Value::smallint(v->values<int16_t>()[index]);
    case LogicalTypeId::kInteger: return Value::integer(v->values<int32_t>()[index]);
    case LogicalTypeId::kBigint: return Value::bigint(v->values<int64_t>()[index]);
    case LogicalTypeId::kDouble: return Value::double_precision(v->values<double>()[index]);
    case LogicalTypeId::kReal: return Value::real(v->values<float>()[index]);
    case LogicalTypeId::kVarchar: return Value::varchar(v->values<string_t>()[index].str());
    case LogicalTypeId::kChar: return Value::bpchar(v->values<string_t>()[index].str(), type_.modifier());
    case LogicalTypeId::kBytea: return Value::bytea(v->values<string_t>()[index].str());
    case LogicalTypeId::kUuid: return Value::uuid(v->values<string_t>()[index].str());
    case LogicalTypeId::kDate: return Value::date(v->values<int32_t>()[index]);
    case LogicalTypeId::kTime: return Value::time(v->values<int64_t>()[index]);
    case LogicalTypeId::kTimestamp: return Value::timestamp(v->values<int64_t>()[index]);
    case LogicalTypeId::kTimestampTz: return Value::timestamptz(v->values<int64_t>()[index]);
    case LogicalTypeId::kInterval: return Value::interval(v->values<Interval>()[index]);
    case LogicalTypeId::kNumeric: return Value::numeric(v->values<Numeric>()[index], type_.modifier());
    case LogicalTypeId::kArray: return Value::array(type_, v->values<string_t>()[index].str());
    case LogicalTypeId::kSqlNull: return Value::null(type_);
    case LogicalTypeId::kInvalid: break;
  }
  TS_CHECK(false, "get_value on invalid type");
  return Value();
}

void Vector::set_value(size_t row, const Value& value) {
  TS_DCHECK(vector_type_ != VectorType::kDictionary, "set_value on dictionary vector");
  TS_DCHECK(row < capacity_, "set_value out of range");
  make_writable();
  if (value.is_null()) {
    validity_.set_invalid(row);
    return;
  }
  validity_.set_valid(row);
  switch (type_.physical_type()) {
    case PhysicalType::kBool: reinterpret_cast<uint8_t*>(data_)[row] = value.get_bool() ? 1 : 0; break;
    case PhysicalType::kInt16: reinterpret_cast<int16_t*>(data_)[row] = static_cast<int16_t>(value.get_int64()); break;
    case PhysicalType::kInt32: reinterpret_cast<int32_t*>(data_)[row] = static_cast<int32_t>(value.get_int64()); break;
    case PhysicalType::kInt64: reinterpret_cast<int64_t*>(data_)[row] = value.get_int64(); break;
    case PhysicalType::kDouble: reinterpret_cast<double*>(data_)[row] = value.get_double(); break;
    case PhysicalType::kFloat: reinterpret_cast<float*>(data_)[row] = value.get_float(); break;
    case PhysicalType::kString: reinterpret_cast<string_t*>(data_)[row] = string_heap().add(value.get_string()); break;
    case PhysicalType::kInterval: reinterpret_cast<Interval*>(data_)[row] = value.get_interval(); break;
    case PhysicalType::kNumeric: reinterpret_cast<Numeric*>(data_)[row] = value.get_numeric(); break;
    case PhysicalType::kInvalid: TS_CHECK(false, "set_value on invalid type");
  }
}

void Vector::copy_from(const Vector& source, const SelectionVector& sel, size_t count, size_t target_offset) {
  TS_CHECK(vector_type_ == VectorType::kFlat, "copy_from into non-flat vector");
  TS_CHECK(source.type_.physical_type() == type_.physical_type(), "copy_from with mismatched types");
  if (target_offset + count > capacity_) grow(target_offset + count);
  make_writable();
  UnifiedVectorFormat src;
  source.to_unified(count, src);
  const size_t width = type_.physical_size();
  const bool src_all_valid = src.validity->all_valid();
  for (size_t i = 0; i < count; i++) {
    sel_t s = src.sel.get_index(sel.get_index(i));
    size_t t = target_offset + i;
    if (!src_all_valid && !src.validity->row_is_valid(s)) {
      validity_.set_invalid(t);
      continue;
    }
    validity_.set_valid(t);
    if (type_.physical_type() == PhysicalType::kString) {
      reinterpret_cast<string_t*>(data_)[t] = string_heap().add(src.values<string_t>()[s]);
    } else {
      std::memcpy(data_ + t * width, src.data + s * width, width);
    }
  }
}

}  // namespace tessera
