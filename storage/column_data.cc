#include "storage/column_data.h"

#include <algorithm>

#include "src/common/assert.h"
#include "storage/buffer_pool.h"
#include "storage/encoded_segment.h"

namespace tessera::storage {

void ColumnData::append(const UnifiedVectorFormat& source, size_t source_offset, size_t row_start, size_t count) {
  TS_CHECK(row_start + count <= kRowGroupSize, "append past the end of a row group");
  ZoneMap appended(type_);
  size_t done = 0;
  while (done < count) {
    const size_t row = row_start + done;
    const size_t listed = segment_count_.load(std::memory_order_relaxed);
    if (tail_ == nullptr) {
      TS_CHECK(listed < kMaxSegments, "too many segments in a row group");
      const size_t start = listed == 0 ? 0 : segments_[listed - 1].start + segment(listed - 1)->capacity();
      TS_CHECK(start == row, "segments must cover the row group without gaps");
      tail_ = std::make_shared<UncompressedSegment>(type_);
      tail_index_ = listed;
      segments_[listed].start = start;
      {
        std::lock_guard<std::mutex> lock(segments_mutex_);
        segments_[listed].segment = tail_;
      }
      segment_count_.store(listed + 1, std::memory_order_release);
    }
    const size_t offset = tail_->count();
    const size_t n = std::min(count - done, tail_->capacity() - offset);
    appended.merge(tail_->append(source, source_offset + done, offset, n));
    if (offset + n == tail_->capacity()) seal_tail();
    done += n;
  }
  std::lock_guard<std::mutex> lock(zone_mutex_);
  zone_map_.merge(appended);
}

void ColumnData::seal_tail() {
  tail_->seal();
  const Vector* values = tail_->reference(0, tail_->capacity());
  TS_CHECK(values != nullptr, "a sealed segment hands out its vector");
  if (auto encoded = EncodedSegment::encode(type_, *values, tail_->count(), tail_->zone_map())) {
    // Readers holding the uncompressed segment keep it alive until they are done.
    std::shared_ptr<const ColumnSegment> replacement(std::move(encoded));
    std::lock_guard<std::mutex> lock(segments_mutex_);
    segments_[tail_index_].segment = std::move(replacement);
  }
  tail_.reset();
}

ColumnData::~ColumnData() {
  if (file_backed()) BufferPool::instance().forget(this);
}

std::shared_ptr<const ColumnSegment> ColumnData::segment(size_t index) const {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(segments_mutex_);
      if (segments_[index].segment) {
        if (file_backed()) referenced_.store(true, std::memory_order_relaxed);
        return segments_[index].segment;
      }
    }
    load();
  }
}

void ColumnData::load() const {
  std::lock_guard<std::mutex> one_load(load_mutex_);
  {
    std::lock_guard<std::mutex> lock(segments_mutex_);
    if (loaded_) return;
  }
  auto loaded = loader_->load();
  TS_CHECK(loaded.size() == infos_.size(), "a column loaded with another number of segments");
  size_t bytes = 0;
  for (size_t i = 0; i < loaded.size(); i++) {
    TS_CHECK(loaded[i]->count() == infos_[i].count, "a segment loaded with another number of rows");
    bytes += loaded[i]->memory_bytes();
  }
  {
    std::lock_guard<std::mutex> lock(segments_mutex_);
    for (size_t i = 0; i < loaded.size(); i++) segments_[i].segment = std::move(loaded[i]);
    loaded_ = true;
  }
  referenced_.store(true, std::memory_order_relaxed);
  BufferPool::instance().loaded(this, bytes);
}

bool ColumnData::evict() const {
  std::lock_guard<std::mutex> lock(segments_mutex_);
  if (!loaded_) return false;
  for (size_t i = 0; i < infos_.size(); i++) segments_[i].segment.reset();
  loaded_ = false;
  return true;
}

void ColumnData::restore_unloaded(std::shared_ptr<const SegmentLoader> loader, std::vector<SegmentInfo> infos) {
  TS_CHECK(segment_count() == 0 && infos.size() <= kMaxSegments && loader != nullptr,
           "restore of segments into a column that has some");
  ZoneMap zone(type_);
  size_t start = 0;
  for (size_t i = 0; i < infos.size(); i++) {
    zone.merge(infos[i].zone_map);
    segments_[i].start = start;
    start += infos[i].count;
  }
  loader_ = std::move(loader);
  infos_ = std::move(infos);
  file_backed_.store(true, std::memory_order_release);
  segment_count_.store(infos_.size(), std::memory_order_release);
  std::lock_guard<std::mutex> lock(zone_mutex_);
  zone_map_ = std::move(zone);
}

void ColumnData::attach_file(std::shared_ptr<const SegmentLoader> loader, std::vector<SegmentInfo> infos) const {
  TS_CHECK(!file_backed() && loader != nullptr && infos.size() == segment_count(),
           "a data file attached to a column that has one or other segments");
  size_t bytes = 0;
  {
    std::lock_guard<std::mutex> lock(segments_mutex_);
    for (size_t i = 0; i < infos.size(); i++) {
      const auto& segment = segments_[i].segment;
      TS_CHECK(segment && segment->count() == infos[i].count && segment->count() == segment->capacity(),
               "a data file attached to a column of other segments");
      bytes += segment->memory_bytes();
    }
    loader_ = std::move(loader);
    infos_ = std::move(infos);
    loaded_ = true;
  }
  file_backed_.store(true, std::memory_order_release);
  BufferPool::instance().loaded(this, bytes);
}

