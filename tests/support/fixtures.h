// Test support: where fixtures live and how to read them.
#pragma once

#include <string>

namespace fupin::testing {

// Absolute path of a file under fixtures/.
std::string FixturePath(const std::string& relative);

// Whole file as bytes; fails the current test (and returns "") when missing.
std::string ReadFixture(const std::string& relative);

// A fresh empty directory under the system temp dir, removed by the caller.
std::string MakeTempDir(const std::string& prefix);

}  // namespace fupin::testing
