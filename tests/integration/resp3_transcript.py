"""A transcript of commands covering every reply type, for test_resp3.py: run in RESP2 and in
RESP3 against preshard (128 shards) and against one redis-server, the replies compared byte for
byte. Deterministic only: no random picks, no clocks, no SCAN cursors (their encoding is
preshard's own). Keys that must share a shard share a {tag}; the cross-shard multi-key commands
(MGET, MSET, DEL, EXISTS, TOUCH, UNLINK) use untagged keys on many shards.
"""

BINARY = b"bin\r\n\x00\xff value"

SCRIPTS = [
    "return {1, 2, {3, 'x', {}}}",
    "return redis.call('HGETALL', KEYS[1])",
    "redis.setresp(3); return redis.call('HGETALL', KEYS[1])",
    "redis.setresp(3); return redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')",
    "redis.setresp(3); return redis.call('SMEMBERS', KEYS[3])",
    "return {double = 3.5}",
    "return {map = {a = 1}}",
    "return {set = {a = true}}",
    "return {big_number = '123456789012345678901234567890'}",
    "return {verbatim_string = {format = 'txt', string = 'hi'}}",
    "return redis.status_reply('FINE')",
    "return redis.error_reply('MYERR bad thing')",
    "return true",
    "redis.setresp(3); return true",
    "redis.setresp(3); return false",
    "return false",
    "return 3.99",
    "return nil",
    "redis.setresp(3); return redis.call('GET', 'no{s}such')",
    "return {{{{{{{{{1}}}}}}}}}",
]


