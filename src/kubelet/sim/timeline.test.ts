import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSlot, Timeline, type TimelineClock } from './timeline.js';

class FakeClock implements TimelineClock {
  t = 1000;
  private nextId = 1;
  timers = new Map<number, { at: number; fn: () => void }>();
  armed = 0;
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    this.armed++;
    return id;
  }
  clearTimer(h: unknown): void {
    this.timers.delete(h as number);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let best: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!best || e[1].at < best[1].at)) best = e;
      if (!best) break;
      this.timers.delete(best[0]);
      this.t = best[1].at;
      best[1].fn();
    }
    this.t = end;
  }
}

test('runs tasks in due order, same-time tasks in the order added, with one live timer', () => {
  const clock = new FakeClock();
  const ran: string[] = [];
  const tl = new Timeline<string>((t) => ran.push(`${t}@${clock.now()}`), { clock, slackMs: 0 });
  tl.schedule(1300, 'c');
  tl.schedule(1100, 'a');
  tl.schedule(1200, 'b1');
  tl.schedule(1200, 'b2');
  assert.equal(clock.timers.size, 1);
  assert.equal(tl.size, 4);
  clock.advance(99);
  assert.deepEqual(ran, []);
  clock.advance(1);
  assert.deepEqual(ran, ['a@1100']);
  clock.advance(200);
  assert.deepEqual(ran, ['a@1100', 'b1@1200', 'b2@1200', 'c@1300']);
  assert.equal(tl.size, 0);
  assert.equal(clock.timers.size, 0);
});

test('an earlier task re-arms the timer; a later one does not', () => {
  const clock = new FakeClock();
  const ran: string[] = [];
  const tl = new Timeline<string>((t) => ran.push(t), { clock, slackMs: 0 });
  tl.schedule(2000, 'late');
  const armedBefore = clock.armed;
  tl.schedule(3000, 'later');
  assert.equal(clock.armed, armedBefore);
  tl.schedule(1500, 'early');
  assert.equal(clock.armed, armedBefore + 1);
  assert.equal(clock.timers.size, 1);
  clock.advance(500);
  assert.deepEqual(ran, ['early']);
});

test('tasks due within the slack run in the same wake-up; past-due tasks run at once', () => {
  const clock = new FakeClock();
  const ran: [string, number][] = [];
  const tl = new Timeline<string>((t) => ran.push([t, clock.now()]), { clock, slackMs: 10 });
  tl.schedule(1100, 'a');
  tl.schedule(1108, 'b');
  tl.schedule(1111, 'c');
  clock.advance(100);
  assert.deepEqual(ran, [
    ['a', 1100],
    ['b', 1100],
  ]);
  clock.advance(11);
  assert.deepEqual(ran[2], ['c', 1111]);
  tl.schedule(500, 'overdue');
  clock.advance(0);
  assert.deepEqual(ran[3], ['overdue', 1111]);
});

test('a task may schedule more tasks; a throwing task does not stop the loop; stop drops everything', () => {
  const clock = new FakeClock();
  const ran: string[] = [];
  const tl: Timeline<string> = new Timeline<string>(
    (t) => {
      ran.push(t);
      if (t === 'boom') throw new Error('boom');
      if (t === 'tick' && ran.length < 4) tl.schedule(clock.now() + 10, 'tick');
    },
    { clock, slackMs: 0 },
  );
  tl.schedule(1010, 'boom');
  tl.schedule(1010, 'tick');
  clock.advance(100);
  assert.deepEqual(ran, ['boom', 'tick', 'tick', 'tick']);
  tl.schedule(1200, 'never');
  tl.stop();
  assert.equal(clock.timers.size, 0);
  tl.schedule(1200, 'after-stop');
  clock.advance(1000);
  assert.deepEqual(ran, ['boom', 'tick', 'tick', 'tick']);
});

test('heap keeps order over many random entries', () => {
  const clock = new FakeClock();
  const ran: number[] = [];
  const tl = new Timeline<number>((t) => ran.push(t), { clock, slackMs: 0 });
  const times = Array.from({ length: 2000 }, (_, i) => 1001 + ((i * 7919) % 5000));
  for (const t of times) tl.schedule(t, t);
  clock.advance(10_000);
  assert.deepEqual(ran, [...times].sort((a, b) => a - b));
});

test('nextSlot: first time strictly after `after` on the phase grid', () => {
  assert.equal(nextSlot(0, 0, 10), 10);
  assert.equal(nextSlot(0, 3, 10), 3);
  assert.equal(nextSlot(3, 3, 10), 13);
  assert.equal(nextSlot(12.5, 3, 10), 13);
  assert.equal(nextSlot(1_000_007, 2500, 10_000), 1_002_500);
  // Phases of a fleet spread its slots evenly.
  const period = 10_000;
  const slots = Array.from({ length: 5 }, (_, i) => nextSlot(50_000, (i / 5) * period, period)).sort((a, b) => a - b);
  assert.deepEqual(slots, [52_000, 54_000, 56_000, 58_000, 60_000]);
});
