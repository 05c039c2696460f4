// BullMQ 5 against preshard, its keys under one hash tag ({bq}): 1,000 jobs added in bulk go
// through a worker (Lua scripts by EVALSHA, blocking BZPOPMIN, transactions, CLIENT SETNAME,
// CLIENT LIST for getWorkers). Usage: node bullmq_jobs.js PORT   Prints one JSON object.
const { Queue, Worker, QueueEvents } = require('bullmq');

async function main() {
  const connection = { host: '127.0.0.1', port: Number(process.argv[2]), maxRetriesPerRequest: null };
  const prefix = '{bq}';
  const queue = new Queue('jobs', { connection, prefix });
  const jobs = [];
  for (let i = 0; i < 1000; i++) jobs.push({ name: 'sum', data: { a: i, b: 1 } });
  await queue.addBulk(jobs);
  let total = 0;
  let done = 0;
  const finished = new Promise((resolve, reject) => {
    const worker = new Worker(
      'jobs',
      async (job) => job.data.a + job.data.b,
      { connection, prefix, concurrency: 20 },
    );
    worker.on('completed', (job, result) => {
      total += result;
      if (++done === 1000) resolve(worker);
    });
    worker.on('failed', (job, err) => reject(err));
    worker.on('error', (err) => reject(err));
  });
  const timer = setTimeout(() => {
    console.error(`timed out after ${done} jobs`);
    process.exit(2);
  }, 60000);
  const worker = await finished;
  clearTimeout(timer);
  const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active');
  const workers = await queue.getWorkers();
  await worker.close();
  await queue.close();
  console.log(JSON.stringify({ done, total, counts, workers: workers.length }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
