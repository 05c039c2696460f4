#pragma once
#include <memory>
#include <string>

#include "preshard/backend/reply_sink.hpp"
#include "preshard/proxy/context.hpp"
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

// Completes INFO once the shards' keyspace sections are summed (the merged reply it gets):
// the proxy's own sections, then Keyspace, as one bulk string.
class InfoReply : public ReplySink {
 public:
  InfoReply(std::shared_ptr<ReplySink> client, std::string local, resp::Protocol proto)
      : client_(std::move(client)), local_(std::move(local)), proto_(proto) {}
  void on_reply(uint64_t slot, std::string_view raw) override;
  void on_failure(uint64_t slot, const core::errors::Error& error) override;

 private:
  std::shared_ptr<ReplySink> client_;
  std::string local_;
  resp::Protocol proto_;
};

}  // namespace preshard::proxy
