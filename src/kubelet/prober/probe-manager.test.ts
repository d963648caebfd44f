import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CriError, GRPC_DEADLINE_EXCEEDED, type ExecSyncResponse } from '../cri/api.js';
import type { KubeletContext, ProbeTarget } from '../contracts.js';
import { FakeClock } from './fake-clock.js';
import { ProbeManager } from './probe-manager.js';

type ExecScript = (cmd: string[], containerId: string, timeout: number) => ExecSyncResponse | Error;

const ok = (out = ''): ExecSyncResponse => ({ stdout: Buffer.from(out), stderr: Buffer.alloc(0), exit_code: 0 });
const fail = (err: string, code = 1): ExecSyncResponse => ({ stdout: Buffer.alloc(0), stderr: Buffer.from(err), exit_code: code });

function harness(opts: { random?: number; startAt?: number; maxJitter?: number } = {}) {
  const clock = new FakeClock(opts.startAt ?? 0);
  const execs: { t: number; cmd: string; id: string; timeout: number }[] = [];
  const events: { t: number; type: string; reason: string; message: string; fieldPath?: string }[] = [];
  const kills: { t: number; name: string; id: string; probe: string; message: string }[] = [];
  const changes: number[] = [];
  let script: ExecScript = () => ok();
  const cri = {
    async execSync(id: string, cmd: string[], timeout: number): Promise<ExecSyncResponse> {
      execs.push({ t: clock.nowMs, cmd: cmd.join(' '), id, timeout });
      const r = script(cmd, id, timeout);
      if (r instanceof Error) throw r;
      return r;
    },
  };
  const recorder = {
    event(obj: any, type: string, reason: string, message: string) {
      events.push({ t: clock.nowMs, type, reason, message, fieldPath: obj.fieldPath });
    },
  };
  const ctx = { cri, recorder, now: () => new Date(clock.nowMs) } as unknown as KubeletContext;
  const pm = new ProbeManager({
    ctx,
    hooks: {
      onProbeKill: (_uid, name, id, probe, message) => kills.push({ t: clock.nowMs, name, id, probe, message }),
      onResultChange: () => changes.push(clock.nowMs),
    },
    now: clock.now,
    timers: clock,
    random: () => opts.random ?? 0,
    maxStartJitterMs: opts.maxJitter,
  });
  return {
    clock, pm, execs, events, kills, changes,
    setScript(s: ExecScript) { script = s; },
  };
}

function podWith(container: any, extra: any = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', ...(extra.metadata ?? {}) },
    spec: { restartPolicy: extra.restartPolicy ?? 'Always', containers: [{ name: 'app', image: 'x', ...container }], initContainers: extra.initContainers },
    status: { phase: extra.phase ?? 'Running' },
  };
}

const target = (id: string, startedAt: number, running = true): ProbeTarget[] => [{ name: 'app', containerId: id, startedAt, running }];
const execProbe = (cmd: string, more: any = {}) => ({ exec: { command: cmd.split(' ') }, ...more });
const secs = (n: number) => n * 1000;

