// kubectl logs and kubectl exec against containers on a real node.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canRunNode, isRunning as running, podHelpers, startNodeCluster, waitFor, type NodeCluster } from '../testing/node-cluster.js';

const skip = canRunNode();
let c: NodeCluster;

const { apply, until } = podHelpers(() => c);

describe('logs and exec on a real node', { skip }, () => {
  before(async () => {
    c = await startNodeCluster();
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'talker' },
      spec: {
        containers: [
          { name: 'main', image: c.images['busybox:1.36'], command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line-$i; done; sleep 1; echo oops >&2; sleep 3600'] },
          { name: 'side', image: c.images['busybox:1.36'], command: ['sh', '-c', 'echo side-says-hi; sleep 3600'] },
        ],
      },
    });
    await until('talker', 'running', running);
    await waitFor(async () => (await c.kubectl(['logs', 'talker', '-c', 'main'])).stdout.includes('oops'), 10_000, 'logs written');
  });
  after(async () => {
    await c?.stop();
  });

  it('logs: container choice, tail, timestamps, limit-bytes, since', async () => {
    assert.equal(await c.k(['logs', 'talker', '-c', 'main']), 'line-1\nline-2\nline-3\nline-4\nline-5\noops\n');
    assert.equal(await c.k(['logs', 'talker', '-c', 'side']), 'side-says-hi\n');
    const defaulted = await c.kubectl(['logs', 'talker']);
    assert.equal(defaulted.stdout, 'line-1\nline-2\nline-3\nline-4\nline-5\noops\n');
    assert.match(defaulted.stderr, /Defaulted container "main" out of: main, side/);
    assert.equal(await c.k(['logs', 'talker', '-c', 'main', '--tail=2']), 'line-5\noops\n');
    const stamped = (await c.k(['logs', 'talker', '-c', 'main', '--timestamps', '--tail=1'])).trimEnd();
    assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z oops$/);
    assert.equal(await c.k(['logs', 'talker', '-c', 'main', '--limit-bytes=9']), 'line-1\nli');
    assert.equal(await c.k(['logs', 'talker', '-c', 'main', '--since=1h', '--tail=1']), 'oops\n');
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal(await c.k(['logs', 'talker', '-c', 'main', '--since=1s']), '');
    const bad = await c.kubectl(['logs', 'talker', '-c', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /container nope is not valid for pod talker/);
  });

  it('logs -f streams until the container exits; --previous shows the last run', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'counter' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['sh', '-c', 'for i in 1 2 3; do echo tick-$i; sleep 1; done'] }] },
    });
    await until('counter', 'started', (p) => p?.status?.containerStatuses?.[0]?.state?.running || p?.status?.phase === 'Succeeded');
    const r = await c.kubectl(['logs', '-f', 'counter'], { timeoutMs: 30_000 });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'tick-1\ntick-2\ntick-3\n');

    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'restarter' },
      spec: { containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['sh', '-c', 'echo run-$(cat /proc/sys/kernel/random/uuid); sleep 1; exit 2'] }] },
    });
    await until('restarter', 'restarted once', (p) => p?.status?.containerStatuses?.[0]?.restartCount >= 1, 40_000);
    const prev = await c.k(['logs', 'restarter', '--previous']);
    assert.match(prev, /^run-[0-9a-f-]{36}\n$/);
    const none = await c.kubectl(['logs', 'talker', '-c', 'main', '--previous']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /previous terminated container "main" in pod "talker" not found/);
  });

  it('attach: streams a running container output, and -i feeds its stdin', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'attachable' },
      spec: {
        containers: [
          { name: 'ticker', image: c.images['busybox:1.36'], command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.5; done'] },
          { name: 'reader', image: c.images['busybox:1.36'], stdin: true, command: ['sh', '-c', 'read line; echo got-$line; sleep 3600'] },
        ],
      },
    });
    await until('attachable', 'running', running);
    const watched = await c.kubectl(['attach', 'attachable', '-c', 'ticker'], { timeoutMs: 4000 });
    assert.equal(watched.timedOut, true, 'attach keeps streaming until stopped');
    assert.match(watched.stdout, /tick-\d+\ntick-\d+\n/);
    const fed = await c.kubectl(['attach', '-i', 'attachable', '-c', 'reader'], { stdin: 'hello\n', timeoutMs: 6000 });
    assert.match(fed.stdout + fed.stderr, /If you don't see a command prompt, try pressing enter\./);
    await waitFor(async () => (await c.kubectl(['logs', 'attachable', '-c', 'reader'])).stdout === 'got-hello\n', 10_000, 'reader got the line');
  });

  it('kubectl cp copies a file into a container and back (exec + tar)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-cp-'));
    try {
      const payload = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n';
      fs.writeFileSync(path.join(dir, 'in.txt'), payload);
      const up = await c.kubectl(['cp', path.join(dir, 'in.txt'), 'talker:/tmp/copied.txt', '-c', 'main'], { timeoutMs: 30_000 });
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await c.k(['exec', 'talker', '-c', 'main', '--', 'wc', '-c', '/tmp/copied.txt'])).trim(), `${Buffer.byteLength(payload)} /tmp/copied.txt`);
      const down = await c.kubectl(['cp', 'talker:/tmp/copied.txt', path.join(dir, 'out.txt'), '-c', 'main'], { timeoutMs: 30_000 });
      assert.equal(down.code, 0, down.stderr);
      assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), payload);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exec: plain, -c, exit codes, stdin, and a TTY', async () => {
    assert.equal(await c.k(['exec', 'talker', '--', 'echo', 'hello']), 'hello\n');
    assert.equal(await c.k(['exec', 'talker', '-c', 'side', '--', 'sh', '-c', 'echo $HOSTNAME']), 'talker\n');
    const failed = await c.kubectl(['exec', 'talker', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(failed.code, 3);
    assert.equal(failed.stdout, 'out\n');
    assert.match(failed.stderr, /err\n/);
    assert.match(failed.stderr, /command terminated with exit code 3/);
    const piped = await c.kubectl(['exec', '-i', 'talker', '--', 'sh', '-c', 'cat; echo end'], { stdin: 'from stdin\n' });
    assert.equal(piped.code, 0);
    assert.equal(piped.stdout, 'from stdin\nend\n');
    const badC = await c.kubectl(['exec', 'talker', '-c', 'nope', '--', 'true']);
    assert.notEqual(badC.code, 0);
    assert.match(badC.stderr, /container nope is not valid for pod talker/);
    // -it through a real pseudo-terminal (script(1) gives kubectl a TTY).
    const env = { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.dataDir };
    const tty = spawnSync('script', ['-qec', `kubectl --cache-dir ${c.dataDir}/kcache exec -it talker -- sh -c 'tty; echo cols=$(stty size)'`, '/dev/null'], { env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(tty.status, 0, tty.stderr);
    assert.match(tty.stdout, /\/dev\/pts\/\d+\r\n/);
  });
});
