// node-redis (the npm `redis` package) with its default options, against preshard: it says
// HELLO 3 and must get RESP3 replies (maps, sets, doubles, nulls) and pub/sub pushes.
// Usage: node node_redis_defaults.js PORT   Prints one JSON object; exits non-zero on any error.
const { createClient } = require('redis');

async function main() {
  const port = Number(process.argv[2]);
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  const errors = [];
  client.on('error', (e) => errors.push(String(e)));
  await client.connect();
  const out = {};
  out.hello = await client.sendCommand(['HELLO']);
  await client.set('nr:a', '1');
  await client.set('nr:b', '2');
  out.mget = await client.mGet(['nr:a', 'nr:missing', 'nr:b']);
  await client.hSet('nr:h', { f1: 'v1', f2: 'v2' });
  out.hgetall = await client.hGetAll('nr:h');
  await client.sAdd('nr:s', ['x', 'y']);
  out.smembers = (await client.sMembers('nr:s')).sort();
  await client.zAdd('nr:z', [{ score: 1.5, value: 'm' }]);
  out.zscore = await client.zScore('nr:z', 'm');
  out.missing = await client.get('nr:nothing');
  out.multi = await client.multi().incr('nr:{t}c').incr('nr:{t}c').get('nr:{t}c').exec();
  out.pipeline = await Promise.all([client.incr('nr:p'), client.incr('nr:p'), client.get('nr:p')]);
  out.dbsize = await client.dbSize();
  // Pub/sub on the same connection: RESP3 pushes.
  const sub = client.duplicate();
  sub.on('error', (e) => errors.push(String(e)));
  await sub.connect();
  const got = new Promise((resolve) => sub.subscribe('nr:chan', (msg) => resolve(msg)));
  // The subscription is confirmed before subscribe() resolves; a command on the same
  // connection still works while subscribed (RESP3).
  await new Promise((r) => setTimeout(r, 100));
  out.published = await client.publish('nr:chan', 'hello');
  out.message = await got;
  await sub.unsubscribe('nr:chan');
  out.after_unsubscribe = await sub.get('nr:a');
  await sub.quit();
  await client.quit();
  out.errors = errors;
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
