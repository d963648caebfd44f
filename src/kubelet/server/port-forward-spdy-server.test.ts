import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidStreamReason, SpdyPortForwardServer } from './port-forward-spdy-server.js';
import {
  controlFrame,
  controlStreamId,
  dataFrame,
  FLAG_FIN,
  FrameType,
  HeaderBlockDeflater,
  pingFrame,
  rstStreamFrame,
  SpdyFrameReader,
  synStreamFrameWithBlock,
  type SpdyFrame,
} from './spdy-frames.js';
import type { ForwardHandlers } from './port-forward-types.js';

interface Dial {
  port: number;
  requestId: string;
  h: ForwardHandlers;
  written: string[];
  ended: boolean;
  closed: boolean;
}

/** Plays kubectl against the server: compressed SYN_STREAMs, data frames; records what comes back. */
class Harness {
  readonly out: SpdyFrame[] = [];
  readonly dials: Dial[] = [];
  closedByServer = false;
  private readonly reader = new SpdyFrameReader();
  private readonly deflater = new HeaderBlockDeflater();
  readonly server: SpdyPortForwardServer;

  constructor(timeoutMs = 30_000) {
    this.server = new SpdyPortForwardServer(
      { write: (b) => this.out.push(...this.reader.push(b)), close: () => (this.closedByServer = true) },
      (port, requestId, h) => {
        const d: Dial = { port, requestId, h, written: [], ended: false, closed: false };
        this.dials.push(d);
        return { write: (b) => d.written.push(b.toString()), end: () => (d.ended = true), close: () => (d.closed = true) };
      },
      { streamCreationTimeoutMs: timeoutMs, connectionName: 'test' },
    );
  }

  async syn(id: number, headers: Record<string, string>, flags = 0): Promise<void> {
    this.server.receive(synStreamFrameWithBlock(id, await this.deflater.block(headers), flags));
    await settle();
  }

  async data(id: number, text: string, fin = false): Promise<void> {
    this.server.receive(dataFrame(id, Buffer.from(text), fin));
    await settle();
  }

  /** The frames sent since the last call, in a compact form. */
  take(): string[] {
    return this.out.splice(0).map(describe);
  }

  close(): void {
    this.deflater.close();
  }
}

function describe(f: SpdyFrame): string {
  if (f.kind === 'data') return `DATA ${f.streamId}${f.flags & FLAG_FIN ? ' FIN' : ''} ${JSON.stringify(f.data.toString())}`;
  const name = Object.entries(FrameType).find(([, v]) => v === f.type)?.[0] ?? `type${f.type}`;
  if (f.type === FrameType.Ping) return `Ping ${f.payload.readUInt32BE(0)}`;
  if (f.type === FrameType.RstStream) return `RstStream ${controlStreamId(f)} status ${f.payload.readUInt32BE(4)}`;
  if (f.type === FrameType.GoAway) return `GoAway last ${controlStreamId(f)} status ${f.payload.readUInt32BE(4)}`;
  return `${name} ${controlStreamId(f)}`;
}

const settle = () => new Promise((r) => setTimeout(r, 10));
const pairHeaders = (type: string, port = '80', requestid = '0') => ({ streamtype: type, port, requestid });

test('a pair of streams is replied to, forwarded, and closed error-stream first', async () => {
  const t = new Harness();
  await t.syn(1, pairHeaders('error'));
  assert.deepEqual(t.take(), ['SynReply 1']);
  assert.equal(t.dials.length, 0, 'nothing is dialled until the data stream arrives');
  await t.data(1, '', true); // kubectl closes its side of the error stream at once
  await t.syn(3, pairHeaders('data'));
  assert.deepEqual(t.take(), ['SynReply 3']);
  assert.equal(t.dials.length, 1);
  const d = t.dials[0]!;
  assert.equal(d.port, 80);
  assert.equal(d.requestId, '0');

  await t.data(3, 'GET / HTTP/1.0\r\n\r\n');
  assert.deepEqual(d.written, ['GET / HTTP/1.0\r\n\r\n']);
  d.h.onData(Buffer.from('HTTP/1.0 200 OK\r\n\r\nhi'));
  assert.deepEqual(t.take(), ['DATA 3 "HTTP/1.0 200 OK\\r\\n\\r\\nhi"']);
  await t.data(3, '', true);
  assert.equal(d.ended, true, 'client FIN is passed on');
  d.h.onEnd();
  assert.deepEqual(t.take(), ['DATA 1 FIN ""', 'DATA 3 FIN ""']);
  d.h.onData(Buffer.from('late'));
  d.h.onEnd();
  assert.deepEqual(t.take(), [], 'nothing after the end');
  await t.data(3, 'after end');
  assert.deepEqual(d.written, ['GET / HTTP/1.0\r\n\r\n']);
  t.close();
});