def transcript():
    t = []
    add = t.append
    # Strings, nulls, integers, bulk replies, simple replies.
    for i in range(8):
        add(("SET", f"str:{i}", f"value-{i}"))
        add(("GET", f"str:{i}"))
    add(("SET", "str:bin", BINARY))
    add(("GET", "str:bin"))
    add(("GET", "str:missing"))
    add(("MGET", *[f"str:{i}" for i in range(8)], "str:missing", "str:bin"))
    add(("MSET", *[x for i in range(10) for x in (f"ms:{i}", str(i))]))
    add(("MGET", *[f"ms:{i}" for i in range(10)]))
    add(("INCR", "cnt"))
    add(("INCRBY", "cnt", "41"))
    add(("DECR", "cnt"))
    add(("INCRBYFLOAT", "flt", "1.25"))
    add(("INCR", "str:0"))
    add(("APPEND", "str:0", "-more"))
    add(("STRLEN", "str:0"))
    add(("GETRANGE", "str:0", "0", "4"))
    add(("SETRANGE", "str:1", "2", "XY"))
    add(("GETDEL", "str:2"))
    add(("GETDEL", "str:2"))
    add(("SETNX", "str:3", "x"))
    add(("SET", "str:4", "new", "GET"))
    add(("SET", "str:5", "v", "NX"))
    add(("SET", "str:5", "v", "EX", "0"))
    add(("EXPIRE", "str:6", "1000"))
    add(("TTL", "str:6"))
    add(("PERSIST", "str:6"))
    add(("TTL", "str:6"))
    add(("TTL", "str:missing"))
    # Edge values: empty, large, negative, float forms.
    for name, value in [("empty", ""), ("neg", "-17"), ("big", "9223372036854775807"),
                        ("exp", "1e3"), ("space", "a b\tc"), ("long", "x" * 5000)]:
        add(("SET", f"edge:{name}", value))
        add(("GET", f"edge:{name}"))
    add(("INCR", "edge:big"))
    add(("INCRBYFLOAT", "edge:exp", "0.5"))
    add(("INCRBYFLOAT", "edge:neg", "-3e2"))
    add(("DECRBY", "edge:neg", "3"))
    add(("GETEX", "edge:neg", "PERSIST"))
    add(("STRLEN", "edge:long"))
    add(("GETRANGE", "edge:empty", "0", "-1"))
    add(("SUBSTR", "edge:space", "1", "3"))
    add(("MSETNX", "{m}a", "1", "{m}b", "2"))
    add(("MSETNX", "{m}a", "1", "{m}c", "2"))
    add(("SET", "{l}s1", "ohmytext"))
    add(("SET", "{l}s2", "mynewtext"))
    add(("LCS", "{l}s1", "{l}s2"))
    add(("LCS", "{l}s1", "{l}s2", "IDX", "WITHMATCHLEN"))
    # Hashes: maps in RESP3.
    for n in (1, 3, 20):
        add(("HSET", f"h:{n}", *[x for i in range(n) for x in (f"f{i}", f"v{i}")]))
        add(("HGETALL", f"h:{n}"))
        add(("HKEYS", f"h:{n}"))
        add(("HVALS", f"h:{n}"))
        add(("HLEN", f"h:{n}"))
    add(("HGETALL", "h:missing"))
    add(("HMGET", "h:3", "f0", "nope", "f2"))
    add(("HGET", "h:3", "nope"))
    add(("HEXISTS", "h:3", "f1"))
    add(("HINCRBY", "h:3", "n", "5"))
    add(("HINCRBYFLOAT", "h:3", "x", "0.5"))
    add(("HSTRLEN", "h:3", "f1"))
    add(("HSETNX", "h:3", "f1", "z"))
    add(("HDEL", "h:3", "f1", "nope"))
    add(("HSCAN", "h:3", "0"))
    # Lists.
    add(("RPUSH", "{l}list", *[str(i) for i in range(10)]))
    add(("LRANGE", "{l}list", "0", "-1"))
    add(("LINDEX", "{l}list", "3"))
    add(("LINDEX", "{l}list", "99"))
    add(("LPOS", "{l}list", "4"))
    add(("LPOS", "{l}list", "99"))
    add(("LPOP", "{l}list"))
    add(("LPOP", "{l}list", "2"))
    add(("RPOP", "{l}list", "0"))
    add(("LPOP", "{l}nolist", "2"))
    add(("LINSERT", "{l}list", "BEFORE", "5", "x"))
    add(("LSET", "{l}list", "0", "first"))
    add(("LTRIM", "{l}list", "0", "5"))
    add(("LMOVE", "{l}list", "{l}other", "LEFT", "RIGHT"))
    add(("RPOPLPUSH", "{l}list", "{l}other"))
    add(("LMPOP", "2", "{l}none", "{l}list", "LEFT", "COUNT", "2"))
    add(("LMPOP", "1", "{l}none", "LEFT"))
    add(("BLPOP", "{l}other", "1"))
    add(("BLPOP", "{l}none", "0.05"))
    add(("BLMPOP", "0.05", "1", "{l}none", "LEFT"))
    add(("SORT", "{l}other"))
    add(("LLEN", "{l}list"))
    # Sets: sets in RESP3.
    add(("SADD", "{s}set1", "a", "b", "c", "1", "2"))
    add(("SADD", "{s}set2", "b", "c", "d"))
    add(("SADD", "{s}ints", "3", "1", "2"))
    add(("SMEMBERS", "{s}ints"))
    add(("SMEMBERS", "{s}missing"))
    add(("SISMEMBER", "{s}set1", "a"))
    add(("SMISMEMBER", "{s}set1", "a", "z"))
    add(("SCARD", "{s}set1"))
    add(("SINTER", "{s}ints", "{s}ints"))
    add(("SINTERCARD", "2", "{s}set1", "{s}set2"))
    add(("SDIFFSTORE", "{s}d", "{s}set1", "{s}set2"))
    add(("SREM", "{s}set1", "a", "zz"))
    add(("SMOVE", "{s}set1", "{s}set2", "b"))
    add(("SSCAN", "{s}ints", "0"))
    # Sorted sets: doubles in RESP3.
    add(("ZADD", "{z}z", "1", "a", "2.5", "b", "3", "c", "-inf", "neg"))
    add(("ZRANGE", "{z}z", "0", "-1"))
    add(("ZRANGE", "{z}z", "0", "-1", "WITHSCORES"))
    add(("ZRANGEBYSCORE", "{z}z", "1", "3", "WITHSCORES", "LIMIT", "0", "2"))
    add(("ZREVRANGE", "{z}z", "0", "1", "WITHSCORES"))
    add(("ZSCORE", "{z}z", "b"))
    add(("ZSCORE", "{z}z", "neg"))
    add(("ZSCORE", "{z}z", "nope"))
    add(("ZMSCORE", "{z}z", "a", "nope", "c"))
    add(("ZINCRBY", "{z}z", "0.25", "a"))
    add(("ZADD", "{z}z", "INCR", "1", "a"))
    add(("ZADD", "{z}z", "XX", "NX", "1", "a"))
    add(("ZRANK", "{z}z", "c"))
    add(("ZRANK", "{z}z", "nope"))
    add(("ZCARD", "{z}z"))
    add(("ZCOUNT", "{z}z", "-inf", "+inf"))
    add(("ZPOPMIN", "{z}z"))
    add(("ZPOPMAX", "{z}z", "2"))
    add(("ZADD", "{z}z2", "5", "x", "6", "y"))
    add(("ZUNION", "2", "{z}z", "{z}z2", "WITHSCORES"))
    add(("ZINTERSTORE", "{z}dst", "2", "{z}z", "{z}z2"))
    add(("ZMPOP", "1", "{z}z2", "MIN", "COUNT", "1"))
    add(("BZPOPMIN", "{z}z2", "1"))
    add(("BZPOPMIN", "{z}none", "0.05"))
    add(("ZSCAN", "{z}z", "0"))
    add(("ZRANDMEMBER", "{z}none"))
    # Streams: maps in RESP3 (XREAD, XINFO).
    for i in range(1, 4):
        add(("XADD", "{x}st", f"1-{i}", "field", f"v{i}", "n", str(i)))
    add(("XLEN", "{x}st"))
    add(("XRANGE", "{x}st", "-", "+"))
    add(("XREVRANGE", "{x}st", "+", "-", "COUNT", "1"))
    add(("XREAD", "COUNT", "2", "STREAMS", "{x}st", "0"))
    add(("XREAD", "STREAMS", "{x}st", "{x}nost", "0", "0"))
    add(("XGROUP", "CREATE", "{x}st", "g", "0"))
    add(("XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "{x}st", ">"))
    add(("XPENDING", "{x}st", "g"))
    add(("XACK", "{x}st", "g", "1-1"))
    add(("XINFO", "STREAM", "{x}st"))
    add(("XINFO", "GROUPS", "{x}st"))
    add(("XDEL", "{x}st", "1-3"))
    add(("XTRIM", "{x}st", "MAXLEN", "5"))
    add(("XADD", "{x}st", "1-1", "f", "v"))
    # Geo, HyperLogLog, bitmaps.
    add(("GEOADD", "{g}geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
         "Catania"))
    add(("GEODIST", "{g}geo", "Palermo", "Catania", "km"))
    add(("GEOPOS", "{g}geo", "Palermo", "nowhere"))
    add(("GEOHASH", "{g}geo", "Palermo"))
    add(("GEOSEARCH", "{g}geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC",
         "WITHDIST", "WITHCOORD"))
    add(("PFADD", "hll", "a", "b", "c"))
    add(("PFCOUNT", "hll"))
    add(("SETBIT", "bits", "7", "1"))
    add(("GETBIT", "bits", "7"))
    add(("BITCOUNT", "bits"))
    add(("BITPOS", "bits", "1"))
    add(("BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0", "INCRBY", "u8", "0", "2"))
    # Keyspace commands, merged over the shards.
    add(("EXISTS", *[f"str:{i}" for i in range(8)], "str:missing"))
    add(("TOUCH", *[f"ms:{i}" for i in range(5)]))
    add(("TYPE", "h:3"))
    add(("TYPE", "{z}z"))
    add(("TYPE", "nothing"))
    add(("OBJECT", "ENCODING", "{s}ints"))
    add(("OBJECT", "ENCODING", "h:20"))
    add(("RENAME", "{l}s1", "{l}s3"))
    add(("RENAME", "{l}nosuch", "{l}s4"))
    add(("COPY", "{l}s3", "{l}s5"))
    add(("DUMP", "str:7"))
    add(("KEYS", "str:7"))
    add(("KEYS", "nomatch*"))
    add(("DEL", *[f"ms:{i}" for i in range(5)], "ms:none"))
    add(("UNLINK", *[f"ms:{i}" for i in range(5, 10)]))
    add(("DBSIZE",))
    # Scripts, with the reply types a script can make.
    for body in SCRIPTS:
        add(("EVAL", body, "3", "h:{s}", "{s}zs", "{s}ints"))
    add(("HSET", "h:{s}", "a", "1", "b", "2"))
    add(("ZADD", "{s}zs", "1.5", "m", "2", "n"))
    for body in SCRIPTS[1:5]:
        add(("EVAL", body, "3", "h:{s}", "{s}zs", "{s}ints"))
    add(("EVAL", "return ARGV[1]", "0", "keyless"))
    # Transactions: EXEC's reply holds each command's reply in the client's protocol.
    add(("MULTI",))
    add(("SET", "{t}a", "1"))
    add(("HSET", "{t}h", "f", "v"))
    add(("HGETALL", "{t}h"))
    add(("ZADD", "{t}z", "1", "m"))
    add(("ZSCORE", "{t}z", "m"))
    add(("GET", "{t}missing"))
    add(("SMEMBERS", "{t}none"))
    add(("INCR", "{t}h"))
    add(("EXEC",))
    add(("MULTI",))
    add(("GET", "{t}a"))
    add(("DISCARD",))
    add(("EXEC",))
    add(("WATCH", "{t}a"))
    add(("MULTI",))
    add(("GET", "{t}a"))
    add(("EXEC",))
    # Pub/sub counts (nobody subscribed), connection commands, errors.
    add(("PUBLISH", "chan", "msg"))
    add(("PUBSUB", "NUMSUB", "chan", "other"))
    add(("PUBSUB", "NUMPAT"))
    add(("PUBSUB", "CHANNELS"))
    add(("PING",))
    add(("PING", "hello"))
    add(("ECHO", BINARY))
    add(("CLIENT", "GETNAME"))
    add(("CLIENT", "SETNAME", "transcript"))
    add(("CLIENT", "GETNAME"))
    add(("GET",))
    add(("NOSUCHCOMMAND", "a"))
    add(("HGETALL", "str:7"))
    add(("LPUSH", "str:7", "x"))
    add(("SET", "k", "v", "BADOPTION"))
    add(("ZADD", "{z}z", "x", "m"))
    add(("SELECT", "0"))
    return t
