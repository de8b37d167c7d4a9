#include "executor/operator/copy/physical_copy_from.h"

#include <atomic>
#include <mutex>

#include "executor/expression/cast.h"
#include "executor/operator/copy/copy_reader.h"
#include "src/common/utf8.h"

namespace tessera::executor {

namespace {

struct CopyFromGlobalState : GlobalState {
  std::once_flag split;
  std::vector<CopyBlock> blocks;
  std::atomic<size_t> next_block{0};
  size_t threads = 1;
  size_t max_threads() const override { return threads; }
};

struct CopyFromLocalState : LocalState {
  CopyFromLocalState(const CopyFormat& format, std::vector<std::string> names, std::string table_name)
      : parser(format, std::move(names), std::move(table_name)) {}
  CopyRowParser parser;
  bool has_block = false;
  CopyBlock block;
  size_t pos = 0;       ///< next row of the block
  uint64_t line = 0;    ///< its line number
  /// Per row of the chunk being built: its line and where its text is (for error contexts).
  std::vector<uint64_t> lines;
  std::vector<std::pair<size_t, CopyRowExtent>> rows;
};

/// Raises 22021 for the first invalid UTF-8 sequence in `data`, with the line it is on.
void check_input_encoding(std::string_view data, const std::string& table_name) {
  const size_t bad = utf8_invalid_offset(data.data(), data.size());
  if (bad >= data.size()) return;
  uint64_t line = 1;
  for (size_t i = 0; i < bad; i++) line += data[i] == '\n';
  try {
    utf8_check(data.substr(bad));
  } catch (SqlError& error) {
    error.with_context(copy_line_context(table_name, line));
    throw;
  }
}

}  // namespace

PhysicalCopyFrom::PhysicalCopyFrom(std::vector<LogicalType> types, std::vector<std::string> names,
                                   std::string table_name, CopyFormat format,
                                   std::shared_ptr<const planner::CopyInput> input)
    : PhysicalOperator("COPY_FROM", std::move(types)),
      names_(std::move(names)),
      table_name_(std::move(table_name)),
      format_(std::move(format)),
      input_(std::move(input)) {}

std::unique_ptr<GlobalState> PhysicalCopyFrom::make_global_source(QueryContext& query) const {
  auto state = std::make_unique<CopyFromGlobalState>();
  state->threads = query.max_threads;
  return state;
}

std::unique_ptr<LocalState> PhysicalCopyFrom::make_local_source(WorkerContext&, GlobalState&) const {
  return std::make_unique<CopyFromLocalState>(format_, names_, table_name_);
}

SourceResult PhysicalCopyFrom::get_data(WorkerContext&, DataChunk& out, GlobalState& global_state,
                                        LocalState& local_state) const {
  auto& global = static_cast<CopyFromGlobalState&>(global_state);
  auto& local = static_cast<CopyFromLocalState&>(local_state);
  const std::string_view data = input_->data;
  std::call_once(global.split, [&] {
    check_input_encoding(data, table_name_);
    global.blocks = split_copy_input(data, format_, kBlockBytes, table_name_);
  });

  const size_t num_columns = types_.size();
  DataChunk text;
  std::vector<LogicalType> text_types(num_columns, LogicalType::varchar());
  text.initialize(text_types);
  local.lines.clear();
  local.rows.clear();
  size_t count = 0;
  while (count < kVectorSize) {
    if (!local.has_block || local.pos >= local.block.end) {
      const size_t next = global.next_block.fetch_add(1);
      if (next >= global.blocks.size()) {
        local.has_block = false;
        break;
      }
      local.block = global.blocks[next];
      local.has_block = true;
      local.pos = local.block.begin;
      local.line = local.block.first_line;
      if (local.pos >= local.block.end) continue;
    }
    CopyRowExtent extent = find_copy_row(data, local.pos, format_);
    if (extent.end_marker && extent.content_end == local.pos) {
      local.pos = local.block.end;
      continue;
    }
    local.parser.parse_row(data, local.pos, extent, local.line);
    const auto& fields = local.parser.fields();
    for (size_t c = 0; c < num_columns; c++) {
      Vector& column = text.column(c);
      if (fields[c].is_null) {
        column.mutable_validity().set_invalid(count);
      } else {
        column.mutable_values<string_t>()[count] = column.string_heap().add(fields[c].text);
      }
    }
    local.lines.push_back(local.line);
    local.rows.emplace_back(local.pos, extent);
    count++;
    local.pos = extent.end_marker ? local.block.end : extent.next;
    local.line++;
  }
  if (count == 0) {
    out.set_size(0);
    return SourceResult::kFinished;
  }
  text.set_size(count);
  try {
    for (size_t c = 0; c < num_columns; c++) {
      if (types_[c] == LogicalType::varchar()) {
        out.column(c).reference(text.column(c));
      } else {
        execute_cast(text.column(c), nullptr, count, out.column(c));
      }
    }
  } catch (SqlError&) {
    // Find the first value in row order that fails, to report it with its line and column.
    for (size_t r = 0; r < count; r++) {
      const sel_t row = static_cast<sel_t>(r);
      for (size_t c = 0; c < num_columns; c++) {
        if (types_[c] == LogicalType::varchar()) continue;
        Vector scratch(types_[c]);
        try {
          execute_cast(text.column(c), &row, 1, scratch);
        } catch (SqlError& error) {
          const auto& [pos, extent] = local.rows[r];
          local.parser.parse_row(data, pos, extent, local.lines[r]);
          error.with_context(local.parser.column_context(local.lines[r], c, local.parser.fields()[c]));
          throw;
        }
      }
    }
    throw;
  }
  out.set_size(count);
  return SourceResult::kHaveMoreOutput;
}

}  // namespace tessera::executor
