// Ground truth of the injected frauds (labels.jsonl): one label per case,
// naming the rule it should trip, its subject exactly as SPEC §4 defines
// the rule's subject, and the events that make it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fupin::generator {

// A label lists at most this many event ids (FP-20's fabricated sales run
// into the thousands at large scale); the description gives the total.
inline constexpr std::size_t kMaxLabelEventIds = 1000;

struct Label {
  std::string rule;     // "FP-07"
  std::string subject;  // "household:H433127-5F3A9C21"
  std::string description;
  std::vector<std::string> event_ids;
  int64_t event_count = 0;  // events of the case, listed or not
};

// Collects cases while the world is planned and their event ids while the
// events are written. Not thread-safe (the generator's thread only).
class LabelBook {
 public:
  // A new case; returns its id for AddEvent.
  int Open(std::string rule, std::string subject, std::string description);
  void AddEvent(int case_id, const std::string& event_id);
  void SetDescription(int case_id, std::string description);
  Label& at(int case_id) { return labels_[static_cast<std::size_t>(case_id)]; }
  const std::vector<Label>& labels() const { return labels_; }

  // JSON lines ordered by rule, then by case: {"rule","subject",
  // "event_ids","description"}.
  std::string ToJsonLines() const;

 private:
  std::vector<Label> labels_;
};

}  // namespace fupin::generator
