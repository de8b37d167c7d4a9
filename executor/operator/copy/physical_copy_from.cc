#include "executor/operator/copy/physical_copy_from.h"

#include <exception>
#include <map>
#include <mutex>

#include "executor/expression/cast.h"
#include "executor/operator/copy/copy_reader.h"
#include "src/common/run_once.h"
#include "src/common/utf8.h"

namespace tessera::executor {

namespace {

/// One parsed block: its chunks in row order, or the error its rows raised (after the chunks
/// of the rows before it).
struct ParsedBlock {
  std::vector<DataChunk> chunks;
  std::vector<std::vector<CopyRowContexts::Row>> rows;  ///< per chunk: its rows' lines and texts
  std::exception_ptr error;
};

/// Blocks are parsed in parallel but handed to the sink in block order, so the table gets the
/// rows in input order. One worker at a time is the emitter: it returns the next block's
/// chunks one per call while they are parsed, keeping the role across calls (so its sink
/// appended each before it returns the next), and gives it up when the next block is not
/// parsed yet; the worker that finishes parsing that block then takes it over.
struct CopyFromGlobalState : GlobalState {
  RunOnce split;
  std::vector<CopyBlock> blocks;
  size_t threads = 1;
  size_t max_threads() const override { return threads; }

  std::mutex mutex;              // guards everything below
  size_t next_block = 0;         ///< next block to parse
  std::map<size_t, ParsedBlock> parsed;  ///< parsed blocks not emitted yet
  size_t emit_block = 0;         ///< the block whose chunks are emitted next
  size_t emit_chunk = 0;         ///< its next chunk
  bool emitter_taken = false;
  bool failed = false;           ///< a block failed: no more blocks are parsed
  std::vector<CopyRowContexts::Row> current_rows;  ///< the rows of the chunk emitted last
};

struct CopyFromLocalState : LocalState {
  CopyFromLocalState(const CopyFormat& format, std::vector<std::string> names, std::string table_name)
      : parser(format, std::move(names), std::move(table_name)) {}
  CopyRowParser parser;
  bool emitter = false;  ///< this worker is the global state's emitter
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
      input_(std::move(input)),
      row_contexts_(std::make_shared<CopyRowContexts>(table_name_)) {}

std::unique_ptr<GlobalState> PhysicalCopyFrom::make_global_source(QueryContext& query) const {
  auto state = std::make_unique<CopyFromGlobalState>();
  state->threads = query.max_threads;
  return state;
}

std::unique_ptr<LocalState> PhysicalCopyFrom::make_local_source(WorkerContext&, GlobalState&) const {
  return std::make_unique<CopyFromLocalState>(format_, names_, table_name_);
}

void PhysicalCopyFrom::parse_block(LocalState& local_state, const CopyBlock& block, std::vector<DataChunk>& chunks,
                                   std::vector<std::vector<CopyRowContexts::Row>>& rows) const {
  auto& local = static_cast<CopyFromLocalState&>(local_state);
  const std::string_view data = input_->data;
  const size_t num_columns = types_.size();
  std::vector<LogicalType> text_types(num_columns, LogicalType::varchar());
  size_t pos = block.begin;
  uint64_t line = block.first_line;
  CopyEol eol = block.eol;
  while (pos < block.end) {
    DataChunk text;
    text.initialize(text_types);
    local.lines.clear();
    local.rows.clear();
    size_t count = 0;
    while (count < kVectorSize && pos < block.end) {
      CopyRowExtent extent = find_copy_row(data, pos, format_, eol);
      if (extent.end_marker && extent.content_end == pos) {
        pos = block.end;
        break;
      }
      local.parser.parse_row(data, pos, extent, line);
      const auto& fields = local.parser.fields();
      for (size_t c = 0; c < num_columns; c++) {
        Vector& column = text.column(c);
        if (fields[c].is_null) {
          column.mutable_validity().set_invalid(count);
        } else {
          column.mutable_values<string_t>()[count] = column.string_heap().add(fields[c].text);
        }
      }
      local.lines.push_back(line);
      local.rows.emplace_back(pos, extent);
      count++;
      pos = extent.end_marker ? block.end : extent.next;
      line++;
    }
    if (count == 0) break;
    text.set_size(count);
    DataChunk& out = chunks.emplace_back();
    out.initialize(types_);
    try {
      for (size_t c = 0; c < num_columns; c++) {
        if (types_[c] == LogicalType::varchar()) {
          out.column(c).reference(text.column(c));
        } else {
          execute_cast(text.column(c), nullptr, count, out.column(c));
        }
      }
    } catch (SqlError&) {
      chunks.pop_back();
      // Find the first value in row order that fails, to report it with its line and column.
      for (size_t r = 0; r < count; r++) {
        const sel_t row = static_cast<sel_t>(r);
        for (size_t c = 0; c < num_columns; c++) {
          if (types_[c] == LogicalType::varchar()) continue;
          Vector scratch(types_[c]);
          try {
            execute_cast(text.column(c), &row, 1, scratch);
          } catch (SqlError& error) {
            const auto& [row_pos, extent] = local.rows[r];
            local.parser.parse_row(data, row_pos, extent, local.lines[r]);
            error.with_context(local.parser.column_context(local.lines[r], c, local.parser.fields()[c]));
            throw;
          }
        }
      }
      throw;
    }
    out.set_size(count);
    auto& chunk_rows = rows.emplace_back();
    chunk_rows.reserve(count);
    for (size_t r = 0; r < count; r++) {
      const auto& [row_pos, extent] = local.rows[r];
      chunk_rows.push_back({local.lines[r], data.substr(row_pos, extent.content_end - row_pos)});
    }
  }
}

SourceResult PhysicalCopyFrom::get_data(WorkerContext& worker, DataChunk& out, GlobalState& global_state,
                                        LocalState& local_state) const {
  auto& global = static_cast<CopyFromGlobalState&>(global_state);
  auto& local = static_cast<CopyFromLocalState&>(local_state);
  global.split.run([&] {
    const std::string_view data = input_->data;
    check_input_encoding(data, table_name_);
    global.blocks = split_copy_input(data, format_, kBlockBytes, table_name_);
  });
  std::unique_lock lock(global.mutex);
  for (;;) {
    if (!local.emitter && !global.emitter_taken) {
      local.emitter = true;
      global.emitter_taken = true;
    }
    if (local.emitter) {
      // Emit the next chunk in input order when its block is parsed.
      for (;;) {
        if (global.emit_block >= global.blocks.size()) {
          row_contexts_->set_current(nullptr);
          local.emitter = false;
          out.set_size(0);
          return SourceResult::kFinished;
        }
        auto it = global.parsed.find(global.emit_block);
        if (it == global.parsed.end()) break;
        ParsedBlock& block = it->second;
        if (global.emit_chunk < block.chunks.size()) {
          out.reference(block.chunks[global.emit_chunk]);
          block.chunks[global.emit_chunk] = DataChunk();
          global.current_rows = std::move(block.rows[global.emit_chunk]);
          row_contexts_->set_current(&global.current_rows);
          global.emit_chunk++;
          return SourceResult::kHaveMoreOutput;
        }
        if (block.error) {
          row_contexts_->set_current(nullptr);
          std::rethrow_exception(block.error);
        }
        global.parsed.erase(it);
        global.emit_block++;
        global.emit_chunk = 0;
      }
      // The next block is not parsed yet: whoever parses it takes over.
      local.emitter = false;
      global.emitter_taken = false;
    }
    if (global.failed || global.next_block >= global.blocks.size()) {
      // Nothing left to parse: the emitter, or the worker still parsing, emits the rest.
      out.set_size(0);
      return SourceResult::kFinished;
    }
    const size_t index = global.next_block++;
    lock.unlock();
    ParsedBlock parsed;
    try {
      worker.query.check_cancelled();
      parse_block(local, global.blocks[index], parsed.chunks, parsed.rows);
    } catch (...) {
      parsed.error = std::current_exception();
    }
    lock.lock();
    if (parsed.error) global.failed = true;
    global.parsed.emplace(index, std::move(parsed));
  }
}

}  // namespace tessera::executor
