// ioredis 5 against preshard: defineCommand scripts inside pipelines, on keys of many shards
// (EVALSHA first; the proxy's script cache must make it work on every shard, every run).
// Usage: node ioredis_scripts.js PORT   Prints one JSON object; exits non-zero on any error.
const Redis = require('ioredis');

async function main() {
  const port = Number(process.argv[2]);
  const out = { runs: [] };
  for (let run = 0; run < 3; run++) {
    // A fresh connection each run: ioredis believes nothing is loaded and sends EVALSHA.
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
    r.defineCommand('addTo', {
      numberOfKeys: 1,
      lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])",
    });
    await r.connect();
    const p = r.pipeline();
    for (let i = 0; i < 40; i++) p.addTo(`io:${i}`, 1);
    const res = await p.exec();
    out.runs.push(res.map(([err, v]) => (err ? String(err) : v)));
    out.single = await r.addTo('io:single', 5);
    await r.quit();
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
