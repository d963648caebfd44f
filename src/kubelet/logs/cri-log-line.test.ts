import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogTime, isBefore, logTimeFromMs, parseCriLogLine, parseLogTime } from './cri-log-line.js';

test('parseLogTime accepts 0-9 fractional digits and offsets', () => {
  assert.deepEqual(parseLogTime('2026-11-25T19:17:25.267910115Z'), { sec: Date.UTC(2026, 10, 25, 19, 17, 25) / 1000, nsec: 267910115 });
  assert.deepEqual(parseLogTime('2026-11-25T19:19:15.472798Z'), { sec: Date.UTC(2026, 10, 25, 19, 19, 15) / 1000, nsec: 472798000 });
  assert.deepEqual(parseLogTime('2026-11-25T19:19:15Z'), { sec: Date.UTC(2026, 10, 25, 19, 19, 15) / 1000, nsec: 0 });
  assert.deepEqual(parseLogTime('2026-11-25T21:19:15.5+02:00'), { sec: Date.UTC(2026, 10, 25, 19, 19, 15) / 1000, nsec: 500000000 });
  assert.equal(parseLogTime('2026-11-25 19:19:15Z'), undefined);
  assert.equal(parseLogTime('2026-11-25T19:19:15.1234567891Z'), undefined, 'ten digits');
});

test('formatLogTime always prints nine fractional digits in UTC', () => {
  assert.equal(formatLogTime(parseLogTime('2026-11-25T19:19:15.472798Z')!), '2026-11-25T19:19:15.472798000Z');
  assert.equal(formatLogTime(parseLogTime('2026-11-25T19:19:15Z')!), '2026-11-25T19:19:15.000000000Z');
  assert.equal(formatLogTime(logTimeFromMs(Date.UTC(2020, 0, 2, 3, 4, 5, 6))), '2020-01-02T03:04:05.006000000Z');
});

test('isBefore compares seconds then nanoseconds', () => {
  assert.equal(isBefore({ sec: 1, nsec: 5 }, { sec: 1, nsec: 6 }), true);
  assert.equal(isBefore({ sec: 1, nsec: 6 }, { sec: 1, nsec: 6 }), false);
  assert.equal(isBefore({ sec: 2, nsec: 0 }, { sec: 1, nsec: 999 }), false);
});

test('parseCriLogLine: full lines keep the newline, partial lines lose it', () => {
  const f = parseCriLogLine(Buffer.from('2026-11-25T19:17:25.267910115Z stdout F hello world\n'))!;
  assert.equal(f.stream, 'stdout');
  assert.equal(f.partial, false);
  assert.equal(f.content.toString(), 'hello world\n');
  const p = parseCriLogLine(Buffer.from('2026-11-25T19:17:25.2Z stderr P part\n'))!;
  assert.equal(p.stream, 'stderr');
  assert.equal(p.partial, true);
  assert.equal(p.content.toString(), 'part');
  const tagged = parseCriLogLine(Buffer.from('2026-11-25T19:17:25Z stdout F:x a b \n'))!;
  assert.equal(tagged.content.toString(), 'a b \n');
  const empty = parseCriLogLine(Buffer.from('2026-11-25T19:17:25Z stdout F \n'))!;
  assert.equal(empty.content.toString(), '\n');
});

test('parseCriLogLine rejects lines that are not CRI format', () => {
  assert.equal(parseCriLogLine(Buffer.from('garbage\n')), undefined);
  assert.equal(parseCriLogLine(Buffer.from('2026-11-25T19:17:25Z stdin F x\n')), undefined);
  assert.equal(parseCriLogLine(Buffer.from('2026-11-25T19:17:25Z stdout\n')), undefined);
  assert.equal(parseCriLogLine(Buffer.from('notatime stdout F x\n')), undefined);
});

test('parseCriLogLine keeps non-UTF-8 bytes as they are', () => {
  const line = Buffer.concat([Buffer.from('2026-11-25T19:17:25Z stdout F '), Buffer.from([0xff, 0xfe, 0x0a])]);
  assert.deepEqual([...parseCriLogLine(line)!.content], [0xff, 0xfe, 0x0a]);
});
