#include "storage/encoded_segment.h"

#include "src/common/numeric.h"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/durable/binary_io.h"
#include "storage/transaction_manager.h"

namespace tessera::storage {
namespace {

constexpr SegmentEncoding kAllEncodings[] = {SegmentEncoding::kConstant, SegmentEncoding::kRle,
                                             SegmentEncoding::kDictionary, SegmentEncoding::kBitpack,
                                             SegmentEncoding::kDelta};

Vector make_vector(const LogicalType& type, const std::vector<Value>& values) {
  Vector v(type, kVectorSize);
  for (size_t i = 0; i < values.size(); i++) v.set_value(i, values[i]);
  return v;
}

// Filters over `type` built from constants taken from the data (and one outside it).
std::vector<TableFilterPtr> filters_for(const std::vector<Value>& values, const Value& outside) {
  std::vector<Value> constants{outside};
  for (size_t i : {size_t{0}, values.size() / 2, values.size() - 1}) {
    if (!values[i].is_null()) constants.push_back(values[i]);
  }
  std::vector<TableFilterPtr> filters;
  for (const Value& c : constants) {
    for (CompareOp op : {CompareOp::kEqual, CompareOp::kNotEqual, CompareOp::kLess, CompareOp::kLessEqual,
                         CompareOp::kGreater, CompareOp::kGreaterEqual}) {
      filters.push_back(std::make_unique<CompareFilter>(op, c));
    }
  }
  filters.push_back(std::make_unique<InFilter>(constants));
  filters.push_back(std::make_unique<NullFilter>(true));
  filters.push_back(std::make_unique<NullFilter>(false));
  if (constants.size() >= 2) {
    auto between = std::make_unique<AndFilter>();
    between->add(std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, constants[1]));
    between->add(std::make_unique<CompareFilter>(CompareOp::kLessEqual, constants.back()));
    filters.push_back(std::move(between));
    auto not_null_eq = std::make_unique<AndFilter>();
    not_null_eq->add(std::make_unique<NullFilter>(false));
    not_null_eq->add(std::make_unique<CompareFilter>(CompareOp::kNotEqual, constants[1]));
    filters.push_back(std::move(not_null_eq));
  }
  return filters;
}

// Encodes `values` with `encoding` (kUncompressed: the encoder's choice) and checks that scans
// of every shape and every filter agree with the uncompressed values. Returns the encoding used,
// or kUncompressed when the encoder kept the values uncompressed.
void check_segment(const EncodedSegment& segment_ref, const LogicalType& type, const std::vector<Value>& values,
                   const Vector& source, const Value& outside);

// The durable form of `segment`, read back (a data file's segment).
std::unique_ptr<EncodedSegment> write_and_read(const EncodedSegment& segment, const LogicalType& type) {
  BinaryWriter out;
  segment.write(out);
  BinaryReader in(out.data(), "segment");
  auto copy = EncodedSegment::read(in, type);
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(segment.encoding(), copy->encoding());
  EXPECT_EQ(segment.memory_bytes(), copy->memory_bytes());
  EXPECT_EQ(segment.uncompressed_bytes(), copy->uncompressed_bytes());
  EXPECT_EQ(segment.zone_map().value_count(), copy->zone_map().value_count());
  EXPECT_EQ(segment.zone_map().null_count(), copy->zone_map().null_count());
  EXPECT_TRUE(segment.zone_map().min() == copy->zone_map().min());
  EXPECT_TRUE(segment.zone_map().max() == copy->zone_map().max());
  return copy;
}

SegmentEncoding check_round_trip(const LogicalType& type, const std::vector<Value>& values, SegmentEncoding encoding,
                                 const Value& outside) {
  const size_t n = values.size();
  const Vector source = make_vector(type, values);
  auto segment = EncodedSegment::encode_as(encoding, type, source, n, ZoneMap(type));
  if (!segment) return SegmentEncoding::kUncompressed;
  EXPECT_TRUE(encoding == SegmentEncoding::kUncompressed || segment->encoding() == encoding);
  EXPECT_EQ(n, segment->count());
  SCOPED_TRACE(std::string("encoding ") + segment_encoding_name(segment->encoding()) + ", rows " + std::to_string(n));
  check_segment(*segment, type, values, source, outside);
  {
    SCOPED_TRACE("read back from its durable form");
    check_segment(*write_and_read(*segment, type), type, values, source, outside);
  }
  return segment->encoding();
}

void check_segment(const EncodedSegment& segment_ref, const LogicalType& type, const std::vector<Value>& values,
                   const Vector& source, const Value& outside) {
  const size_t n = values.size();
  const EncodedSegment* segment = &segment_ref;

  // Whole segment, then ranges around delta checkpoints and vector ends.
  std::vector<std::pair<size_t, size_t>> ranges{{0, n}};
  for (size_t start : {size_t{1}, size_t{127}, size_t{128}, size_t{129}, size_t{1000}, n - 1}) {
    if (start < n) ranges.push_back({start, std::min<size_t>(n - start, 300)});
  }
  for (const auto& [start, count] : ranges) {
    Vector out(type, kVectorSize);
    segment->scan(start, nullptr, count, out, 5 < kVectorSize - count ? 5 : 0);
    const size_t out_offset = 5 < kVectorSize - count ? 5 : 0;
    for (size_t i = 0; i < count; i++) {
      if (!(values[start + i] == out.get_value(out_offset + i))) {
        ADD_FAILURE() << "row " << start + i << ": " << values[start + i].to_string() << " vs "
                      << out.get_value(out_offset + i).to_string();
        break;
      }
    }
  }
  // Selections: every third row, and a random subset, from an offset.
  std::mt19937 rng(42);
  for (size_t offset : {size_t{0}, n / 3}) {
    std::vector<sel_t> every_third, random;
    for (size_t r = 0; offset + r < n; r += 3) every_third.push_back(static_cast<sel_t>(r));
    for (size_t r = 0; offset + r < n; r++) {
      if (rng() % 5 == 0) random.push_back(static_cast<sel_t>(r));
    }
    for (const auto* sel : {&every_third, &random}) {
      if (sel->empty()) continue;
      Vector out(type, kVectorSize);
      segment->scan(offset, sel->data(), sel->size(), out, 0);
      for (size_t i = 0; i < sel->size(); i++) {
        if (!(values[offset + (*sel)[i]] == out.get_value(i))) {
          ADD_FAILURE() << "selected row " << offset + (*sel)[i];
          break;
        }
      }
    }
  }
  // Filters agree with the same filter on the uncompressed values.
  FilterInput plain;
  plain.values = source.data();
  plain.validity = source.validity().data();
  for (const auto& filter : filters_for(values, outside)) {
    SCOPED_TRACE(filter->to_string("x"));
    std::vector<sel_t> expected(n), actual(n);
    expected.resize(filter->select(type, plain, nullptr, n, expected.data()));
    actual.resize(segment->select(*filter, 0, nullptr, n, actual.data()));
    EXPECT_EQ(expected, actual);
    // From an offset, over a selection (sel_out aliasing sel_in).
    const size_t offset = n / 2;
    std::vector<sel_t> sel;
    for (size_t r = 0; offset + r < n; r += 2) sel.push_back(static_cast<sel_t>(r));
    if (sel.empty()) continue;
    plain.base = offset;
    std::vector<sel_t> expected_sel(sel.size()), actual_sel = sel;
    expected_sel.resize(filter->select(type, plain, sel.data(), sel.size(), expected_sel.data()));
    actual_sel.resize(segment->select(*filter, offset, actual_sel.data(), sel.size(), actual_sel.data()));
    plain.base = 0;
    EXPECT_EQ(expected_sel, actual_sel);
  }
}

// Round-trips `values` under every encoding that accepts them, and under the encoder's choice.
void check_all(const LogicalType& type, const std::vector<Value>& values, const Value& outside) {
  for (SegmentEncoding e : kAllEncodings) check_round_trip(type, values, e, outside);
  check_round_trip(type, values, SegmentEncoding::kUncompressed, outside);
}

std::vector<size_t> sizes() { return {1, 2, 100, 1000, kVectorSize - 1, kVectorSize}; }

TEST(EncodedSegmentTest, IntegersOfEveryShape) {
  std::mt19937_64 rng(7);
  const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  for (size_t n : sizes()) {
    std::vector<std::vector<Value>> cases(9);
    for (size_t i = 0; i < n; i++) {
      cases[0].push_back(Value::bigint(static_cast<int64_t>(i)));                    // sequence
      cases[1].push_back(Value::bigint(42));                                           // constant
      cases[2].push_back(Value::null(LogicalType::bigint()));                          // all NULL
      cases[3].push_back(Value::bigint(static_cast<int64_t>(rng())));                  // full width
      cases[4].push_back(Value::bigint(i % 2 ? lo : hi));                              // extremes
      cases[5].push_back(Value::bigint(-1000 + static_cast<int64_t>(rng() % 50)));     // negative, narrow
      cases[6].push_back(i % 7 == 0 ? Value::null(LogicalType::bigint())
                                    : Value::bigint(static_cast<int64_t>(i * 10 + rng() % 3)));  // near-sorted
      cases[7].push_back(Value::bigint(static_cast<int64_t>(i / 300)));                // runs
      cases[8].push_back(i < n / 2 ? Value::null(LogicalType::bigint()) : Value::bigint(lo + static_cast<int64_t>(i)));
    }
    for (const auto& values : cases) check_all(LogicalType::bigint(), values, Value::bigint(123456789));
  }
}

TEST(EncodedSegmentTest, NarrowIntegersDatesAndBooleans) {
  std::mt19937 rng(3);
  for (size_t n : sizes()) {
    std::vector<Value> small, ints, dates, bools, times;
    for (size_t i = 0; i < n; i++) {
      small.push_back(i % 9 == 0 ? Value::null(LogicalType::smallint())
                                 : Value::smallint(static_cast<int16_t>(i % 2 ? -32768 : 32767)));
      ints.push_back(Value::integer(static_cast<int32_t>(rng())));
      dates.push_back(Value::date(static_cast<int32_t>(9000 + i / 3)));
      bools.push_back(i % 5 == 0 ? Value::null(LogicalType::boolean()) : Value::boolean(rng() % 2));
      times.push_back(Value::timestamp(static_cast<int64_t>(1'600'000'000'000'000 + i * 1'000'000)));
    }
    check_all(LogicalType::smallint(), small, Value::smallint(5));
    check_all(LogicalType::integer(), ints, Value::integer(5));
    check_all(LogicalType::date(), dates, Value::date(9001));
    check_all(LogicalType::boolean(), bools, Value::boolean(true));
    check_all(LogicalType::timestamp(), times, Value::timestamp(0));
  }
}

TEST(EncodedSegmentTest, NumericsPackTheirRawWord) {
  std::mt19937 rng(13);
  const LogicalType type = LogicalType::numeric();
  for (size_t n : sizes()) {
    std::vector<Value> prices, mixed_scale, with_nan, huge;
    for (size_t i = 0; i < n; i++) {
      prices.push_back(i % 6 == 0 ? Value::null(type) : Value::numeric(Numeric::make(100 + rng() % 100000, 2)));
      mixed_scale.push_back(Value::numeric(Numeric::make(-static_cast<__int128>(rng() % 1000), static_cast<int>(i % 3))));
      with_nan.push_back(i % 100 == 5 ? Value::numeric(Numeric::nan()) : Value::numeric(Numeric::make(static_cast<__int128>(i), 0)));
      // Beyond 64 bits: stays uncompressed (or RLE/constant).
      huge.push_back(Value::numeric(Numeric::make(numeric::pow10(30) + static_cast<__int128>(i / 500), 0)));
    }
    check_all(type, prices, Value::numeric(Numeric::make(150, 2)));
    check_all(type, mixed_scale, Value::numeric(Numeric::make(-5, 1)));
    check_all(type, with_nan, Value::numeric(Numeric::make(7, 0)));
    check_all(type, huge, Value::numeric(Numeric::make(1, 0)));
    if (n == kVectorSize) {
      const Vector v = make_vector(type, prices);
      auto s = EncodedSegment::encode(type, v, n, ZoneMap(type));
      ASSERT_TRUE(s != nullptr);
      EXPECT_EQ(SegmentEncoding::kBitpack, s->encoding());
      const Vector h = make_vector(type, huge);
      auto r = EncodedSegment::encode(type, h, n, ZoneMap(type));
      ASSERT_TRUE(r != nullptr);
      EXPECT_EQ(SegmentEncoding::kRle, r->encoding());
      EXPECT_EQ(nullptr, EncodedSegment::encode_as(SegmentEncoding::kBitpack, type, h, n, ZoneMap(type)));
    }
  }
}

TEST(EncodedSegmentTest, StringsAndDoubles) {
  std::mt19937 rng(11);
  const std::string long_prefix(200, 'x');
  for (size_t n : sizes()) {
    std::vector<Value> few, unique, constant_long, empty_and_null, doubles, runs_of_doubles;
    for (size_t i = 0; i < n; i++) {
      few.push_back(i % 13 == 0 ? Value::null(LogicalType::varchar())
                                : Value::varchar(rng() % 2 ? "AIR" : long_prefix + std::to_string(rng() % 3)));
      unique.push_back(Value::varchar("value number " + std::to_string(i)));
      constant_long.push_back(Value::varchar(long_prefix));
      empty_and_null.push_back(i % 2 ? Value::null(LogicalType::varchar()) : Value::varchar(""));
      doubles.push_back(i % 4 == 0 ? Value::null(LogicalType::double_precision())
                                   : Value::double_precision(static_cast<double>(rng() % 1000) / 7));
      runs_of_doubles.push_back(Value::double_precision(i / 100 % 2 ? -0.0 : std::numeric_limits<double>::quiet_NaN()));
    }
    check_all(LogicalType::varchar(), few, Value::varchar("MAIL"));
    check_all(LogicalType::varchar(), unique, Value::varchar("value number 1"));
    check_all(LogicalType::varchar(), constant_long, Value::varchar(""));
    check_all(LogicalType::varchar(), empty_and_null, Value::varchar("a"));
    check_all(LogicalType::double_precision(), doubles, Value::double_precision(0.0));
    check_all(LogicalType::double_precision(), runs_of_doubles, Value::double_precision(0.0));
  }
}

TEST(EncodedSegmentTest, EncoderPicksTheSmallestForm) {
  auto pick = [](const LogicalType& type, const std::vector<Value>& values) {
    const Vector v = make_vector(type, values);
    auto s = EncodedSegment::encode(type, v, values.size(), ZoneMap(type));
    return s ? s->encoding() : SegmentEncoding::kUncompressed;
  };
  std::vector<Value> seq, constant, nulls, narrow, random, runs, words, doubles;
  std::mt19937_64 rng(5);
  for (size_t i = 0; i < kVectorSize; i++) {
    seq.push_back(Value::bigint(static_cast<int64_t>(1000 + i)));
    constant.push_back(Value::integer(7));
    nulls.push_back(Value::null(LogicalType::integer()));
    narrow.push_back(Value::integer(static_cast<int32_t>(rng() % 100)));
    random.push_back(Value::bigint(static_cast<int64_t>(rng())));
    runs.push_back(Value::double_precision(static_cast<double>(i / 512)));
    words.push_back(Value::varchar(rng() % 2 ? "DELIVER IN PERSON" : "TAKE BACK RETURN"));
    doubles.push_back(Value::double_precision(static_cast<double>(rng())));
  }
  EXPECT_EQ(SegmentEncoding::kDelta, pick(LogicalType::bigint(), seq));
  EXPECT_EQ(SegmentEncoding::kConstant, pick(LogicalType::integer(), constant));
  EXPECT_EQ(SegmentEncoding::kConstant, pick(LogicalType::integer(), nulls));
  EXPECT_EQ(SegmentEncoding::kBitpack, pick(LogicalType::integer(), narrow));
  EXPECT_EQ(SegmentEncoding::kUncompressed, pick(LogicalType::bigint(), random));
  EXPECT_EQ(SegmentEncoding::kRle, pick(LogicalType::double_precision(), runs));
  EXPECT_EQ(SegmentEncoding::kDictionary, pick(LogicalType::varchar(), words));
  EXPECT_EQ(SegmentEncoding::kUncompressed, pick(LogicalType::double_precision(), doubles));
}

TEST(EncodedSegmentTest, SealedSegmentsOfATableAreEncodedAndScanAsBefore) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::varchar()});
  auto txn = tm.begin();
  const size_t rows = 3 * kVectorSize + 100;  // a partial last vector stays uncompressed
  DataChunk chunk;
  chunk.initialize({LogicalType::bigint(), LogicalType::varchar()});
  for (size_t done = 0; done < rows;) {
    const size_t n = std::min<size_t>(1000, rows - done);
    for (size_t r = 0; r < n; r++) {
      const size_t k = done + r;
      chunk.set_value(0, r, k % 10 == 0 ? Value::null(LogicalType::bigint()) : Value::bigint(static_cast<int64_t>(k)));
      chunk.set_value(1, r, Value::varchar(k % 3 ? "even longer than twelve bytes" : "short"));
    }
    chunk.set_size(n);
    table.append(*txn, chunk);
    done += n;
  }
  tm.commit(*txn);
  std::vector<std::string> encodings;
  for (const SegmentStats& s : table.segment_stats()) {
    EXPECT_EQ(0u, s.row_group);
    if (s.column == 0) encodings.push_back(segment_encoding_name(s.encoding));
    if (s.column == 1 && s.rows == kVectorSize) {
      EXPECT_EQ(SegmentEncoding::kDictionary, s.encoding);
    }
    EXPECT_LE(s.compressed_bytes, s.uncompressed_bytes);
  }
  EXPECT_EQ((std::vector<std::string>{"delta", "delta", "delta", "uncompressed"}), encodings);

  auto reader = tm.begin();
  TableFilterSet filters;
  filters.add(1, std::make_unique<CompareFilter>(CompareOp::kEqual, Value::varchar("short")));
  auto global = table.begin_scan(*reader, {0, 1}, std::move(filters));
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::bigint(), LogicalType::varchar()});
  size_t seen = 0;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) {
      for (size_t r = 0; r < out.size(); r++) {
        const Value key = out.get_value(0, r);
        EXPECT_EQ(Value::varchar("short"), out.get_value(1, r));
        if (!key.is_null()) {
          EXPECT_EQ(0, key.get_int64() % 3);
        }
        seen++;
      }
    }
  }
  EXPECT_EQ((rows + 2) / 3, seen);
}


