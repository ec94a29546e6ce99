// api/openapi.yaml documents exactly the routes the server serves: every
// (method, path) of the route table is in the document and the document
// has no other. (The document itself is linted by Redocly CLI in
// scripts/test.sh.)
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "api/router.h"

namespace fupin::api {
namespace {

using MethodAndPath = std::pair<std::string, std::string>;

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The (method, path) pairs under `paths:` of the document: a path is a
// two-space-indented key starting with '/', an operation a four-space-
// indented HTTP method key below it. (The document's layout is fixed by
// the linter's formatting; a parse failure shows as a missing route.)
std::set<MethodAndPath> DocumentedRoutes(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::set<MethodAndPath> routes;
  static const std::set<std::string> kMethods = {"get", "post", "put", "patch", "delete", "head"};
  bool in_paths = false;
  std::string current;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ') break;  // the next top-level key
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      current = line.substr(2, line.size() - 3);
    } else if (line.rfind("    ", 0) == 0 && line.size() > 5 && line[4] != ' ' &&
               line.back() == ':') {
      std::string key = line.substr(4, line.size() - 5);
      if (kMethods.contains(key)) routes.emplace(Upper(key), current);
    }
  }
  return routes;
}

TEST(OpenApi, DocumentsExactlyTheServedRoutes) {
  std::set<MethodAndPath> served;
  for (const auto& [method, path] : ServedRoutes()) {
    served.emplace(std::string(method), std::string(path));
  }
  std::set<MethodAndPath> documented =
      DocumentedRoutes(std::string(FUPIN_SOURCE_DIR) + "/api/openapi.yaml");
  EXPECT_GE(served.size(), 25u);
  for (const MethodAndPath& route : served) {
    EXPECT_TRUE(documented.contains(route))
        << route.first << " " << route.second << " is served but not in api/openapi.yaml";
  }
  for (const MethodAndPath& route : documented) {
    EXPECT_TRUE(served.contains(route))
        << route.first << " " << route.second << " is in api/openapi.yaml but not served";
  }
}

}  // namespace
}  // namespace fupin::api
