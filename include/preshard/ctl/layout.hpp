#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "preshard/config/endpoint.hpp"

namespace preshard::ctl {

// The instances of a layout, from "10.0.0.1:7000-7063,10.0.0.2:7000-7063": each piece is
// HOST:PORT or HOST:FIRST-LAST, taken in order. `error` says which piece is wrong, if any.
struct Layout {
  std::vector<config::Endpoint> instances;
  std::string error;
};
Layout parse_layout(std::string_view hosts);

// A complete preshard.yaml for these instances: `listen`, every other setting commented out at
// its default with its meaning (from the settings table), and the instance list, one a line.
std::string render_config(const std::vector<config::Endpoint>& instances,
                          const config::Endpoint& listen);

// The shards "3,17-20" names, as a mask over `count` shards; nullopt with `why` when a piece is
// not a shard number or range of them, or names a shard >= count.
std::optional<std::vector<bool>> parse_shard_set(std::string_view text, size_t count,
                                                 std::string& why);

}  // namespace preshard::ctl