TEST(EncodedSegmentTest, ScansRacingTheEncodingOfSealedSegmentsSeeEveryValue) {
  // A writer appends batches that fill and seal segments (each then replaced by its encoded
  // form) while readers scan and check every visible row's values against its key.
  TransactionManager tm;
  const std::vector<LogicalType> types{LogicalType::bigint(), LogicalType::integer(), LogicalType::varchar()};
  DataTable table(types);
  constexpr size_t kBatch = 700, kBatches = 120;
  auto text_of = [](int64_t key) {
    return key % 4 == 0 ? std::string("a string long enough for the heap #") + std::to_string(key % 3)
                        : std::string("short") + std::to_string(key % 5);
  };
  std::atomic<bool> done{false};
  std::atomic<bool> bad{false};
  std::thread writer([&] {
    for (size_t b = 0; b < kBatches; b++) {
      auto txn = tm.begin();
      DataChunk chunk;
      chunk.initialize(types);
      for (size_t r = 0; r < kBatch; r++) {
        const auto key = static_cast<int64_t>(b * kBatch + r);
        chunk.set_value(0, r, Value::bigint(key));
        chunk.set_value(1, r, key % 9 == 0 ? Value::null(LogicalType::integer()) : Value::integer(static_cast<int32_t>(key % 1000)));
        chunk.set_value(2, r, Value::varchar(text_of(key)));
      }
      chunk.set_size(kBatch);
      table.append(*txn, chunk);
      tm.commit(*txn);
    }
    done = true;
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; t++) {
    readers.emplace_back([&] {
      while (!done && !bad) {
        auto txn = tm.begin();
        TableFilterSet filters;
        filters.add(2, std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::varchar("short")));
        auto global = table.begin_scan(*txn, {0, 1, 2}, std::move(filters));
        LocalTableScanState local;
        DataChunk out;
        out.initialize(types);
        while (table.next_morsel(*global, local)) {
          while (table.scan(local, out)) {
            for (size_t r = 0; r < out.size(); r++) {
              const int64_t key = out.get_value(0, r).get_int64();
              const Value n = out.get_value(1, r);
              const bool n_ok = key % 9 == 0 ? n.is_null() : (!n.is_null() && n.get_int64() == key % 1000);
              if (!n_ok || key % 4 == 0 || !(out.get_value(2, r) == Value::varchar(text_of(key)))) bad = true;
            }
          }
        }
        tm.commit(*txn);
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_FALSE(bad.load());
  size_t encoded = 0;
  for (const SegmentStats& s : table.segment_stats()) encoded += s.encoding != SegmentEncoding::kUncompressed;
  EXPECT_GT(encoded, 0u);
}

}  // namespace
TEST(EncodedSegmentTest, DurableFormRejectsTruncationAndSurvivesByteFlips) {
  const size_t n = 300;
  std::vector<std::pair<LogicalType, std::vector<Value>>> cases;
  std::vector<Value> ints, words, nulls, sorted;
  for (size_t i = 0; i < n; i++) {
    ints.push_back(i % 7 == 0 ? Value::null(LogicalType::integer()) : Value::integer(static_cast<int32_t>(i % 50)));
    words.push_back(Value::varchar(i % 3 ? "short" : "a string longer than the inline limit"));
    nulls.push_back(Value::null(LogicalType::bigint()));
    sorted.push_back(Value::bigint(static_cast<int64_t>(i * 3)));
  }
  cases.emplace_back(LogicalType::integer(), ints);
  cases.emplace_back(LogicalType::varchar(), words);
  cases.emplace_back(LogicalType::bigint(), nulls);
  cases.emplace_back(LogicalType::bigint(), sorted);
  size_t segments = 0;
  for (const auto& [type, values] : cases) {
    const Vector source = make_vector(type, values);
    for (SegmentEncoding e : kAllEncodings) {
      auto segment = EncodedSegment::encode_as(e, type, source, n, ZoneMap(type));
      if (!segment) continue;
      segments++;
      BinaryWriter out;
      segment->write(out);
      const std::string bytes = out.data();
      for (size_t len = 0; len < bytes.size(); len++) {
        BinaryReader in(std::string_view(bytes).substr(0, len), "segment");
        try {
          EncodedSegment::read(in, type);
          ADD_FAILURE() << segment_encoding_name(e) << ": a prefix of " << len << " bytes was read";
        } catch (const SqlError& error) {
          EXPECT_EQ(SqlState::kDataCorrupted, error.state());
        }
      }
      // A flipped byte is caught or decodes to a segment that reads within its bounds (data
      // files add a checksum over this; the checks keep a bad block from reading wild memory).
      for (size_t pos = 0; pos < bytes.size(); pos++) {
        std::string flipped = bytes;
        flipped[pos] = static_cast<char>(flipped[pos] ^ 0x5a);
        BinaryReader in(flipped, "segment");
        try {
          auto copy = EncodedSegment::read(in, type);
          Vector out(type, kVectorSize);
          copy->scan(0, nullptr, copy->count(), out, 0);
        } catch (const SqlError& error) {
          EXPECT_EQ(SqlState::kDataCorrupted, error.state());
        }
      }
    }
  }
  EXPECT_GE(segments, 8u);
}

}  // namespace tessera::storage
