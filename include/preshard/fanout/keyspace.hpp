#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace preshard::fanout {

// INFO keyspace summed over shards: keys and expires added per database, avg_ttl averaged
// over the keys that have one (a shard's avg_ttl of 0 means Redis has not estimated it yet, and
// does not count).
class KeyspaceSum {
 public:
  // One shard's INFO keyspace text ("# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=500\r\n").
  // False if a db line is malformed.
  bool add(std::string_view info);
  // "# Keyspace\r\n" and one line per database, like Redis.
  std::string render() const;

 private:
  struct Db {
    uint64_t keys = 0;
    uint64_t expires = 0;
    long double ttl_total = 0;  // avg_ttl * expires, summed over shards that estimated it
    uint64_t ttl_weight = 0;    // their expires
  };
  std::map<long, Db> dbs_;
};

}  // namespace preshard::fanout