ZoneCheck ColumnData::check_zone(size_t index, const TableFilter& filter) const {
  if (file_backed()) return filter.check_zone(infos_[index].zone_map);
  return segment(index)->check_zone(filter);
}

ZoneMap ColumnData::segment_zone_map(size_t index) const {
  if (file_backed()) return infos_[index].zone_map;
  return segment(index)->zone_map();
}

std::vector<SegmentInfo> ColumnData::segment_infos() const {
  if (file_backed()) return infos_;
  std::vector<SegmentInfo> out;
  for (const auto& segment : segments()) {
    out.push_back(SegmentInfo{segment->count(), segment->encoding(), segment->memory_bytes(),
                              segment->uncompressed_bytes(), segment->zone_map()});
  }
  return out;
}

std::vector<std::shared_ptr<const ColumnSegment>> ColumnData::segments() const {
  const size_t n = segment_count();
  std::vector<std::shared_ptr<const ColumnSegment>> out;
  out.reserve(n);
  for (size_t i = 0; i < n; i++) out.push_back(segment(i));
  return out;
}

size_t ColumnData::segment_index(size_t row) const {
  const size_t n = segment_count();
  TS_DCHECK(n > 0, "no segment holds the row");
  // The last segment whose start is <= row.
  size_t lo = 0, hi = n;
  while (hi - lo > 1) {
    const size_t mid = (lo + hi) / 2;
    if (segments_[mid].start <= row) lo = mid; else hi = mid;
  }
  return lo;
}

ZoneMap ColumnData::zone_map() const {
  std::lock_guard<std::mutex> lock(zone_mutex_);
  return zone_map_;
}

void ColumnData::scan(size_t row_start, size_t window_rows, const sel_t* sel, size_t count, Vector& out) const {
  const size_t first = segment_index(row_start);
  const size_t first_start = segments_[first].start;
  const auto first_pinned = segment(first);
  const ColumnSegment& first_segment = *first_pinned;
  const size_t window_end = row_start + window_rows;
  if (window_end <= first_start + first_segment.capacity()) {
    // The window lies in one segment: reference it when it hands out a vector for the window.
    if (const Vector* whole = first_segment.reference(row_start - first_start, window_rows)) {
      if (sel == nullptr || count == window_rows) {
        out.reference(*whole);
      } else {
        out.slice(*whole, SelectionVector(const_cast<sel_t*>(sel)), count);  // NOLINT: read-only view
      }
      return;
    }
    out.reset(std::max(count, kVectorSize));
    first_segment.scan(row_start - first_start, sel, count, out, 0);
    return;
  }
  // The window spans segments: decode each segment's part.
  out.reset(std::max(count, kVectorSize));
  size_t done = 0;
  size_t index = first;
  while (done < count) {
    const size_t seg_start = segments_[index].start;
    const auto pinned = segment(index);
    const ColumnSegment& segment = *pinned;
    const size_t seg_end = seg_start + segment.capacity();
    if (sel == nullptr) {
      const size_t row = row_start + done;
      const size_t n = std::min(count - done, seg_end - row);
      segment.scan(row - seg_start, nullptr, n, out, done);
      done += n;
    } else {
      // Rows sel[done..k) fall into this segment; rebase them to the segment.
      sel_t rebased[kVectorSize];
      size_t k = done;
      while (k < count && row_start + sel[k] < seg_end) {
        rebased[k - done] = static_cast<sel_t>(row_start + sel[k] - seg_start);
        k++;
      }
      if (k > done) segment.scan(0, rebased, k - done, out, done);
      done = k;
    }
    index++;
  }
}

size_t ColumnData::select(const TableFilter& filter, size_t row_start, const sel_t* sel_in, size_t count,
                         sel_t* sel_out) const {
  if (count == 0) return 0;
  const size_t first = segment_index(row_start);
  const size_t first_start = segments_[first].start;
  const auto first_pinned = segment(first);
  const ColumnSegment& first_segment = *first_pinned;
  const size_t last_row = row_start + (sel_in ? sel_in[count - 1] : count - 1);
  if (last_row < first_start + first_segment.capacity()) {
    return first_segment.select(filter, row_start - first_start, sel_in, count, sel_out);
  }
  // The rows span segments: filter each segment's part, keeping offsets from row_start.
  size_t kept = 0;
  size_t done = 0;
  size_t index = first;
  sel_t rebased[kVectorSize];
  while (done < count) {
    const size_t seg_start = segments_[index].start;
    const auto pinned = segment(index);
    const ColumnSegment& segment = *pinned;
    const size_t seg_end = seg_start + segment.capacity();
    size_t k = done;
    for (; k < count; k++) {
      const size_t row = row_start + (sel_in ? sel_in[k] : k);
      if (row >= seg_end) break;
      rebased[k - done] = static_cast<sel_t>(row - seg_start);
    }
    const size_t n = segment.select(filter, 0, rebased, k - done, rebased);
    for (size_t i = 0; i < n; i++) sel_out[kept++] = static_cast<sel_t>(rebased[i] + seg_start - row_start);
    done = k;
    index++;
  }
  return kept;
}

}  // namespace tessera::storage
