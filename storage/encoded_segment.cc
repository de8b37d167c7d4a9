#include "storage/encoded_segment.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "src/common/assert.h"
#include "src/common/numeric.h"
#include "storage/durable/binary_io.h"

namespace tessera::storage {

namespace {

// Rows between two stored values of a delta segment.
constexpr size_t kDeltaCheckpoint = 128;
// Bytes after a packed array, so unpacking may load 8 bytes at any value's first byte plus one.
constexpr size_t kPackPadding = 9;

unsigned bits_needed(uint64_t range) { return range == 0 ? 0 : 64 - static_cast<unsigned>(__builtin_clzll(range)); }

size_t packed_size(size_t count, unsigned bit_width) {
  return bit_width == 0 ? 0 : (count * bit_width + 7) / 8 + kPackPadding;
}

// Writes `count` values of `bit_width` bits (each < 2^bit_width) as a little-endian bit stream:
// value i starts at bit i * bit_width.
std::vector<uint8_t> pack(const uint64_t* values, size_t count, unsigned bit_width) {
  std::vector<uint8_t> out(packed_size(count, bit_width), 0);
  if (bit_width == 0) return out;
  for (size_t i = 0; i < count; i++) {
    const size_t bit = i * bit_width;
    uint8_t* p = out.data() + bit / 8;
    const unsigned shift = bit % 8;
    uint64_t word;
    std::memcpy(&word, p, 8);
    word |= values[i] << shift;
    std::memcpy(p, &word, 8);
    if (shift + bit_width > 64) p[8] |= static_cast<uint8_t>(values[i] >> (64 - shift));
  }
  return out;
}

inline uint64_t unpack_one(const uint8_t* packed, size_t i, unsigned bit_width) {
  if (bit_width == 0) return 0;
  const size_t bit = i * bit_width;
  const uint8_t* p = packed + bit / 8;
  const unsigned shift = bit % 8;
  uint64_t word;
  std::memcpy(&word, p, 8);
  uint64_t v = word >> shift;
  if (shift + bit_width > 64) v |= static_cast<uint64_t>(p[8]) << (64 - shift);
  return bit_width == 64 ? v : v & ((uint64_t{1} << bit_width) - 1);
}

// A packed value (an int64 as uint64) as the physical type, and back. A numeric packs its raw
// 128-bit word (coefficient * 256 + display scale) when that fits 64 bits.
template <class T>
inline T from_packed(uint64_t v) {
  if constexpr (std::is_same_v<T, Numeric>) {
    Numeric n;
    n.lo = v;
    n.hi = static_cast<int64_t>(v) < 0 ? ~uint64_t{0} : 0;
    return n;
  } else {
    return static_cast<T>(v);
  }
}
template <class T>
inline int64_t to_packed(const T& v) {
  if constexpr (std::is_same_v<T, Numeric>) {
    return static_cast<int64_t>(v.lo);
  } else {
    return static_cast<int64_t>(v);
  }
}
inline bool numeric_fits_64(const Numeric& n) { return n.hi == (static_cast<int64_t>(n.lo) < 0 ? ~uint64_t{0} : 0); }

// out[i] = base + packed value (offset + row i) for i < count, where row i is sel[i], or i when
// sel is null (wrapping arithmetic: the result is the exact value whenever it fits T, which an
// encoder guarantees).
template <class T>
void unpack(const uint8_t* packed, unsigned bit_width, uint64_t base, size_t offset, const sel_t* sel, size_t count,
            T* out) {
  if (bit_width == 0) {
    std::fill(out, out + count, from_packed<T>(base));
    return;
  }
  // One loop per row numbering, so the contiguous case has no selection lookups.
  auto unpack_rows = [&](auto row) {
    if (bit_width <= 56) {
      // One unaligned 8-byte load holds every value (shift <= 7, 7 + 56 bits <= 64).
      const uint64_t mask = (uint64_t{1} << bit_width) - 1;
      for (size_t i = 0; i < count; i++) {
        const size_t bit = row(i) * bit_width;
        uint64_t word;
        std::memcpy(&word, packed + bit / 8, 8);
        out[i] = from_packed<T>(base + ((word >> (bit % 8)) & mask));
      }
      return;
    }
    for (size_t i = 0; i < count; i++) out[i] = from_packed<T>(base + unpack_one(packed, row(i), bit_width));
  };
  if (sel == nullptr) {
    unpack_rows([offset](size_t i) { return offset + i; });
  } else {
    unpack_rows([offset, sel](size_t i) { return offset + sel[i]; });
  }
}

// out[i] = values[index[i]] for values of `width` bytes.
void gather_values(const uint8_t* values, size_t width, const uint32_t* index, size_t count, uint8_t* out) {
  auto typed = [&](auto tag) {
    using W = decltype(tag);
    const auto* v = reinterpret_cast<const W*>(values);
    auto* o = reinterpret_cast<W*>(out);
    for (size_t i = 0; i < count; i++) o[i] = v[index[i]];
  };
  struct Bytes16 {
    uint64_t a, b;
  };
  switch (width) {
    case 1: typed(uint8_t{}); break;
    case 2: typed(uint16_t{}); break;
    case 4: typed(uint32_t{}); break;
    case 8: typed(uint64_t{}); break;
    case 16: typed(Bytes16{}); break;
    default:
      for (size_t i = 0; i < count; i++) std::memcpy(out + i * width, values + index[i] * width, width);
  }
}

// The smallest and largest of sel[0 .. count) (count > 0); nullptr selects 0 .. count - 1.
std::pair<size_t, size_t> selection_bounds(const sel_t* sel, size_t count) {
  if (sel == nullptr) return {0, count - 1};
  size_t lo = sel[0], hi = sel[0];
  for (size_t i = 1; i < count; i++) {
    lo = std::min<size_t>(lo, sel[i]);
    hi = std::max<size_t>(hi, sel[i]);
  }
  return {lo, hi};
}

// Keeps every selected row: copies the selection (nullptr: 0 .. count - 1) to sel_out.
size_t select_all(const sel_t* sel_in, size_t count, sel_t* sel_out) {
  for (size_t i = 0; i < count; i++) sel_out[i] = sel_in ? sel_in[i] : static_cast<sel_t>(i);
  return count;
}

// Calls f(T{}) with the C++ type of an integer physical type; false for other types.
template <class F>
bool with_integer_type(PhysicalType type, F&& f) {
  switch (type) {
    case PhysicalType::kBool: f(uint8_t{}); return true;
    case PhysicalType::kInt16: f(int16_t{}); return true;
    case PhysicalType::kInt32: f(int32_t{}); return true;
    case PhysicalType::kInt64: f(int64_t{}); return true;
    case PhysicalType::kNumeric: f(Numeric{}); return true;
    default: return false;
  }
}

// The bytes of an encoded segment's non-inlined strings, owned together with an (unused)
// StringHeap so vectors can keep them alive through Vector::add_heap_reference.
struct StringBlock {
  explicit StringBlock(size_t size) : bytes(new char[size]) {}
  StringHeap heap;
  std::unique_ptr<char[]> bytes;
};

// Sizes in bytes of the candidate encodings of one segment (SIZE_MAX: not applicable).
struct Candidates {
  size_t uncompressed = 0, constant = SIZE_MAX, rle = SIZE_MAX, dictionary = SIZE_MAX;
  size_t bitpack = SIZE_MAX, delta = SIZE_MAX;
};

}  // namespace

EncodedSegment::EncodedSegment(LogicalType type, SegmentEncoding encoding, size_t count, ZoneMap zone)
    : ColumnSegment(type),
      encoding_(encoding),
      count_(count),
      width_(type.physical_size()),
      zone_map_(std::move(zone)) {}

size_t EncodedSegment::memory_bytes() const {
  return validity_.size() * 8 + value_count_ * width_ + string_bytes_ + run_ends_.size() * 2 + packed_.size() +
         checkpoints_.size() * 8;
}

std::unique_ptr<EncodedSegment> EncodedSegment::encode_as(SegmentEncoding forced, const LogicalType& type,
                                                          const Vector& values, size_t count, const ZoneMap& zone) {
  TS_CHECK(count > 0 && count <= kVectorSize, "encoding a segment of an unsupported size");
  const PhysicalType physical = type.physical_type();
  const size_t width = type.physical_size();
  const bool is_string = physical == PhysicalType::kString;
  const ValidityMask& validity = values.validity();
  const uint8_t* data = values.data();
  const auto* strings = reinterpret_cast<const string_t*>(data);

  // Each row's code: equal codes mean equal values. Text gets dictionary codes; other types
  // number their runs. A NULL row takes the code of the value before it (or of the first
  // value), so NULLs neither break runs nor widen ranges.
  std::vector<uint32_t> codes(count);
  std::vector<size_t> first_row;  // per code: a non-NULL row holding its value
  size_t runs = 0;
  size_t valid_count = 0;
  size_t string_bytes = 0;          // non-inlined bytes of every non-NULL row
  size_t distinct_string_bytes = 0; // ... of each distinct value once
  size_t run_string_bytes = 0;      // ... of each run's value once
  {
    std::unordered_map<std::string_view, uint32_t> dictionary;
    int64_t previous = -1;  // row of the previous non-NULL value
    for (size_t i = 0; i < count; i++) {
      if (!validity.row_is_valid(i)) {
        codes[i] = previous < 0 ? 0 : codes[static_cast<size_t>(previous)];
        continue;
      }
      valid_count++;
      uint32_t code;
      bool same_as_previous;
      if (is_string) {
        const std::string_view sv = strings[i].view();
        const size_t heap_len = strings[i].is_inlined() ? 0 : sv.size();
        string_bytes += heap_len;
        auto [it, inserted] = dictionary.try_emplace(sv, static_cast<uint32_t>(first_row.size()));
        if (inserted) {
          first_row.push_back(i);
          distinct_string_bytes += heap_len;
        }
        code = it->second;
        same_as_previous = previous >= 0 && codes[static_cast<size_t>(previous)] == code;
        if (!same_as_previous) run_string_bytes += heap_len;
      } else {
        same_as_previous =
            previous >= 0 && std::memcmp(data + i * width, data + static_cast<size_t>(previous) * width, width) == 0;
        if (same_as_previous) {
          code = codes[static_cast<size_t>(previous)];
        } else {
          code = static_cast<uint32_t>(first_row.size());
          first_row.push_back(i);
        }
      }
      if (!same_as_previous) runs++;
      codes[i] = code;
      previous = static_cast<int64_t>(i);
    }
    // Leading NULLs took code 0, the first value's code under both numberings.
  }

  const size_t validity_bytes = valid_count == count ? 0 : (count + 63) / 64 * 8;
  Candidates sizes;
  sizes.uncompressed = count * width + string_bytes;
  const size_t distinct = first_row.size();
  if (distinct <= 1) sizes.constant = distinct * width + distinct_string_bytes;
  if (distinct >= 1) {
    sizes.rle = runs * (width + 2) + run_string_bytes;
    if (is_string) sizes.dictionary = distinct * width + distinct_string_bytes + packed_size(count, bits_needed(distinct - 1));
  }

  // Integers (and numerics whose raw word fits 64 bits): frame of reference and delta over the
  // values with NULLs filled in.
  std::vector<int64_t> filled;
  int64_t min_value = 0, max_value = 0, min_delta = 0, max_delta = 0;
  with_integer_type(physical, [&](auto tag) {
    using T = decltype(tag);
    if (distinct == 0) return;
    const T* ints = reinterpret_cast<const T*>(data);
    if constexpr (std::is_same_v<T, Numeric>) {
      for (size_t row : first_row) {
        if (!numeric_fits_64(ints[row])) return;  // some value needs the full 128 bits
      }
    }
    filled.resize(count);
    // A NULL row has the code of the value before it (leading NULLs: of the first value).
    for (size_t i = 0; i < count; i++) filled[i] = to_packed(ints[first_row[codes[i]]]);
    min_value = max_value = filled[0];
    for (size_t i = 1; i < count; i++) {
      min_value = std::min(min_value, filled[i]);
      max_value = std::max(max_value, filled[i]);
    }
    sizes.bitpack = packed_size(count, bits_needed(static_cast<uint64_t>(max_value) - static_cast<uint64_t>(min_value))) + 8;
    if (count > 1) {
      min_delta = max_delta = static_cast<int64_t>(static_cast<uint64_t>(filled[1]) - static_cast<uint64_t>(filled[0]));
      for (size_t i = 2; i < count; i++) {
        const auto d = static_cast<int64_t>(static_cast<uint64_t>(filled[i]) - static_cast<uint64_t>(filled[i - 1]));
        min_delta = std::min(min_delta, d);
        max_delta = std::max(max_delta, d);
      }
      sizes.delta = packed_size(count, bits_needed(static_cast<uint64_t>(max_delta) - static_cast<uint64_t>(min_delta))) +
                    8 + (count + kDeltaCheckpoint - 1) / kDeltaCheckpoint * 8;
    }
  });

  SegmentEncoding best = SegmentEncoding::kUncompressed;
  size_t best_size = sizes.uncompressed;
  const std::pair<SegmentEncoding, size_t> options[] = {
      {SegmentEncoding::kConstant, sizes.constant}, {SegmentEncoding::kRle, sizes.rle},
      {SegmentEncoding::kDictionary, sizes.dictionary}, {SegmentEncoding::kBitpack, sizes.bitpack},
      {SegmentEncoding::kDelta, sizes.delta}};
  for (const auto& [encoding, size] : options) {
    if (size < best_size) {
      best = encoding;
      best_size = size;
    }
  }
  if (forced != SegmentEncoding::kUncompressed) {
    best = SegmentEncoding::kUncompressed;
    for (const auto& [encoding, size] : options) {
      if (encoding == forced && size != SIZE_MAX) best = encoding;
    }
  }
  if (best == SegmentEncoding::kUncompressed) return nullptr;

  auto segment = std::make_unique<EncodedSegment>(type, best, count, zone);
  segment->uncompressed_bytes_ = sizes.uncompressed + validity_bytes;
  if (validity_bytes > 0) {
    segment->validity_.assign(validity.data(), validity.data() + (count + 63) / 64);
    if (count % 64 != 0) segment->validity_.back() &= (uint64_t{1} << (count % 64)) - 1;
  }
  EncodedSegment& s = *segment;
  // The distinct values this encoding stores, as rows holding them; text bytes go to one
  // exactly sized block.
  auto store_values = [&](const std::vector<size_t>& rows) {
    s.value_count_ = rows.size();
    s.values_.assign(rows.size() * width, 0);
    if (!is_string) {
      for (size_t v = 0; v < rows.size(); v++) std::memcpy(s.values_.data() + v * width, data + rows[v] * width, width);
      return;
    }
    size_t bytes = 0;
    for (size_t row : rows) bytes += strings[row].is_inlined() ? 0 : strings[row].size();
    auto* out = reinterpret_cast<string_t*>(s.values_.data());
    if (bytes == 0) {
      for (size_t v = 0; v < rows.size(); v++) out[v] = strings[rows[v]];
      return;
    }
    auto block = std::make_shared<StringBlock>(bytes);
    char* next = block->bytes.get();
    for (size_t v = 0; v < rows.size(); v++) {
      const string_t& str = strings[rows[v]];
      if (str.is_inlined()) {
        out[v] = str;
        continue;
      }
      std::memcpy(next, str.data(), str.size());
      out[v] = string_t(next, str.size());
      next += str.size();
    }
    s.string_bytes_ = bytes;
    s.heap_ = std::shared_ptr<StringHeap>(block, &block->heap);  // keeps the block alive
  };
  switch (best) {
    case SegmentEncoding::kConstant:
      store_values(first_row);  // no value for an all-NULL segment
      break;
    case SegmentEncoding::kRle: {
      std::vector<size_t> run_rows{first_row[codes[0]]};
      for (size_t i = 1; i < count; i++) {
        if (codes[i] == codes[i - 1]) continue;
        s.run_ends_.push_back(static_cast<uint16_t>(i));
        run_rows.push_back(first_row[codes[i]]);
      }
      store_values(run_rows);
      s.run_ends_.push_back(static_cast<uint16_t>(count));
      TS_CHECK(s.run_ends_.size() == runs, "run count mismatch");
      break;
    }
    case SegmentEncoding::kDictionary: {
      store_values(first_row);
      s.bit_width_ = bits_needed(distinct - 1);
      std::vector<uint64_t> wide(codes.begin(), codes.end());
      s.packed_ = pack(wide.data(), count, s.bit_width_);
      break;
    }
    case SegmentEncoding::kBitpack: {
      s.base_ = min_value;
      s.bit_width_ = bits_needed(static_cast<uint64_t>(max_value) - static_cast<uint64_t>(min_value));
      std::vector<uint64_t> offsets(count);
      for (size_t i = 0; i < count; i++) offsets[i] = static_cast<uint64_t>(filled[i]) - static_cast<uint64_t>(min_value);
      s.packed_ = pack(offsets.data(), count, s.bit_width_);
      break;
    }
    case SegmentEncoding::kDelta: {
      s.base_ = min_delta;
      s.bit_width_ = bits_needed(static_cast<uint64_t>(max_delta) - static_cast<uint64_t>(min_delta));
      std::vector<uint64_t> offsets(count, 0);
      for (size_t i = 1; i < count; i++) {
        offsets[i] = static_cast<uint64_t>(filled[i]) - static_cast<uint64_t>(filled[i - 1]) -
                     static_cast<uint64_t>(min_delta);
      }
      s.packed_ = pack(offsets.data(), count, s.bit_width_);
      for (size_t i = 0; i < count; i += kDeltaCheckpoint) s.checkpoints_.push_back(filled[i]);
      break;
    }
    case SegmentEncoding::kUncompressed: break;
  }
  // Storage bytes count against the server's memory limit, like the vectors they replace.
  s.charge_.set(s.memory_bytes());
  return segment;
}

void EncodedSegment::value_indexes(size_t offset, const sel_t* sel, size_t count, uint32_t* out) const {
  switch (encoding_) {
    case SegmentEncoding::kDictionary:
      unpack(packed_.data(), bit_width_, 0, offset, sel, count, out);
      return;
    case SegmentEncoding::kRle: {
      // Walk the runs; a row before the current run (a selection out of order) searches again.
      auto find = [&](size_t row) {
        return static_cast<size_t>(std::upper_bound(run_ends_.begin(), run_ends_.end(), row) - run_ends_.begin());
      };
      size_t run = find(offset + (sel ? sel[0] : 0));
      for (size_t i = 0; i < count; i++) {
        const size_t row = offset + (sel ? sel[i] : i);
        if (run > 0 && row < run_ends_[run - 1]) run = find(row);
        while (row >= run_ends_[run]) run++;
        out[i] = static_cast<uint32_t>(run);
      }
      return;
    }
    default: std::fill(out, out + count, 0u); return;
  }
}

template <class T>
void EncodedSegment::decode_integers(size_t from, size_t to, T* out) const {
  if (from >= to) return;
  if (encoding_ == SegmentEncoding::kBitpack) {
    unpack(packed_.data(), bit_width_, static_cast<uint64_t>(base_), from, nullptr, to - from, out);
    return;
  }
  // Delta: start at the checkpoint at or before `from` and add differences.
  size_t row = from / kDeltaCheckpoint * kDeltaCheckpoint;
  auto value = static_cast<uint64_t>(checkpoints_[row / kDeltaCheckpoint]);
  const auto base = static_cast<uint64_t>(base_);
  const uint8_t* packed = packed_.data();
  for (; row < from; row++) value += base + unpack_one(packed, row + 1, bit_width_);
  out[0] = from_packed<T>(value);
  if (bit_width_ == 0) {
    for (size_t i = from + 1; i < to; i++) {
      value += base;
      out[i - from] = from_packed<T>(value);
    }
    return;
  }
  for (size_t i = from + 1; i < to; i++) {
    value += base + unpack_one(packed, i, bit_width_);
    out[i - from] = from_packed<T>(value);
  }
}

template <class T>
void EncodedSegment::scan_integers(size_t offset, const sel_t* sel, size_t count, T* out) const {
  if (sel == nullptr) {
    decode_integers(offset, offset + count, out);
    return;
  }
  if (encoding_ == SegmentEncoding::kBitpack) {
    unpack(packed_.data(), bit_width_, static_cast<uint64_t>(base_), offset, sel, count, out);
    return;
  }
  // Delta: decode the rows between the first and last selected ones, then pick.
  const auto [lo, hi] = selection_bounds(sel, count);
  std::array<T, kVectorSize> buffer;
  decode_integers(offset + lo, offset + hi + 1, buffer.data());
  for (size_t i = 0; i < count; i++) out[i] = buffer[sel[i] - lo];
}

void EncodedSegment::scan_indexed(size_t offset, const sel_t* sel, size_t count, uint8_t* out) const {
  if (value_count_ == 0) {  // every row is NULL
    std::memset(out, 0, count * width_);
    return;
  }
  std::array<uint32_t, kVectorSize> index;
  value_indexes(offset, sel, count, index.data());
  gather_values(values_.data(), width_, index.data(), count, out);
}

void EncodedSegment::scan(size_t offset, const sel_t* sel, size_t count, Vector& out, size_t out_offset) const {
  TS_DCHECK(out.vector_type() == VectorType::kFlat && out.capacity() >= out_offset + count,
            "segment scan needs a flat vector");
  if (count == 0) return;
  uint8_t* dst = out.mutable_data() + out_offset * width_;
  if (encoding_ == SegmentEncoding::kBitpack || encoding_ == SegmentEncoding::kDelta) {
    const bool known = with_integer_type(type().physical_type(), [&](auto tag) {
      using T = decltype(tag);
      scan_integers<T>(offset, sel, count, reinterpret_cast<T*>(dst));
    });
    TS_CHECK(known, "bit-packed segment of a non-integer type");
  } else {
    scan_indexed(offset, sel, count, dst);
  }
  if (!validity_.empty()) {
    ValidityMask* out_validity = nullptr;
    for (size_t i = 0; i < count; i++) {
      if (row_is_valid(offset + (sel ? sel[i] : i))) continue;
      if (out_validity == nullptr) out_validity = &out.mutable_validity();
      out_validity->set_invalid(out_offset + i);
    }
  }
  if (heap_) out.add_heap_reference(heap_);
}

size_t EncodedSegment::select_indexed(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                                      sel_t* sel_out) const {
  // The filter once per distinct value, and once for NULL.
  std::array<sel_t, kVectorSize> matches;
  std::array<uint8_t, kVectorSize> value_matches{};
  if (value_count_ > 0) {
    FilterInput input;
    input.values = values_.data();
    const size_t n = filter.select(type(), input, nullptr, value_count_, matches.data());
    for (size_t i = 0; i < n; i++) value_matches[matches[i]] = 1;
  }
  bool null_matches;
  {
    alignas(16) std::array<uint8_t, 64> zero_value{};
    const uint64_t no_valid_row = 0;
    FilterInput input;
    input.values = zero_value.data();
    input.validity = &no_valid_row;
    null_matches = filter.select(type(), input, nullptr, 1, matches.data()) == 1;
  }
  size_t kept = 0;
  if (encoding_ == SegmentEncoding::kConstant && validity_.empty()) {
    // Every row has the one value: all or nothing.
    if (value_count_ == 0 || !value_matches[0]) return 0;
    return select_all(sel_in, count, sel_out);
  }
  if (value_count_ == 0) {  // every row is NULL
    if (!null_matches) return 0;
    return select_all(sel_in, count, sel_out);
  }
  std::array<uint32_t, kVectorSize> index;
  value_indexes(offset, sel_in, count, index.data());
  for (size_t i = 0; i < count; i++) {
    const sel_t r = sel_in ? sel_in[i] : static_cast<sel_t>(i);
    const bool ok = row_is_valid(offset + r) ? value_matches[index[i]] != 0 : null_matches;
    sel_out[kept] = r;
    kept += ok ? 1 : 0;
  }
  return kept;
}

template <class T>
size_t EncodedSegment::select_integers(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                                       sel_t* sel_out) const {
  // Decode only the rows from the first to the last selected one, at their segment positions.
  const auto [lo, hi] = selection_bounds(sel_in, count);
  alignas(64) std::array<T, kVectorSize> buffer;
  decode_integers(offset + lo, offset + hi + 1, buffer.data() + offset + lo);
  FilterInput input;
  input.values = buffer.data();
  input.validity = validity_.empty() ? nullptr : validity_.data();
  input.base = offset;
  return filter.select(type(), input, sel_in, count, sel_out);
}

size_t EncodedSegment::select(const TableFilter& filter, size_t offset, const sel_t* sel_in, size_t count,
                              sel_t* sel_out) const {
  if (count == 0) return 0;
  if (encoding_ == SegmentEncoding::kBitpack || encoding_ == SegmentEncoding::kDelta) {
    size_t kept = 0;
    const bool known = with_integer_type(type().physical_type(), [&](auto tag) {
      kept = select_integers<decltype(tag)>(filter, offset, sel_in, count, sel_out);
    });
    TS_CHECK(known, "bit-packed segment of a non-integer type");
    return kept;
  }
  return select_indexed(filter, offset, sel_in, count, sel_out);
}

void EncodedSegment::write(BinaryWriter& out) const {
  out.put_u8(static_cast<uint8_t>(encoding_));
  out.put_varint(count_);
  zone_map_.write(out);
  out.put_varint(uncompressed_bytes_);
  out.put_varint(validity_.size());
  for (const uint64_t word : validity_) out.put_u64(word);
  out.put_varint(value_count_);
  if (type().physical_type() == PhysicalType::kString) {
    const auto* strings = reinterpret_cast<const string_t*>(values_.data());
    for (size_t v = 0; v < value_count_; v++) out.put_string(std::string_view(strings[v].data(), strings[v].size()));
  } else {
    out.put_bytes(values_.data(), value_count_ * width_);
  }
  out.put_varint(run_ends_.size());
  for (const uint16_t end : run_ends_) out.put_varint(end);
  out.put_u8(static_cast<uint8_t>(bit_width_));
  out.put_varint(packed_.size());
  out.put_bytes(packed_.data(), packed_.size());
  out.put_i64(base_);
  out.put_varint(checkpoints_.size());
  for (const int64_t value : checkpoints_) out.put_i64(value);
}

std::unique_ptr<EncodedSegment> EncodedSegment::read(BinaryReader& in, const LogicalType& type) {
  const uint8_t encoding_byte = in.get_u8();
  if (encoding_byte < static_cast<uint8_t>(SegmentEncoding::kConstant) ||
      encoding_byte > static_cast<uint8_t>(SegmentEncoding::kDelta)) {
    in.corrupt("unknown segment encoding " + std::to_string(encoding_byte));
  }
  const auto encoding = static_cast<SegmentEncoding>(encoding_byte);
  const PhysicalType physical = type.physical_type();
  const bool is_string = physical == PhysicalType::kString;
  const bool integral = with_integer_type(physical, [](auto) {});
  if ((encoding == SegmentEncoding::kBitpack || encoding == SegmentEncoding::kDelta) && !integral) {
    in.corrupt("a bit-packed segment of a type that is not an integer");
  }
  const uint64_t count = in.get_varint();
  if (count == 0 || count > kVectorSize) in.corrupt("segment row count " + std::to_string(count));
  auto segment = std::make_unique<EncodedSegment>(type, encoding, static_cast<size_t>(count), ZoneMap::read(in, type));
  EncodedSegment& s = *segment;
  s.uncompressed_bytes_ = in.get_varint();
  const uint64_t validity_words = in.get_varint();
  if (validity_words != 0 && validity_words != (count + 63) / 64) in.corrupt("validity of the wrong size");
  s.validity_.resize(validity_words);
  for (auto& word : s.validity_) word = in.get_u64();
  const uint64_t value_count = in.get_varint();
  if (value_count > count) in.corrupt("more distinct values than rows");
  s.value_count_ = value_count;
  s.values_.assign(value_count * s.width_, 0);
  if (is_string) {
    std::vector<std::string_view> texts(value_count);
    size_t bytes = 0;
    for (auto& text : texts) {
      text = in.get_string();
      if (text.size() > string_t::kInlineLength) bytes += text.size();
    }
    auto* out = reinterpret_cast<string_t*>(s.values_.data());
    std::shared_ptr<StringBlock> block;
    char* next = nullptr;
    for (size_t v = 0; v < value_count; v++) {
      if (texts[v].size() <= string_t::kInlineLength) {
        out[v] = string_t(texts[v].data(), static_cast<uint32_t>(texts[v].size()));
        continue;
      }
      if (!block) {
        block = std::make_shared<StringBlock>(bytes);
        next = block->bytes.get();
      }
      std::memcpy(next, texts[v].data(), texts[v].size());
      out[v] = string_t(next, static_cast<uint32_t>(texts[v].size()));
      next += texts[v].size();
      s.string_bytes_ += texts[v].size();
    }
    if (block) s.heap_ = std::shared_ptr<StringHeap>(block, &block->heap);
  } else {
    const std::string_view raw = in.get_bytes(value_count * s.width_);
    std::memcpy(s.values_.data(), raw.data(), raw.size());
  }
  const uint64_t runs = in.get_varint();
  if (runs > count) in.corrupt("more runs than rows");
  s.run_ends_.resize(runs);
  for (auto& end : s.run_ends_) {
    const uint64_t v = in.get_varint();
    if (v > count) in.corrupt("a run ending after the segment");
    end = static_cast<uint16_t>(v);
  }
  s.bit_width_ = in.get_u8();
  if (s.bit_width_ > 64) in.corrupt("bit width " + std::to_string(s.bit_width_));
  const uint64_t packed_bytes = in.get_varint();
  if (packed_bytes != packed_size(count, s.bit_width_)) in.corrupt("packed bits of the wrong size");
  const std::string_view packed = in.get_bytes(packed_bytes);
  s.packed_.assign(packed.begin(), packed.end());
  s.base_ = in.get_i64();
  const uint64_t checkpoints = in.get_varint();
  if (checkpoints > count) in.corrupt("more delta checkpoints than rows");
  s.checkpoints_.resize(checkpoints);
  for (auto& value : s.checkpoints_) value = in.get_i64();

  // The parts each encoding reads.
  const bool packs = encoding == SegmentEncoding::kDictionary || encoding == SegmentEncoding::kBitpack ||
                     encoding == SegmentEncoding::kDelta;
  if (!packs && (packed_bytes != 0 || s.bit_width_ != 0)) in.corrupt("packed bits in a segment that has none");
  if (encoding != SegmentEncoding::kRle && runs != 0) in.corrupt("runs in a segment that is not RLE");
  if (encoding != SegmentEncoding::kDelta && checkpoints != 0) in.corrupt("delta checkpoints in a segment without deltas");
  const bool has_values = encoding == SegmentEncoding::kConstant || encoding == SegmentEncoding::kRle ||
                          encoding == SegmentEncoding::kDictionary;
  if (!has_values && value_count != 0) in.corrupt("distinct values in a bit-packed segment");
  switch (encoding) {
    case SegmentEncoding::kConstant:
      if (value_count > 1) in.corrupt("a constant segment of several values");
      if (value_count == 0 && validity_words == 0) in.corrupt("a constant segment without its value");
      break;
    case SegmentEncoding::kRle:
      if (runs == 0 || runs != value_count) in.corrupt("RLE runs and values differ in number");
      for (size_t r = 0; r < runs; r++) {
        if (s.run_ends_[r] <= (r == 0 ? 0 : s.run_ends_[r - 1])) in.corrupt("RLE runs out of order");
      }
      if (s.run_ends_.back() != count) in.corrupt("RLE runs do not end at the row count");
      break;
    case SegmentEncoding::kDictionary:
      if (value_count == 0) in.corrupt("a dictionary without values");
      for (size_t i = 0; i < count; i++) {
        if (unpack_one(s.packed_.data(), i, s.bit_width_) >= value_count) in.corrupt("a dictionary code out of range");
      }
      break;
    case SegmentEncoding::kDelta:
      if (checkpoints != (count + kDeltaCheckpoint - 1) / kDeltaCheckpoint) in.corrupt("delta checkpoints missing");
      break;
    default:
      break;
  }
  s.charge_.set(s.memory_bytes());
  return segment;
}

}  // namespace tessera::storage
