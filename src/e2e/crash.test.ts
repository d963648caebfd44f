// Crash safety: SIGKILL the server in the middle of a stream of creates; after
// a restart every create that got a 201 is there and resourceVersions keep increasing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, startSkiff } from '../testing/server-process.js';

describe('crash safety (real server process, SIGKILL)', () => {
  it('keeps every acknowledged create across SIGKILL', async () => {
    const s1 = await startSkiff();
    const acked: { name: string; rv: number }[] = [];
    let stop = false;
    let maxRv = 0;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `cm-${w}-${i}`;
        try {
          const r = await apiRequest(s1, 'POST', '/api/v1/namespaces/default/configmaps', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name },
            data: { i: String(i) },
          });
          if (r.status === 201) {
            const rv = Number(r.body.metadata.resourceVersion);
            acked.push({ name, rv });
            maxRv = Math.max(maxRv, rv);
          }
        } catch {
          return; // connection died with the server
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Let a few hundred creates land, then kill without warning.
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 10));
    await s1.kill();
    stop = true;
    await Promise.all(workers);
    assert.ok(acked.length >= 300);

    const s2 = await startSkiff({ dataDir: s1.dataDir });
    try {
      const list = await apiRequest(s2, 'GET', '/api/v1/namespaces/default/configmaps');
      assert.equal(list.status, 200);
      const names = new Set(list.body.items.map((i: any) => i.metadata.name));
      const missing = acked.filter((a) => !names.has(a.name));
      assert.deepEqual(missing, [], `${missing.length} acknowledged creates lost`);
      // Each kept object still has the resourceVersion its 201 reported.
      const byName = new Map(list.body.items.map((i: any) => [i.metadata.name, Number(i.metadata.resourceVersion)]));
      for (const a of acked.slice(0, 50)) assert.equal(byName.get(a.name), a.rv);
      const after = await apiRequest(s2, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-restart' } });
      assert.equal(after.status, 201);
      assert.ok(Number(after.body.metadata.resourceVersion) > maxRv, 'resourceVersion went backwards after restart');
      assert.ok(Number(list.body.metadata.resourceVersion) >= maxRv);
    } finally {
      await s2.stop();
    }
  });
});
