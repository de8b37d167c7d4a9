#include "executor/operator/ddl/physical_explain.h"

#include <cstdio>
#include <map>

#include "executor/operator_profile.h"
#include "executor/pipeline.h"

namespace tessera::executor {

PhysicalExplain::PhysicalExplain(std::vector<std::string> lines)
    : PhysicalOperator("EXPLAIN", {LogicalType::varchar()}), lines_(std::move(lines)) {}

SourceResult PhysicalExplain::get_data(WorkerContext&, DataChunk& out, GlobalState&, LocalState&) const {
  for (size_t i = 0; i < lines_.size(); i++) out.set_value(0, i, Value::varchar(lines_[i]));
  out.set_size(lines_.size());
  return SourceResult::kFinished;
}

namespace {

// Appends the lines of `text` (separated by newlines) to `out`.
void split_lines(const std::string& text, std::vector<std::string>& out) {
  for (size_t start = 0;;) {
    const size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

void render_tree(const PhysicalOperator& op, int depth, const QueryProfile* profile, bool timing,
                 std::vector<std::string>& lines) {
  std::string line = depth == 0 ? "" : std::string((depth - 1) * 6, ' ') + "  ->  ";
  line += op.name();
  // Details after the first line (e.g. a scan's "Table Filters: ...") go on their own lines,
  // indented under the operator as PostgreSQL prints Filter lines.
  std::vector<std::string> details;
  split_lines(op.explain_details(), details);
  if (!details[0].empty()) line += " " + details[0];
  details.erase(details.begin());
  char text[96];
  std::snprintf(text, sizeof(text), "  (rows=%.0f)", op.estimated_rows);
  line += text;
  if (profile) {
    const OperatorProfile actual = profile->get(op);
    if (timing) {
      std::snprintf(text, sizeof(text), " (actual rows=%llu time=%.3f ms)",
                    static_cast<unsigned long long>(actual.rows()), static_cast<double>(actual.nanos) / 1e6);
    } else {
      std::snprintf(text, sizeof(text), " (actual rows=%llu)", static_cast<unsigned long long>(actual.rows()));
    }
    line += text;
    if (const std::string analyzed = op.explain_analyze_details(actual); !analyzed.empty()) {
      split_lines(analyzed, details);
    }
  }
  lines.push_back(line);
  const std::string indent(depth == 0 ? 2 : depth * 6 + 2, ' ');
  for (const auto& e : details) lines.push_back(indent + e);
  for (const auto& child : op.children()) render_tree(*child, depth + 1, profile, timing, lines);
}

}  // namespace

std::string PhysicalExplain::milliseconds_line(const char* label, uint64_t nanos) {
  char text[96];
  std::snprintf(text, sizeof(text), "%s: %.3f ms", label, static_cast<double>(nanos) / 1e6);
  return text;
}

std::vector<std::string> PhysicalExplain::render(const PhysicalOperator& root, const QueryProfile* profile,
                                                 bool timing) {
  std::vector<std::string> lines;
  // The root is the result sink; the tree below it is the plan.
  render_tree(*root.children()[0], 0, profile, timing, lines);
  auto pipelines = PipelineBuilder::build(root);
  std::map<const Pipeline*, size_t> numbers;
  auto order = pipelines->schedule_order();
  for (size_t i = 0; i < order.size(); i++) numbers[order[i]] = i + 1;
  lines.push_back("Pipelines:");
  for (const Pipeline* p : order) {
    std::string line = "  " + std::to_string(numbers[p]) + ": " + p->source->name();
    for (const auto* op : p->operators) line += " -> " + op->name();
    line += " -> " + p->sink->name();
    if (!p->dependencies.empty()) {
      line += "  (after";
      for (const Pipeline* d : p->dependencies) line += " " + std::to_string(numbers[d]);
      line += ")";
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace tessera::executor
