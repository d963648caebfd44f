import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resources, type ResourceDef } from '../api/resources.js';
import { cleanupTempDirs, kubectl } from '../testing/kubectl.js';
import { startSkiff, type SkiffProcess } from '../testing/server-process.js';
import { EventRecorder, referenceOf } from './event-recorder.js';
import type { KubeObject } from './kube-object.js';
import { RestClient } from './rest-client.js';

const def = (group: string, plural: string): ResourceDef => resources.find((r) => r.group === group && r.plural === plural)!;
const pods = def('', 'pods');
const events = def('', 'events');
const nodes = def('', 'nodes');

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

test('referenceOf takes identity fields from an object or passes a reference through', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u-1', resourceVersion: '7', labels: { a: 'b' } },
  };
  assert.deepEqual(referenceOf(pod), { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u-1', apiVersion: 'v1', resourceVersion: '7' });
  assert.deepEqual(referenceOf({ kind: 'Node', name: 'n1', uid: 'x' }), { kind: 'Node', name: 'n1', uid: 'x' });
});

describe('EventRecorder against skiff', () => {
  let s: SkiffProcess;
  let c: RestClient;
  let pod: KubeObject;
  before(async () => {
    s = await startSkiff();
    c = new RestClient({ kubeconfig: s.kubeconfig });
    pod = await c.create(pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'evp' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
  });
  after(async () => {
    c.close();
    await s.stop();
    cleanupTempDirs();
  });

  const eventsFor = async (name: string) =>
    (await c.list(events, undefined, { fieldSelector: `involvedObject.name=${name}` })).items.sort((a, b) =>
      a.message.localeCompare(b.message),
    );

  test('creates a core/v1 Event, then aggregates a repeat into count 2 (and kubectl shows it)', async () => {
    const rec = new EventRecorder(c, { component: 'default-scheduler', host: 'node-a' });
    const t0 = Date.now();
    rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/evp to node-1');
    await rec.flush();

    let [ev, ...rest] = await eventsFor('evp');
    assert.equal(rest.length, 0);
    assert.match(ev.metadata.name!, /^evp\.[0-9a-f]{16}$/);
    const nanos = BigInt('0x' + ev.metadata.name!.slice(4));
    assert.ok(Number(nanos / 1_000_000n) >= t0 - 5 && Number(nanos / 1_000_000n) <= Date.now(), 'name carries the event time in ns');
    assert.equal(ev.metadata.namespace, 'default');
    assert.deepEqual(ev.involvedObject, {
      kind: 'Pod',
      namespace: 'default',
      name: 'evp',
      uid: pod.metadata.uid,
      apiVersion: 'v1',
      resourceVersion: pod.metadata.resourceVersion,
    });
    assert.deepEqual(ev.source, { component: 'default-scheduler', host: 'node-a' });
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.reason, 'Scheduled');
    assert.equal(ev.message, 'Successfully assigned default/evp to node-1');
    assert.equal(ev.count, 1);
    assert.match(ev.firstTimestamp, rfc3339);
    assert.equal(ev.lastTimestamp, ev.firstTimestamp);
    assert.equal(ev.reportingComponent, 'default-scheduler');
    assert.equal(ev.reportingInstance, 'node-a');
    const firstName = ev.metadata.name;
    const first = ev.firstTimestamp;

    await new Promise((r) => setTimeout(r, 1100)); // so lastTimestamp (second precision) moves
    rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/evp to node-1');
    await rec.flush();
    [ev, ...rest] = await eventsFor('evp');
    assert.equal(rest.length, 0, 'aggregated, not a second Event');
    assert.equal(ev.metadata.name, firstName);
    assert.equal(ev.count, 2);
    assert.equal(ev.firstTimestamp, first);
    assert.ok(ev.lastTimestamp > first, `${ev.lastTimestamp} > ${first}`);

    const out = await kubectl(['get', 'events', '-o', 'wide', '--field-selector', 'involvedObject.name=evp'], { kubeconfig: s.kubeconfig });
    assert.equal(out.code, 0, out.stderr);
    const [header, row, ...more] = out.stdout.trimEnd().split('\n');
    assert.equal(more.length, 0, out.stdout);
    assert.deepEqual(header.split(/\s{2,}/), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    assert.match(row, /\bNormal\s+Scheduled\s+pod\/evp\s+default-scheduler, node-a\s+Successfully assigned default\/evp to node-1\s+\S+\s+2\s+evp\.[0-9a-f]{16}$/);
  });

  test('different message or type → separate Events; cluster-scoped objects go to default', async () => {
    const rec = new EventRecorder(c, { component: 'kubelet' });
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c');
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container d');
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c');
    rec.event(pod, 'Normal', 'BackOff', 'Back-off restarting failed container c');
    const node = await c.create(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'evnode' } });
    rec.event(node, 'Normal', 'NodeReady', 'Node evnode status is now: NodeReady');
    await rec.flush();
    const evs = (await eventsFor('evp')).filter((e) => e.reason === 'BackOff');
    assert.deepEqual(
      evs.map((e) => [e.type, e.message, e.count]).sort(),
      [
        ['Normal', 'Back-off restarting failed container c', 1],
        ['Warning', 'Back-off restarting failed container c', 2],
        ['Warning', 'Back-off restarting failed container d', 1],
      ],
    );
    assert.equal(evs[0].source.host, undefined);
    assert.equal(evs[0].reportingInstance, '');
    const [nodeEv] = await eventsFor('evnode');
    assert.equal(nodeEv.metadata.namespace, 'default');
    assert.deepEqual(nodeEv.involvedObject, { kind: 'Node', name: 'evnode', uid: node.metadata.uid, apiVersion: 'v1', resourceVersion: node.metadata.resourceVersion });
  });

  test('outside the aggregation window a repeat creates a new Event', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const rec = new EventRecorder(c, { component: 'w', now: () => now });
    rec.event(pod, 'Normal', 'Windowed', 'same');
    await rec.flush();
    now = new Date(now.getTime() + 9 * 60_000);
    rec.event(pod, 'Normal', 'Windowed', 'same');
    await rec.flush();
    now = new Date(now.getTime() + 11 * 60_000);
    rec.event(pod, 'Normal', 'Windowed', 'same');
    await rec.flush();
    const evs = (await eventsFor('evp')).filter((e) => e.reason === 'Windowed').sort((a, b) => a.firstTimestamp.localeCompare(b.firstTimestamp));
    assert.deepEqual(
      evs.map((e) => [e.count, e.firstTimestamp, e.lastTimestamp]),
      [
        [2, '2030-01-01T00:00:00Z', '2030-01-01T00:09:00Z'],
        [1, '2030-01-01T00:20:00Z', '2030-01-01T00:20:00Z'],
      ],
    );
  });

  test('an aggregated Event deleted meanwhile is re-created with the running count', async () => {
    const rec = new EventRecorder(c, { component: 'x' });
    rec.event(pod, 'Normal', 'Recreated', 'm');
    await rec.flush();
    const [ev] = (await eventsFor('evp')).filter((e) => e.reason === 'Recreated');
    await c.delete(events, 'default', ev.metadata.name!);
    rec.event(pod, 'Normal', 'Recreated', 'm');
    await rec.flush();
    const again = (await eventsFor('evp')).filter((e) => e.reason === 'Recreated');
    assert.equal(again.length, 1);
    assert.equal(again[0].metadata.name, ev.metadata.name);
    assert.equal(again[0].count, 2);
  });

  test('bounded queue drops overflow; objects without kind are dropped; stop() refuses more', async () => {
    const rec = new EventRecorder(c, { component: 'flood', maxQueue: 3 });
    for (let i = 0; i < 10; i++) rec.event(pod, 'Normal', 'Flood', `m${i}`);
    assert.equal(rec.dropped, 7);
    rec.event({ metadata: { name: 'nokind' } }, 'Normal', 'X', 'y');
    assert.equal(rec.dropped, 8);
    await rec.stop();
    rec.event(pod, 'Normal', 'Flood', 'after stop');
    assert.equal(rec.dropped, 9);
    const flood = (await eventsFor('evp')).filter((e) => e.reason === 'Flood');
    assert.deepEqual(flood.map((e) => e.message), ['m0', 'm1', 'm2']);
  });

  test('event() returns while the server has not answered yet', async () => {
    let received = 0;
    const hanging = http.createServer(() => received++);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const client = new RestClient({ server: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` }, { timeoutMs: 300 });
    const rec = new EventRecorder(client, { component: 'slow', maxAttempts: 1 });
    rec.event(pod, 'Normal', 'Slow', 'one');
    rec.event(pod, 'Normal', 'Slow', 'two');
    for (let i = 0; i < 100 && received === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(received, 1, 'the first write is in flight, unanswered, and the caller already moved on');
    await rec.flush(); // both writes time out and are logged
    assert.equal(received, 2);
    hanging.closeAllConnections();
    hanging.close();
    client.close();
  });

  test('write failures are logged, not thrown, and later events still go through', async () => {
    const dead = new EventRecorder(new RestClient({ server: 'http://127.0.0.1:1' }), { component: 'd', maxAttempts: 2, retryDelayMs: 5 });
    dead.event(pod, 'Normal', 'Lost', 'x');
    await dead.flush();
    const rec = new EventRecorder(c, { component: 'ok' });
    rec.event({ ...pod, metadata: { ...pod.metadata, namespace: 'no-such-ns' } }, 'Normal', 'Lost', 'y');
    rec.event(pod, 'Normal', 'Kept', 'z');
    await rec.flush();
    assert.equal((await eventsFor('evp')).filter((e) => e.reason === 'Kept').length, 1);
  });
});