describe('ProbeManager liveness', () => {
  it('kills after failureThreshold consecutive failures, then holds until a new container', async () => {
    const h = harness();
    h.setScript(() => fail("cat: can't open '/tmp/healthy': No such file or directory\n"));
    h.pm.sync(podWith({ livenessProbe: execProbe('cat /tmp/healthy', { periodSeconds: 5 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(40));
    assert.deepEqual(h.execs.map((e) => e.t), [0, 5000, 10000]);
    assert.deepEqual(h.execs[0], { t: 0, cmd: 'cat /tmp/healthy', id: 'c1', timeout: 1 });
    assert.deepEqual(h.kills, [{ t: 10000, name: 'app', id: 'c1', probe: 'liveness', message: 'Container app failed liveness probe, will be restarted' }]);
    assert.equal(h.events.length, 3);
    assert.deepEqual(h.events[0], {
      t: 0, type: 'Warning', reason: 'Unhealthy',
      message: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      fieldPath: 'spec.containers{app}',
    });
    // liveness results never signal onResultChange
    assert.deepEqual(h.changes, []);

    // A new instance started at 42s is picked up on the next tick (45s) and probed again.
    h.setScript(() => ok());
    h.pm.sync(podWith({ livenessProbe: execProbe('cat /tmp/healthy', { periodSeconds: 5 }) }), '10.1.0.5', target('c2', 42000));
    await h.clock.advance(secs(10));
    assert.deepEqual(h.execs.slice(3).map((e) => [e.t, e.id]), [[45000, 'c2'], [50000, 'c2']]);
    assert.equal(h.kills.length, 1);
  });

  it('a success in between resets the failure run', async () => {
    const h = harness();
    const answers = [false, false, true, false, false, true, false, false, false];
    let i = 0;
    h.setScript(() => (answers[i++] ?? false ? ok() : fail('bad')));
    h.pm.sync(podWith({ livenessProbe: execProbe('check', { periodSeconds: 1 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(12));
    assert.deepEqual(h.kills.map((k) => k.t), [8000]);
    assert.equal(h.execs.length, 9);
  });

  it('without restarts (restartPolicy Never) the kill message has no "will be restarted"', async () => {
    const h = harness();
    h.setScript(() => fail('x'));
    h.pm.sync(podWith({ livenessProbe: execProbe('check', { periodSeconds: 1, failureThreshold: 1 }) }, { restartPolicy: 'Never' }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(1));
    assert.deepEqual(h.kills.map((k) => k.message), ['Container app failed liveness probe']);
  });

  it('an exec timeout is a failure with the kubelet text', async () => {
    const h = harness();
    h.setScript(() => new CriError('ExecSync', GRPC_DEADLINE_EXCEEDED, 'timeout 2s exceeded'));
    h.pm.sync(podWith({ livenessProbe: execProbe('sh -c sleep 10', { timeoutSeconds: 2, failureThreshold: 1 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(0);
    assert.equal(h.execs[0]!.timeout, 2);
    assert.deepEqual(h.events.map((e) => e.message), ['Liveness probe failed: command "sh -c sleep 10" timed out']);
    assert.equal(h.kills.length, 1);
  });

  it('errored attempts are retried 3 times, reported once per run, and never count toward the threshold', async () => {
    const h = harness();
    h.setScript(() => new CriError('ExecSync', 2, 'failed to exec in container: boom'));
    h.pm.sync(podWith({ livenessProbe: execProbe('check', { periodSeconds: 10, failureThreshold: 1 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(25));
    assert.deepEqual(h.execs.map((e) => e.t), [0, 0, 0, 10000, 10000, 10000, 20000, 20000, 20000]);
    assert.deepEqual(h.events.map((e) => [e.t, e.reason, e.message]), [
      [0, 'Unhealthy', 'Liveness probe errored: rpc error: code = Unknown desc = failed to exec in container: boom'],
      [10000, 'Unhealthy', 'Liveness probe errored: rpc error: code = Unknown desc = failed to exec in container: boom'],
      [20000, 'Unhealthy', 'Liveness probe errored: rpc error: code = Unknown desc = failed to exec in container: boom'],
    ]);
    assert.deepEqual(h.kills, []);
  });

  it('respects initialDelaySeconds counted from the container start (whole seconds)', async () => {
    const h = harness();
    h.pm.sync(podWith({ livenessProbe: execProbe('check', { initialDelaySeconds: 15, periodSeconds: 10 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(35));
    assert.deepEqual(h.execs.map((e) => e.t), [20000, 30000]);

    const h2 = harness();
    // started 0.5 s before the manager's clock: 4.5 s truncates to 4 < 5 at t=4s... runs at t=10s
    h2.pm.sync(podWith({ livenessProbe: execProbe('check', { initialDelaySeconds: 5, periodSeconds: 2 }) }), '10.1.0.5', target('c1', -500));
    await h2.clock.advance(secs(7));
    assert.deepEqual(h2.execs.map((e) => e.t), [6000]);
  });

  it('stops probing for a deleting pod and stays stopped across syncs', async () => {
    const h = harness();
    const spec = { livenessProbe: execProbe('live'), readinessProbe: execProbe('ready') };
    h.pm.sync(podWith(spec), '10.1.0.5', target('c1', 0));
    await h.clock.advance(0);
    assert.deepEqual(h.execs.map((e) => e.cmd).sort(), ['live', 'ready']);
    h.pm.sync(podWith(spec, { metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' } }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(30));
    assert.deepEqual(h.execs.filter((e) => e.cmd === 'live').length, 1);
    assert.deepEqual(h.execs.filter((e) => e.cmd === 'ready').length, 4);
    assert.deepEqual(h.pm.workerKeys(), ['u1/app/readiness']);
  });
});

describe('ProbeManager readiness', () => {
  it('is not ready until the first success and follows thresholds', async () => {
    const h = harness();
    const answers = [false, true, true, true, false, false, false];
    let i = 0;
    h.setScript(() => (answers[i++] ? ok() : fail('nope')));
    h.pm.sync(podWith({ readinessProbe: execProbe('ready', { periodSeconds: 10, successThreshold: 2 }) }), '10.1.0.5', target('c1', 0));
    // before any run there is no result for the instance
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), false);
    await h.clock.advance(secs(15));
    // fail at 0, first success at 10 (run 1 of 2): still unready; no extra run was asked for
    assert.deepEqual(h.execs.map((e) => e.t), [0, 10000]);
    assert.deepEqual(h.changes, [0]);
    await h.clock.advance(secs(10)); // 25 s: second success at 20
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), true);
    await h.clock.advance(secs(30)); // 55 s: ok at 30, fail at 40 and 50 — still ready
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), true);
    await h.clock.advance(secs(10)); // third failure at 60 s
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), false);
    // the unready answer at 65 s asked for an immediate run, on a later turn
    assert.equal(h.execs.length, 7);
    await h.clock.advance(0);
    // initial value set (0), ready (20 s), unready (60 s)
    assert.deepEqual(h.changes, [0, 20000, 60000]);
    assert.deepEqual(h.execs.map((e) => e.t), [0, 10000, 20000, 30000, 40000, 50000, 60000, 65000]);
    assert.equal(h.events.filter((e) => e.message === 'Readiness probe failed: nope').length, 5);
    assert.deepEqual(h.kills, []);
  });

  it('isReady on an unready started container triggers an immediate run', async () => {
    const h = harness();
    let good = false;
    h.setScript(() => (good ? ok() : fail('no')));
    h.pm.sync(podWith({ readinessProbe: execProbe('ready', { periodSeconds: 60 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(5));
    assert.equal(h.execs.length, 1);
    good = true;
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), false);
    await h.clock.advance(0);
    assert.deepEqual(h.execs.map((e) => e.t), [0, 5000]);
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), true);
    // the regular schedule is unchanged: next tick at 60 s
    await h.clock.advance(secs(56));
    assert.deepEqual(h.execs.map((e) => e.t), [0, 5000, 60000]);
  });

  it('isReady never runs the probe or the hooks synchronously', async () => {
    const h = harness();
    h.setScript(() => ok());
    h.pm.sync(podWith({ readinessProbe: execProbe('ready', { periodSeconds: 60 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(0);
    h.pm.sync(podWith({ readinessProbe: execProbe('ready', { periodSeconds: 60 }) }), '10.1.0.5', target('c2', 1000));
    await h.clock.advance(secs(2));
    const before = { execs: h.execs.length, changes: h.changes.length };
    assert.equal(h.pm.isReady('u1', 'app', 'c2'), false);
    assert.deepEqual({ execs: h.execs.length, changes: h.changes.length }, before);
    await h.clock.advance(0);
    // the new instance was adopted (initial value, then ready) and probed once
    assert.deepEqual(h.execs.slice(before.execs).map((e) => [e.t, e.id]), [[2000, 'c2']]);
    assert.deepEqual(h.changes.slice(before.changes), [2000, 2000]);
    assert.equal(h.pm.isReady('u1', 'app', 'c2'), true);
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), false);
  });

  it('a container that is not running is unready; another instance ID gets no result', async () => {
    const h = harness();
    h.pm.sync(podWith({ readinessProbe: execProbe('ready') }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(0);
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), true);
    assert.equal(h.pm.isReady('u1', 'app', 'other'), false);
    h.pm.sync(podWith({ readinessProbe: execProbe('ready') }), '10.1.0.5', target('c1', 0, false));
    await h.clock.advance(secs(10));
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), false);
    assert.equal(h.execs.length, 1);
  });

  it('containers without probes are ready and started', () => {
    const h = harness();
    h.pm.sync(podWith({}), '10.1.0.5', target('c1', 0));
    assert.equal(h.pm.isStarted('u1', 'app', 'c1'), true);
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), true);
    assert.deepEqual(h.pm.workerKeys(), []);
  });
});

describe('ProbeManager startup', () => {
  const spec = {
    startupProbe: execProbe('startup', { periodSeconds: 10, failureThreshold: 3 }),
    livenessProbe: execProbe('live', { periodSeconds: 10 }),
    readinessProbe: execProbe('ready', { periodSeconds: 10 }),
  };

  it('gates liveness and readiness until the startup probe succeeds', async () => {
    const h = harness();
    let n = 0;
    h.setScript((cmd) => (cmd[0] === 'startup' ? (++n >= 3 ? ok() : fail('starting')) : ok()));
    h.pm.sync(podWith(spec), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(15));
    assert.deepEqual(h.execs.map((e) => `${e.t}:${e.cmd}`), ['0:startup', '10000:startup']);
    assert.equal(h.pm.isStarted('u1', 'app', 'c1'), false);
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), false);
    await h.clock.advance(secs(10)); // t=25: the third startup run at 20 s succeeded
    assert.equal(h.pm.isStarted('u1', 'app', 'c1'), true);
    // liveness and readiness ticks at 20 s ran right after the startup probe passed
    assert.equal(h.pm.isReady('u1', 'app', 'c1'), true);
    await h.clock.advance(secs(10)); // t=35
    assert.deepEqual(h.execs.map((e) => `${e.t}:${e.cmd}`), [
      '0:startup', '10000:startup', '20000:startup', '20000:live', '20000:ready', '30000:live', '30000:ready',
    ]);
    assert.deepEqual(h.events.map((e) => e.message), ['Startup probe failed: starting', 'Startup probe failed: starting']);
  });

  it('startup failure at the threshold kills the container; liveness never ran', async () => {
    const h = harness();
    h.setScript((cmd) => (cmd[0] === 'startup' ? fail('not yet') : ok()));
    h.pm.sync(podWith(spec), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(45));
    assert.deepEqual(h.execs.map((e) => `${e.t}:${e.cmd}`), ['0:startup', '10000:startup', '20000:startup']);
    assert.deepEqual(h.kills.map((k) => [k.t, k.probe, k.message]), [[20000, 'startup', 'Container app failed startup probe, will be restarted']]);
    assert.equal(h.pm.isStarted('u1', 'app', 'c1'), false);
    // onResultChange: initial values (startup + readiness at 0) and the startup failure
    assert.deepEqual(h.changes, [0, 0, 20000]);
  });

  it('probes restartable init containers (sidecars) with their list in the event fieldPath', async () => {
    const h = harness();
    h.setScript(() => fail('down'));
    const pod = podWith({}, {
      initContainers: [
        { name: 'side', restartPolicy: 'Always', livenessProbe: execProbe('side-live', { failureThreshold: 1 }) },
        { name: 'init', livenessProbe: execProbe('never') },
      ],
      restartPolicy: 'Never',
    });
    h.pm.sync(pod, '10.1.0.5', [{ name: 'side', containerId: 's1', startedAt: 0, running: true }]);
    await h.clock.advance(0);
    assert.deepEqual(h.pm.workerKeys(), ['u1/side/liveness']);
    assert.equal(h.events[0]!.fieldPath, 'spec.initContainers{side}');
    // a sidecar always restarts, whatever the pod's policy
    assert.equal(h.kills[0]!.message, 'Container side failed liveness probe, will be restarted');
  });
});

describe('ProbeManager workers', () => {
  it('waits a random part of the period at first, only when the manager just started', async () => {
    const h = harness({ random: 0.5, maxJitter: 1000 });
    h.pm.sync(podWith({ livenessProbe: execProbe('live', { periodSeconds: 10 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(11));
    assert.deepEqual(h.execs.map((e) => e.t), [500, 10500]);

    const late = harness({ random: 0.5 });
    await late.clock.advance(secs(20));
    late.pm.sync(podWith({ livenessProbe: execProbe('live', { periodSeconds: 10 }) }), '10.1.0.5', target('c1', 20000));
    await late.clock.advance(0);
    assert.deepEqual(late.execs.map((e) => e.t), [20000]);
  });

  it('removePod stops all timers; pods in a terminal phase end their workers', async () => {
    const h = harness();
    h.pm.sync(podWith({ livenessProbe: execProbe('live'), readinessProbe: execProbe('ready') }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(0);
    h.pm.removePod('u1');
    assert.equal(h.clock.size, 0);
    await h.clock.advance(secs(60));
    assert.equal(h.execs.length, 2);

    const t = harness();
    t.pm.sync(podWith({ livenessProbe: execProbe('live') }), '10.1.0.5', target('c1', 0));
    await t.clock.advance(0);
    t.pm.sync(podWith({ livenessProbe: execProbe('live') }, { phase: 'Succeeded' }), '10.1.0.5', target('c1', 0, false));
    await t.clock.advance(secs(30));
    assert.equal(t.execs.length, 1);
    assert.deepEqual(t.pm.workerKeys(), []);
    assert.equal(t.clock.size, 0);
  });

  it('a probe slower than the period runs again right away, once', async () => {
    const h = harness();
    let release: (() => void) | undefined;
    const slow = new Promise<void>((r) => { release = r; });
    let first = true;
    const cri = (h.pm as any).ctx.cri;
    const orig = cri.execSync;
    cri.execSync = async (...a: any[]) => {
      if (first) { first = false; h.execs.push({ t: h.clock.nowMs, cmd: 'slow', id: a[0], timeout: a[2] }); await slow; return ok(); }
      return orig(...a);
    };
    h.pm.sync(podWith({ livenessProbe: execProbe('live', { periodSeconds: 10 }) }), '10.1.0.5', target('c1', 0));
    await h.clock.advance(secs(35));
    release!();
    await h.clock.advance(0);
    await h.clock.advance(secs(6)); // to 41 s
    assert.deepEqual(h.execs.map((e) => e.t), [0, 35000, 40000]);
  });
});
