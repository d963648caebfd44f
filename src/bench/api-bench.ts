// npm run bench:api — API server throughput and latency against a baseline
// measured in the same run (a bare Node HTTPS server answering the same requests).
//
// Measures: pod creates/s (sequential, 32 concurrent), get latency and list
// latency with 10 000 pods, watch delivery latency with 100 watchers, RSS.

import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSkiff, type SkiffProcess } from '../testing/server-process.js';

const POD_COUNT = Number(process.env.BENCH_PODS ?? 10_000);
const WATCHERS = 100;

type Target = { url: string; token: string; caCertPem: string };

const agent = new https.Agent({ keepAlive: true, maxSockets: 64 });

function request(t: Target, method: string, p: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(p, t.url),
      { method, agent, ca: t.caCertPem, headers: { Authorization: `Bearer ${t.token}`, ...(payload ? { 'Content-Type': 'application/json' } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function pod(name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', shard: String(name.length % 7) } },
    spec: {
      containers: [
        { name: 'main', image: 'registry.local/bench:1.0', resources: { requests: { cpu: '100m', memory: '64Mi' } }, ports: [{ containerPort: 8080 }] },
      ],
    },
  };
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function createMany(t: Target, prefix: string, n: number, concurrency: number, collection: string): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const r = await request(t, 'POST', collection, pod(`${prefix}-${i}`));
        if (r.status !== 201) throw new Error(`create failed ${r.status}: ${r.text.slice(0, 200)}`);
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  return n / secs;
}

async function timed(n: number, f: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = status.match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A bare HTTPS server answering like the API server would, without any work: the floor. */
async function startBaseline(s: SkiffProcess): Promise<{ target: Target; close(): void }> {
  const tlsDir = path.join(s.dataDir, 'tls');
  const server = https.createServer({ cert: fs.readFileSync(path.join(tlsDir, 'server.crt')), key: fs.readFileSync(path.join(tlsDir, 'server.key')) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json' });
      res.end(body.length ? body : '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { target: { url: `https://127.0.0.1:${port}`, token: s.token, caCertPem: s.caCertPem }, close: () => server.close() };
}

function progress(msg: string): void {
  process.stderr.write(`[bench:api] ${msg}\n`);
}

async function main(): Promise<void> {
  const s = await startSkiff({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-')) });
  const base = await startBaseline(s);
  const results: Record<string, string | number> = {};
  try {
    await new Promise((r) => setTimeout(r, 500));
    results['idle RSS (MiB)'] = rssMiB(s.proc.pid!).toFixed(1);

    progress('baseline (bare HTTPS server)');
    const baseSeq = await createMany(base.target, 'b', 1000, 1, '/x');
    const baseConc = await createMany(base.target, 'b', 5000, 32, '/x');

    progress('sequential creates (1000)');
    const seq = await createMany(s, 'seq', 1000, 1, '/api/v1/namespaces/default/pods');
    progress(`concurrent creates (${POD_COUNT - 1000}, 32 clients)`);
    const conc = await createMany(s, 'conc', POD_COUNT - 1000, 32, '/api/v1/namespaces/default/pods');
    results['creates/s sequential'] = seq.toFixed(0);
    results['creates/s sequential, baseline'] = baseSeq.toFixed(0);
    results['creates/s 32 concurrent'] = conc.toFixed(0);
    results['creates/s 32 concurrent, baseline'] = baseConc.toFixed(0);
    results['ratio concurrent/baseline'] = (conc / baseConc).toFixed(2);
    results[`RSS with ${POD_COUNT} pods (MiB)`] = rssMiB(s.proc.pid!).toFixed(1);

    progress('get latency');
    const gets = await timed(500, async () => {
      const r = await request(s, 'GET', `/api/v1/namespaces/default/pods/conc-${Math.floor(Math.random() * 1000)}`);
      if (r.status !== 200) throw new Error(`get ${r.status}`);
    });
    const baseGets = await timed(500, async () => void (await request(base.target, 'GET', '/x')));
    results['get p50/p99 (ms)'] = `${pct(gets, 50).toFixed(2)} / ${pct(gets, 99).toFixed(2)}`;
    results['get p50 baseline (ms)'] = pct(baseGets, 50).toFixed(2);

    progress(`list latency (${POD_COUNT} pods)`);
    const lists = await timed(20, async () => {
      const r = await request(s, 'GET', '/api/v1/namespaces/default/pods');
      if (r.status !== 200) throw new Error(`list ${r.status}`);
    });
    results[`list ${POD_COUNT} pods p50/p99 (ms)`] = `${pct(lists, 50).toFixed(1)} / ${pct(lists, 99).toFixed(1)}`;
    const lsel = await timed(20, async () => void (await request(s, 'GET', '/api/v1/namespaces/default/pods?labelSelector=shard%3D3')));
    results['list with label selector p50 (ms)'] = pct(lsel, 50).toFixed(1);

    progress(`watch delivery (${WATCHERS} watchers)`);
    const delays = await watchLatency(s);
    results[`watch delivery p50/p99 (ms, ${WATCHERS} watchers)`] = `${pct(delays, 50).toFixed(2)} / ${pct(delays, 99).toFixed(2)}`;
    results['RSS after (MiB)'] = rssMiB(s.proc.pid!).toFixed(1);
  } finally {
    base.close();
    await s.stop();
    agent.destroy();
  }
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [k, v] of Object.entries(results)) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

/** 100 watchers on configmaps; each update's delivery delay measured per watcher. */
async function watchLatency(s: SkiffProcess): Promise<number[]> {
  const sentAt = new Map<string, bigint>();
  const delays: number[] = [];
  const watchAgent = new https.Agent({ keepAlive: false, maxSockets: WATCHERS + 10 });
  const reqs: ReturnType<typeof https.request>[] = [];
  const first = await request(s, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'watch-bench' }, data: { i: '0' } });
  const rv = JSON.parse(first.text).metadata.resourceVersion;
  let ready = 0;
  await new Promise<void>((resolve) => {
    for (let w = 0; w < WATCHERS; w++) {
      const req = https.request(
        new URL(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, s.url),
        { agent: watchAgent, ca: s.caCertPem, headers: { Authorization: `Bearer ${s.token}` } },
        (res) => {
          let buf = '';
          res.on('data', (c) => {
            const now = process.hrtime.bigint();
            buf += c;
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              const ev = JSON.parse(line);
              const t0 = sentAt.get(ev.object?.data?.i);
              if (t0 !== undefined) delays.push(Number(now - t0) / 1e6);
            }
          });
          if (++ready === WATCHERS) resolve();
        },
      );
      req.end();
      reqs.push(req);
    }
  });
  for (let i = 1; i <= 200; i++) {
    sentAt.set(String(i), process.hrtime.bigint());
    await request(s, 'PUT', '/api/v1/namespaces/default/configmaps/watch-bench', { metadata: { name: 'watch-bench' }, data: { i: String(i) } });
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const r of reqs) r.destroy();
  watchAgent.destroy();
  return delays.sort((a, b) => a - b);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e.stack ?? e}\n`);
  process.exit(1);
});
