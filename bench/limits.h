// Shared by the benchmarks: measuring the physical limits they compare
// against in the same run, and recording results in docs/performance.md.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "verify/huge_pages.h"

namespace fupin::bench {

// Runs a shell command and returns its stdout ("" when it cannot run).
inline std::string RunCommand(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return "";
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
  return out;
}

struct SignatureSpeed {
  double sign_per_s = 0;    // one core
  double verify_per_s = 0;  // one core
};
using Ed25519Speed = SignatureSpeed;

// `openssl speed -seconds N ALG` for ALG "ed25519" or "sm2": the last two
// numbers of the line naming the algorithm ("Ed25519", "SM2") are sign/s
// and verify/s of one core. With `processes` > 1, `openssl speed -multi
// P`: the sum of P processes running at once (the last such line is the
// total).
inline SignatureSpeed MeasureSignatures(std::string_view alg, int seconds, unsigned processes = 1) {
  const std::string multi = processes > 1 ? " -multi " + std::to_string(processes) : "";
  std::string out = RunCommand("openssl speed -seconds " + std::to_string(seconds) + multi + " " +
                               std::string(alg) + " 2>/dev/null");
  const std::string marker = alg == "sm2" ? "SM2" : "Ed25519";
  SignatureSpeed speed;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(marker) == std::string::npos) continue;
    std::istringstream words(line);
    std::vector<std::string> tokens;
    for (std::string w; words >> w;) tokens.push_back(w);
    if (tokens.size() >= 2) {
      speed.sign_per_s = std::atof(tokens[tokens.size() - 2].c_str());
      speed.verify_per_s = std::atof(tokens.back().c_str());
    }
  }
  return speed;
}

inline SignatureSpeed MeasureEd25519(int seconds, unsigned processes = 1) {
  return MeasureSignatures("ed25519", seconds, processes);
}

// `openssl speed -seconds N -evp DIGEST` for "sha256" or "sm3": bytes/s of
// one core at 1024-byte blocks (the fifth column of the digest's line, in
// 1000s of bytes per second).
inline double MeasureDigestBytesPerSecond(std::string_view digest, int seconds) {
  std::string out = RunCommand("openssl speed -seconds " + std::to_string(seconds) + " -evp " +
                               std::string(digest) + " 2>/dev/null");
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(std::string(digest) + " ", 0) != 0) continue;
    std::istringstream words(line);
    std::vector<std::string> tokens;
    for (std::string w; words >> w;) tokens.push_back(w);
    // digest v16 v64 v256 v1024 v8192 v16384 (each "NNNk")
    if (tokens.size() >= 5) return std::atof(tokens[4].c_str()) * 1000.0;
  }
  return 0;
}

inline unsigned Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

// Nanoseconds per dependent load at random places of a `mebibytes` table
// (a pointer chase through one random cycle over its cache lines), in 4 KiB
// pages or advised into transparent huge pages: the memory system's limit
// on work that looks things up in large tables, as verification's fold
// and index tallies do.
inline double MeasureRandomLoadNs(std::size_t mebibytes, bool huge_pages) {
  constexpr std::size_t kLine = 64 / sizeof(std::size_t);  // slots per cache line
  const std::size_t lines = (mebibytes << 20) / 64;
  std::vector<std::size_t, HugePageAllocator<std::size_t>> huge;
  std::vector<std::size_t> plain;
  std::size_t* next = nullptr;
  if (huge_pages) {
    huge.resize(lines * kLine);
    next = huge.data();
  } else {
    plain.resize(lines * kLine);
    next = plain.data();
  }
  std::vector<std::size_t> order(lines);
  for (std::size_t i = 0; i < lines; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937_64(42));
  for (std::size_t i = 0; i < lines; ++i) next[order[i] * kLine] = order[(i + 1) % lines] * kLine;
  constexpr std::size_t kSteps = 4'000'000;
  std::size_t at = 0;
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < kSteps; ++i) at = next[at];
  const double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - started).count();
  // The end of the chase is printed nowhere but must not be optimized away.
  volatile std::size_t sink = at;
  static_cast<void>(sink);
  return ns / static_cast<double>(kSteps);
}

inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

// Replaces the section headed `## title` in the markdown file (or appends
// it), leaving the other sections as they are.
inline bool WriteSection(const std::string& path, const std::string& title,
                         const std::string& body) {
  std::ifstream in(path);
  std::stringstream existing;
  if (in) existing << in.rdbuf();
  std::string text = existing.str();
  if (text.empty())
    text =
        "# Performance\n\nMeasured on the 2-core machine; each section is written by its "
        "benchmark.\n";
  std::string heading = "\n## " + title + "\n";
  std::string section = heading + body;
  if (section.back() != '\n') section += '\n';
  std::size_t start = text.find(heading);
  if (start == std::string::npos) {
    text += section;
  } else {
    std::size_t end = text.find("\n## ", start + heading.size());
    text.replace(start, end == std::string::npos ? std::string::npos : end - start, section);
  }
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace fupin::bench