test('errors go to the error stream; several pairs share the connection', async () => {
  const t = new Harness();
  await t.syn(1, pairHeaders('error', '81', '0'));
  await t.syn(3, pairHeaders('data', '81', '0'));
  await t.syn(5, pairHeaders('error', '80', '1'));
  await t.syn(7, pairHeaders('data', '80', '1'));
  t.take();
  assert.deepEqual(t.dials.map((d) => [d.port, d.requestId]), [[81, '0'], [80, '1']]);
  const [bad, good] = t.dials as [Dial, Dial];
  bad.h.onError(Buffer.from('error forwarding port 81 to pod sb, uid : '));
  bad.h.onError(Buffer.from('connection refused'));
  bad.h.onEnd();
  assert.deepEqual(t.take(), ['DATA 1 "error forwarding port 81 to pod sb, uid : "', 'DATA 1 "connection refused"', 'DATA 1 FIN ""', 'DATA 3 FIN ""']);
  good.h.onData(Buffer.from('still fine'));
  assert.deepEqual(t.take(), ['DATA 7 "still fine"'], 'the failure of one pair leaves the others alone');
  t.close();
});

test('big pod output is split into 64 KiB frames', async () => {
  const t = new Harness();
  await t.syn(1, pairHeaders('error'));
  await t.syn(3, pairHeaders('data'));
  t.take();
  t.dials[0]!.h.onData(Buffer.alloc(150_000, 0x61));
  const frames = t.out.splice(0) as Array<Extract<SpdyFrame, { kind: 'data' }>>;
  assert.deepEqual(frames.map((f) => [f.streamId, f.data.length]), [[3, 65536], [3, 65536], [3, 18928]]);
  t.close();
});

test('data stream first, bytes and FIN before the pair is complete, no request id (old clients)', async () => {
  const t = new Harness();
  // Without requestID the pair is (error id, data id - 2): streams 1 and 3.
  await t.syn(3, { streamtype: 'data', port: '8080' }, FLAG_FIN);
  assert.deepEqual(t.take(), ['SynReply 3']);
  assert.equal(t.dials.length, 0);
  await t.syn(1, { streamtype: 'error', port: '8080' });
  assert.equal(t.dials.length, 1);
  assert.equal(t.dials[0]!.requestId, '1');
  assert.equal(t.dials[0]!.port, 8080);
  assert.equal(t.dials[0]!.ended, true, 'the FIN on the SYN_STREAM was remembered');
  t.close();

  const u = new Harness();
  await u.syn(3, pairHeaders('data', '80', '9'));
  await u.data(3, 'early ');
  await u.data(3, 'bytes', true);
  await u.syn(1, pairHeaders('error', '80', '9'));
  assert.deepEqual(u.dials[0]!.written, ['early ', 'bytes']);
  assert.equal(u.dials[0]!.ended, true);
  u.close();
});

