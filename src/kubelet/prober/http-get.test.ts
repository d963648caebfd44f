import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalHeaderKey, probeHeaders, probeUrl, runHttpGet } from './http-get.js';

interface Seen { url: string; headers: IncomingHttpHeaders; rawHeaders: string[] }

let server: Server;
let port = 0;
const seen: Seen[] = [];

function listen(s: Server | NetServer): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

before(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders });
    const u = new URL(req.url ?? '/', 'http://x');
    const code = Number(u.searchParams.get('code') ?? 200);
    if (u.pathname === '/big') {
      res.writeHead(200);
      res.end('a'.repeat(20000));
    } else if (u.pathname === '/redirect-same') {
      res.writeHead(302, { Location: '/ok' });
      res.end();
    } else if (u.pathname === '/redirect-other') {
      // Another host name (still loopback): not followed.
      res.writeHead(301, { Location: `http://localhost:${port}/ok` });
      res.end('moved away');
    } else if (u.pathname.startsWith('/loop')) {
      res.writeHead(302, { Location: `/loop${Number(u.pathname.slice(5) || 0) + 1}` });
      res.end();
    } else if (u.pathname === '/hang') {
      // never answers
    } else if (u.pathname === '/slow-body') {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial');
    } else {
      res.writeHead(code);
      res.end(`body ${code}`);
    }
  });
  port = await listen(server);
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const container = { ports: [{ name: 'http', containerPort: 0 }] };
const probe = (action: any, timeoutMs = 2000, podIP = '127.0.0.1') => runHttpGet({ port, ...action }, container, podIP, { purpose: 'probe', timeoutMs });

