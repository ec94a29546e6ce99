// A one-line progress meter for long commands: on stderr, only when it is a
// terminal, redrawn at most once per percent.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <string>

namespace fupin::cli {

class ProgressMeter {
 public:
  explicit ProgressMeter(std::string label)
      : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}
  ~ProgressMeter() {
    if (shown_) std::cerr << '\n';
  }
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  void operator()(uint64_t position, uint64_t target) {
    if (!enabled_ || target == 0) return;
    const int percent = static_cast<int>(position * 100 / target);
    if (percent == last_percent_) return;
    last_percent_ = percent;
    shown_ = true;
    std::cerr << '\r' << label_ << ": " << percent << "% (" << position << "/" << target
              << " records)" << std::flush;
  }

 private:
  std::string label_;
  bool enabled_;
  bool shown_ = false;
  int last_percent_ = -1;
};

}  // namespace fupin::cli
