// Test support for the generator tests: a campaign generated into a fresh
// temp directory (removed at destruction), and file helpers.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "generator/campaign_generator.h"
#include "tests/support/fixtures.h"

namespace fupin::generator::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// Every regular file under `dir`, as paths relative to it, sorted.
inline std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files.push_back(std::filesystem::relative(entry.path(), dir).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A generated campaign in its own temp directory.
class GeneratedCampaign {
 public:
  GeneratedCampaign(uint64_t seed, const std::string& scale, int threads = 2) {
    root_ = fupin::testing::MakeTempDir("fupin-gen");
    dir_ = root_ + "/campaign";
    GenerateOptions options;
    options.seed = seed;
    Result<Scale> parsed = ParseScale(scale);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) options.scale = *parsed;
    options.out_dir = dir_;
    options.threads = threads;
    Result<GenerateSummary> summary = GenerateCampaign(options);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    if (summary.ok()) summary_ = *summary;
  }
  ~GeneratedCampaign() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  GeneratedCampaign(const GeneratedCampaign&) = delete;
  GeneratedCampaign& operator=(const GeneratedCampaign&) = delete;

  const std::string& dir() const { return dir_; }
  const GenerateSummary& summary() const { return summary_; }
  std::string Read(const std::string& relative) const { return ReadFile(dir_ + "/" + relative); }

 private:
  std::string root_;
  std::string dir_;
  GenerateSummary summary_;
};

}  // namespace fupin::generator::testing
