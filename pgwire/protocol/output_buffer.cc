#include "pgwire/protocol/output_buffer.h"

namespace tessera::pgwire {

OutputBuffer::OutputBuffer(ConnectionOutput& sink, size_t flush_threshold)
    : sink_(sink), flush_threshold_(flush_threshold) {}

void OutputBuffer::flush() {
  if (buffer_.empty()) return;
  sink_.write(buffer_);
  buffer_.clear();
}

}  // namespace tessera::pgwire
