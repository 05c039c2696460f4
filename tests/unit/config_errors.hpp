#pragma once
// Every error of a parse, one a line: the INFO of a failed check.
#include <string>

#include "preshard/config/config.hpp"

inline std::string all_errors(const preshard::config::LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.to_string() + "\n";
  return s;
}
