#include "generator/labels.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fupin::generator {

int LabelBook::Open(std::string rule, std::string subject, std::string description) {
  Label label;
  label.rule = std::move(rule);
  label.subject = std::move(subject);
  label.description = std::move(description);
  labels_.push_back(std::move(label));
  return static_cast<int>(labels_.size() - 1);
}

void LabelBook::AddEvent(int case_id, const std::string& event_id) {
  Label& label = at(case_id);
  ++label.event_count;
  if (label.event_ids.size() < kMaxLabelEventIds) {
    label.event_ids.push_back(event_id);
  }
}

void LabelBook::SetDescription(int case_id, std::string description) {
  at(case_id).description = std::move(description);
}

std::string LabelBook::ToJsonLines() const {
  std::vector<std::size_t> order(labels_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    return labels_[a].rule < labels_[b].rule;
  });
  std::string out;
  for (std::size_t i : order) {
    const Label& label = labels_[i];
    boost::json::object line;
    line["rule"] = label.rule;
    line["subject"] = label.subject;
    boost::json::array ids;
    for (const std::string& id : label.event_ids) ids.emplace_back(id);
    line["event_ids"] = std::move(ids);
    line["description"] = label.description;
    out += boost::json::serialize(line);
    out += '\n';
  }
  return out;
}

}  // namespace fupin::generator
