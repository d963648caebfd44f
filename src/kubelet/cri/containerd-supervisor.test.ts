import { test } from 'node:test';
import assert from 'node:assert/strict';
import { superviseContainerd } from './containerd-supervisor.js';
import type { ContainerdHandle, ContainerdOptions } from './containerd-process.js';

/** A containerd stand-in whose exit the test triggers. */
function fakeHandle(pid: number, stopped: number[]) {
  let exit!: () => void;
  const exited = new Promise<void>((r) => (exit = r));
  const handle: ContainerdHandle = { socket: '/x.sock', pid, dir: '/x', logFile: '/x.log', exited, stop: async () => void (stopped.push(pid), exit()) };
  return { handle, exit };
}

const opts = { dir: '/x', bridge: 'skx', podCIDR: '10.1.2.0/24', pauseImage: 'p' } as ContainerdOptions;
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test('an unexpected exit is followed by a restart; stop() stops the current one', async () => {
  const stopped: number[] = [];
  const first = fakeHandle(1, stopped);
  const second = fakeHandle(2, stopped);
  const queue = [first.handle, second.handle];
  const sup = await superviseContainerd(opts, { initialMs: 1, maxMs: 10 }, async () => queue.shift()!);
  first.exit();
  await tick(20);
  assert.equal(sup.restarts(), 1);
  assert.equal(sup.current().pid, 2);
  await sup.stop();
  assert.deepEqual(stopped, [2]);
});

test('stop() during a restart waits for it and stops the containerd it started', async () => {
  const stopped: number[] = [];
  const first = fakeHandle(1, stopped);
  const second = fakeHandle(2, stopped);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const sup = await superviseContainerd(opts, { initialMs: 1, maxMs: 10 }, async () => {
    if (calls++ === 0) return first.handle;
    await gate; // the restart is slow
    return second.handle;
  });
  first.exit();
  await tick(20); // the restart is now under way
  const stopping = sup.stop();
  release();
  await stopping;
  assert.deepEqual(stopped, [2], 'the containerd started by the restart is not left running');
  await tick(20);
  assert.equal(calls, 2, 'no further restart after stop');
});
