#pragma once
#include <memory>
#include <string>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/proxy/context.hpp"
#include "preshard/proxy/shard_monitor.hpp"
#include "preshard/resp/reply_writer.hpp"
#include "preshard/resp/request.hpp"

namespace preshard::proxy {

// The INFO text for the requested sections (none, "default", "all" or "everything": all of them).
std::string render_info(Context& worker, const resp::Request& req);
// info_stats.cpp: the per-command and per-error sections.
void commandstats_section(Context& w, std::string& out);
void errorstats_section(Context& w, std::string& out);
void latencystats_section(Context& w, std::string& out);

// info_shards.cpp: sections summed over the instances' latest INFO (the shard monitor's).
void memory_section(Context& w, std::string& out);
void persistence_section(Context& w, std::string& out);
void replication_section(Context& w, std::string& out);
void cpu_section(Context& w, std::string& out);
void instance_stats_lines(Context& w, std::string& out);
// The lowest redis_version among the instances ("" before any answered).
std::string lowest_instance_version(Context& w);

// Whether the request wants the Keyspace section, which the shards answer.
bool info_wants_keyspace(const resp::Request& req);
// Whether it wants a section drawn from the instances (then every shard is asked: info_live.cpp):
// Server too while the shard monitor has no instance's version yet (just started, or off).
bool info_wants_instances(Context& w, const resp::Request& req);
// While info_live.cpp renders: the instances' answers to this INFO, which the sections use
// instead of the shard monitor's samples (null otherwise).
const ShardMonitor::Samples* live_info_samples();

}  // namespace preshard::proxy
