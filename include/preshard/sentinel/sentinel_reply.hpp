#pragma once
// What the proxy reads from Redis Sentinel (pure: no I/O): a master's state from
// SENTINEL MASTER, and a +switch-master event.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "preshard/config/endpoint.hpp"

namespace preshard::sentinel {

struct MasterState {
  config::Endpoint address;
  uint64_t config_epoch = 0;  // Sentinel's epoch of the configuration that named this master
  std::string flags;          // "master", "master,s_down,o_down", ...
};

// SENTINEL MASTER <name>'s reply (field, value, field, value, ... in RESP2; a map in RESP3).
// nullopt with `why` for an error reply ("ERR No such master with that name") or a reply
// without ip and port.
std::optional<MasterState> parse_master(std::string_view raw, std::string& why);

struct Switch {
  std::string name;  // the master name, as in sentinel.conf
  config::Endpoint from, to;
};
// A +switch-master message's payload: "<name> <old-ip> <old-port> <new-ip> <new-port>".
std::optional<Switch> parse_switch(std::string_view payload);

}  // namespace preshard::sentinel