describe('httpGet probe against a real server', () => {
  it('2xx is success with the body; the request has the kubelet shape', async () => {
    seen.length = 0;
    const r = await probe({ path: '/healthz', httpHeaders: [{ name: 'x-custom-header', value: 'v1' }, { name: 'X-CUSTOM-HEADER', value: 'v2' }] });
    assert.deepEqual(r, { result: 'success', output: 'body 200' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, '/healthz');
    assert.equal(seen[0]!.headers['user-agent'], 'kube-probe/1.32');
    assert.equal(seen[0]!.headers['accept'], '*/*');
    assert.equal(seen[0]!.headers['host'], `127.0.0.1:${port}`);
    assert.equal(seen[0]!.headers['connection'], 'close');
    assert.equal(seen[0]!.headers['accept-encoding'], undefined);
    // canonical name, both values
    const names = seen[0]!.rawHeaders.filter((_v, i) => i % 2 === 0);
    assert.deepEqual(names.filter((n) => n.toLowerCase() === 'x-custom-header'), ['X-Custom-Header', 'X-Custom-Header']);
    assert.equal(seen[0]!.headers['x-custom-header'], 'v1, v2');
  });

  it('custom User-Agent, Host and empty Accept override the defaults', async () => {
    seen.length = 0;
    await probe({ path: '/', httpHeaders: [{ name: 'user-agent', value: 'mine' }, { name: 'Host', value: 'example.test' }, { name: 'Accept', value: '' }] });
    assert.equal(seen[0]!.headers['user-agent'], 'mine');
    assert.equal(seen[0]!.headers['host'], 'example.test');
    assert.equal(seen[0]!.headers['accept'], undefined);
  });

  it('empty path requests / ; status 399 is a warning, 400 and 500 are failures', async () => {
    seen.length = 0;
    assert.deepEqual(await probe({}), { result: 'success', output: 'body 200' });
    assert.equal(seen[0]!.url, '/');
    assert.deepEqual(await probe({ path: '/?code=399' }), { result: 'warning', output: 'Probe terminated redirects, Response body: body 399' });
    assert.deepEqual(await probe({ path: '/?code=400' }), { result: 'failure', output: 'HTTP probe failed with statuscode: 400' });
    assert.deepEqual(await probe({ path: '/x?code=500' }), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  });

  it('named ports resolve from the container; unknown names error like the kubelet', async () => {
    const r = await runHttpGet({ port: 'http', path: '/' }, { ports: [{ name: 'http', containerPort: port }] }, '127.0.0.1', { purpose: 'probe', timeoutMs: 2000 });
    assert.equal(r.result, 'success');
    assert.deepEqual(await runHttpGet({ port: 'metrics' }, container, '127.0.0.1', { purpose: 'probe', timeoutMs: 2000 }), {
      result: 'unknown', output: '', error: 'strconv.Atoi: parsing "metrics": invalid syntax',
    });
    assert.deepEqual(await runHttpGet({ port: 0 }, container, '127.0.0.1', { purpose: 'probe', timeoutMs: 2000 }), {
      result: 'unknown', output: '', error: 'invalid port number: 0',
    });
  });

  it('follows redirects on the same host, not to another host name, and stops after 10', async () => {
    seen.length = 0;
    assert.deepEqual(await probe({ path: '/redirect-same' }), { result: 'success', output: 'body 200' });
    assert.deepEqual(seen.map((s) => s.url), ['/redirect-same', '/ok']);
    seen.length = 0;
    assert.deepEqual(await probe({ path: '/redirect-other' }), { result: 'warning', output: 'Probe terminated redirects, Response body: moved away' });
    assert.equal(seen.length, 1);
    assert.deepEqual(await probe({ path: '/loop' }), {
      result: 'failure', output: `Get "http://127.0.0.1:${port}/loop10": stopped after 10 redirects`,
    });
  });

  it('reads at most 10 KiB of body', async () => {
    const r = await probe({ path: '/big' });
    assert.equal(r.result, 'success');
    assert.equal(r.output.length, 10240);
  });

  it('refused connections and timeouts read as Go errors', async () => {
    const closed = createNetServer();
    const closedPort = await listen(closed);
    await new Promise((r) => closed.close(r));
    assert.deepEqual(await runHttpGet({ port: closedPort, path: '/healthz' }, container, '127.0.0.1', { purpose: 'probe', timeoutMs: 1000 }), {
      result: 'failure', output: `Get "http://127.0.0.1:${closedPort}/healthz": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
    assert.deepEqual(await runHttpGet({ port: closedPort }, container, '127.0.0.1', { purpose: 'probe', timeoutMs: 1000 }), {
      result: 'failure', output: `Get "http://127.0.0.1:${closedPort}": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
    const t0 = Date.now();
    assert.deepEqual(await probe({ path: '/hang' }, 300), {
      result: 'failure', output: `Get "http://127.0.0.1:${port}/hang": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
    assert.ok(Date.now() - t0 >= 290 && Date.now() - t0 < 2000);
    // the status arrived but the body did not: an error, not a failure
    assert.deepEqual(await probe({ path: '/slow-body' }, 300), {
      result: 'failure', output: '', error: 'net/http: request canceled (Client.Timeout or context cancellation while reading body)',
    });
  });

  it('a server that closes without answering gives EOF', async () => {
    const rude = createNetServer((s: Socket) => s.once('data', () => s.destroy()));
    const rudePort = await listen(rude);
    try {
      assert.deepEqual(await runHttpGet({ port: rudePort, path: '/' }, container, '127.0.0.1', { purpose: 'probe', timeoutMs: 1000 }), {
        result: 'failure', output: `Get "http://127.0.0.1:${rudePort}/": EOF`,
      });
    } finally {
      rude.close();
    }
  });

  it('never connects anywhere but the pod IP or loopback', async () => {
    assert.deepEqual(await runHttpGet({ host: '192.0.2.7', port: 80, path: '/' }, container, '10.200.0.9', { purpose: 'probe', timeoutMs: 1000 }), {
      result: 'failure',
      output: `Get "http://192.0.2.7:80/": dial tcp 192.0.2.7:80: connect: refusing to connect to 192.0.2.7: probes may only reach the pod's own IP (10.200.0.9) or loopback`,
    });
    const r = await runHttpGet({ host: 'example.com', port: 80 }, container, '10.200.0.9', { purpose: 'probe', timeoutMs: 1000 });
    assert.equal(r.result, 'failure');
    assert.match(r.output, /^Get "http:\/\/example\.com:80": dial tcp example\.com:80: connect: refusing to connect to example\.com/);
  });

  it('lifecycle purpose: any response is success, User-Agent kube-lifecycle', async () => {
    seen.length = 0;
    const r = await runHttpGet({ port, path: '/?code=500' }, container, '127.0.0.1', { purpose: 'lifecycle', timeoutMs: 0 });
    assert.deepEqual(r, { result: 'success', output: '' });
    assert.equal(seen[0]!.headers['user-agent'], 'kube-lifecycle/1.32');
  });
});

describe('httpGet over HTTPS', () => {
  let dir = '';
  let tls: ReturnType<typeof createHttpsServer> | undefined;
  let tlsPort = 0;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=probe-test'], { stdio: 'ignore' });
    tls = createHttpsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) => {
      res.writeHead(200);
      res.end(`secure ${req.headers['user-agent']}`);
    });
    tlsPort = await listen(tls);
  });
  after(() => {
    tls?.closeAllConnections();
    tls?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not verify the certificate', async () => {
    assert.deepEqual(await runHttpGet({ scheme: 'HTTPS', port: tlsPort, path: '/' }, container, '127.0.0.1', { purpose: 'probe', timeoutMs: 2000 }), {
      result: 'success', output: 'secure kube-probe/1.32',
    });
  });

  it('HTTPS to a plain HTTP server reads like Go', async () => {
    assert.deepEqual(await runHttpGet({ scheme: 'HTTPS', port, path: '/' }, container, '127.0.0.1', { purpose: 'probe', timeoutMs: 2000 }), {
      result: 'failure', output: `Get "https://127.0.0.1:${port}/": http: server gave HTTP response to HTTPS client`,
    });
  });
});

describe('httpGet pieces', () => {
  it('canonical header keys', () => {
    assert.equal(canonicalHeaderKey('x-custom-header'), 'X-Custom-Header');
    assert.equal(canonicalHeaderKey('ACCEPT'), 'Accept');
    assert.equal(canonicalHeaderKey('user-agent'), 'User-Agent');
    assert.equal(canonicalHeaderKey('bad header'), 'bad header');
  });

  it('URLs as Go prints them', () => {
    assert.equal(probeUrl('http', '10.0.0.1', 8080, ''), 'http://10.0.0.1:8080');
    assert.equal(probeUrl('http', '10.0.0.1', 8080, 'healthz'), 'http://10.0.0.1:8080/healthz');
    assert.equal(probeUrl('https', 'fd00::5', 443, '/a b?x=1'), 'https://[fd00::5]:443/a%20b?x=1');
  });

  it('header defaults', () => {
    assert.deepEqual([...probeHeaders({}, 'probe')], [['User-Agent', ['kube-probe/1.32']], ['Accept', ['*/*']]]);
    assert.deepEqual([...probeHeaders({ httpHeaders: [{ name: 'accept', value: 'application/json' }] }, 'lifecycle')], [
      ['Accept', ['application/json']], ['User-Agent', ['kube-lifecycle/1.32']],
    ]);
  });
});
