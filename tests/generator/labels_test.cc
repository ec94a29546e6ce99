// labels.jsonl: every rule of SPEC §4 has injected cases, each label's
// subject has the kind the rule's subject column names, and its evidence
// is in events.jsonl.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <set>

#include "tests/generator/generated_campaign.h"

namespace fupin::generator {
namespace {

using testing::GeneratedCampaign;
using testing::Lines;

std::vector<boost::json::object> ParseLines(const std::string& text) {
  std::vector<boost::json::object> out;
  for (const std::string& line : Lines(text)) out.push_back(boost::json::parse(line).as_object());
  return out;
}

class GeneratedLabels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { campaign_ = new GeneratedCampaign(11, "small"); }
  static void TearDownTestSuite() {
    delete campaign_;
    campaign_ = nullptr;
  }
  static std::vector<boost::json::object> Labels() {
    return ParseLines(campaign_->Read("labels.jsonl"));
  }
  static GeneratedCampaign* campaign_;
};
GeneratedCampaign* GeneratedLabels::campaign_ = nullptr;

TEST_F(GeneratedLabels, CoverEveryRule) {
  std::set<std::string> rules;
  for (const boost::json::object& label : Labels()) {
    rules.insert(std::string(label.at("rule").as_string()));
  }
  for (int n = 1; n <= 20; ++n) {
    const std::string rule = (n < 10 ? "FP-0" : "FP-") + std::to_string(n);
    EXPECT_EQ(rules.count(rule), 1u) << rule << " has no label";
  }
  EXPECT_EQ(rules.size(), 20u);
}

TEST_F(GeneratedLabels, SubjectsHaveTheKindOfTheirRule) {
  // SPEC §4, subject column (FP-18: the stream entity; outlets here).
  const std::map<std::string, std::string> kinds = {
      {"FP-01", "product"}, {"FP-02", "outlet"},   {"FP-03", "product"},   {"FP-04", "product"},
      {"FP-05", "outlet"},  {"FP-06", "supplier"}, {"FP-07", "household"}, {"FP-08", "supplier"},
      {"FP-09", "product"}, {"FP-10", "product"},  {"FP-11", "product"},   {"FP-12", "outlet"},
      {"FP-13", "outlet"},  {"FP-14", "outlet"},   {"FP-15", "region"},    {"FP-16", "product"},
      {"FP-17", "outlet"},  {"FP-18", "outlet"},   {"FP-19", "org"},       {"FP-20", "region"}};
  std::set<std::pair<std::string, std::string>> seen;
  for (const boost::json::object& label : Labels()) {
    const std::string rule(label.at("rule").as_string());
    const std::string subject(label.at("subject").as_string());
    EXPECT_EQ(subject.substr(0, subject.find(':')), kinds.at(rule)) << rule << " " << subject;
    EXPECT_TRUE(seen.emplace(rule, subject).second) << "duplicate label " << rule << " " << subject;
    EXPECT_FALSE(label.at("description").as_string().empty());
  }
}

TEST_F(GeneratedLabels, EventIdsExistInEvents) {
  std::set<std::string> ids;
  for (const std::string& line : Lines(campaign_->Read("events.jsonl"))) {
    ids.insert(std::string(boost::json::parse(line).as_object().at("id").as_string()));
  }
  for (const boost::json::object& label : Labels()) {
    const boost::json::array& events = label.at("event_ids").as_array();
    EXPECT_FALSE(events.empty()) << label.at("subject").as_string();
    for (const boost::json::value& id : events) {
      EXPECT_EQ(ids.count(std::string(id.as_string())), 1u)
          << label.at("rule").as_string() << " names unknown event " << id.as_string();
    }
  }
}

}  // namespace
}  // namespace fupin::generator