test('invalid streams are reset; the reasons match the kubelet', async () => {
  assert.equal(invalidStreamReason({ streamtype: 'data' }), '"port" header is required');
  assert.equal(invalidStreamReason({ streamtype: 'data', port: 'http' }), 'unable to parse "http" as a port');
  assert.equal(invalidStreamReason({ streamtype: 'data', port: '70000' }), 'unable to parse "70000" as a port');
  assert.equal(invalidStreamReason({ streamtype: 'data', port: '0' }), 'port "0" must be > 0');
  assert.equal(invalidStreamReason({ port: '80' }), '"streamType" header is required');
  assert.equal(invalidStreamReason({ port: '80', streamtype: 'stdin' }), 'invalid stream type "stdin"');
  assert.equal(invalidStreamReason({ port: '80\u000081', streamtype: 'data' }), undefined, 'repeated values: the first counts');

  const t = new Harness();
  await t.syn(1, { streamtype: 'error' });
  await t.syn(3, { streamtype: 'stdout', port: '80' });
  assert.deepEqual(t.take(), ['RstStream 1 status 5', 'RstStream 3 status 5']);
  assert.equal(t.dials.length, 0);
  t.close();
});

test('a second stream of the same type is reported on the pair\'s error stream', async () => {
  const t = new Harness();
  await t.syn(1, pairHeaders('error', '80', '4'));
  await t.syn(3, pairHeaders('error', '80', '4'));
  assert.deepEqual(t.take(), ['SynReply 1', 'SynReply 3', 'DATA 1 "error processing stream for request 4: error stream already assigned"']);
  t.close();
});

test('a pair that never completes times out with the kubelet\'s message', async () => {
  const t = new Harness(40);
  await t.syn(1, pairHeaders('error', '80', '7'));
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(t.take(), ['SynReply 1', 'DATA 1 "(conn=test, request=7) timed out waiting for streams"', 'DATA 1 FIN ""']);
  // A late data stream for the same request starts a fresh pair (and never dials on its own).
  await t.syn(3, pairHeaders('data', '80', '7'));
  assert.equal(t.dials.length, 0);
  t.close();
});

test('a client reset of the data stream aborts the forwarding', async () => {
  const t = new Harness();
  await t.syn(1, pairHeaders('error'));
  await t.syn(3, pairHeaders('data'));
  t.take();
  t.server.receive(rstStreamFrame(3, 5));
  await settle();
  const d = t.dials[0]!;
  assert.equal(d.closed, true);
  assert.deepEqual(t.take(), ['DATA 1 FIN ""'], 'the error stream is still closed properly; the reset one is left alone');
  d.h.onData(Buffer.from('x'));
  d.h.onError(Buffer.from('y'));
  d.h.onEnd();
  assert.deepEqual(t.take(), []);
  // Resetting the error stream after the end (kubectl's cleanup) is harmless.
  t.server.receive(rstStreamFrame(1, 5));
  await settle();
  assert.deepEqual(t.take(), []);
  t.close();
});

test('pings are echoed, other control frames ignored, transport close aborts everything', async () => {
  const t = new Harness();
  t.server.receive(pingFrame(1));
  t.server.receive(pingFrame(2));
  t.server.receive(controlFrame(FrameType.Settings, 0, Buffer.from([0, 0, 0, 0])));
  t.server.receive(controlFrame(FrameType.WindowUpdate, 0, Buffer.alloc(8)));
  await settle();
  assert.deepEqual(t.take(), ['Ping 1']);
  await t.syn(1, pairHeaders('error'));
  await t.syn(3, pairHeaders('data'));
  await t.syn(5, pairHeaders('error', '80', '1'));
  await t.syn(7, pairHeaders('data', '80', '1'));
  t.take();
  t.server.transportClosed();
  assert.deepEqual(t.dials.map((d) => d.closed), [true, true]);
  t.server.receive(pingFrame(3));
  await settle();
  assert.deepEqual(t.take(), [], 'a closed session sends nothing');
  t.close();
});

test('an undecodable header block ends the connection with GOAWAY (protocol error)', async () => {
  const t = new Harness();
  await t.syn(1, pairHeaders('error'));
  t.server.receive(synStreamFrameWithBlock(3, Buffer.from('not zlib at all')));
  await settle();
  assert.deepEqual(t.take(), ['SynReply 1', 'GoAway last 1 status 1']);
  assert.equal(t.closedByServer, true);
  t.close();
});
