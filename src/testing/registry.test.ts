import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { htpasswdLine, REGISTRY_BINARY, registryConfig, startRegistry, type TestRegistry } from './registry.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-registry-'));
const started: TestRegistry[] = [];
after(async () => {
  await Promise.all(started.map((r) => r.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      })
      .on('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('registry config', () => {
  test('htpasswd line is a bcrypt hash of the password', () => {
    const line = htpasswdLine({ username: 'alice', password: 's3cret' });
    const m = line.match(/^alice:(\$2[aby]\$05\$.{53})\n$/);
    assert.ok(m, line);
    assert.equal(bcrypt.compareSync('s3cret', m[1]), true);
    assert.equal(bcrypt.compareSync('wrong', m[1]), false);
    assert.throws(() => htpasswdLine({ username: 'a:b', password: 'x' }), /cannot contain/);
  });

  test('config listens on loopback and only adds auth when asked', () => {
    const open = registryConfig({ port: 5999, dataDir: '/d' });
    assert.deepEqual(open.http, { addr: '127.0.0.1:5999', secret: 'skiff-test-registry' });
    assert.deepEqual(open.storage, { filesystem: { rootdirectory: '/d' }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } });
    assert.equal('auth' in open, false);
    const closed = registryConfig({ port: 5999, dataDir: '/d', htpasswdPath: '/h' });
    assert.deepEqual(closed.auth, { htpasswd: { realm: 'skiff-test-registry', path: '/h' } });
  });
});

describe('startRegistry', { skip: fs.existsSync(REGISTRY_BINARY) ? false : `${REGISTRY_BINARY} missing` }, () => {
  test('open registry answers /v2/ with 200 and stops cleanly', async () => {
    const dir = path.join(tmp, 'open');
    const reg = await startRegistry({ dir });
    started.push(reg);
    assert.equal(reg.url, `http://127.0.0.1:${reg.port}`);
    assert.equal(reg.host, `127.0.0.1:${reg.port}`);
    const res = await get(`${reg.url}/v2/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['docker-distribution-api-version'], 'registry/2.0');
    assert.ok(fs.existsSync(path.join(dir, 'config.yml')));
    assert.ok(fs.existsSync(path.join(dir, 'data')));
    await reg.stop();
    assert.equal(alive(reg.pid), false);
    await assert.rejects(get(`${reg.url}/v2/`), /ECONNREFUSED/);
    await reg.stop(); // idempotent
  });

  test('htpasswd registry wants Basic auth and accepts only the right password', async () => {
    const reg = await startRegistry({ dir: path.join(tmp, 'auth'), auth: { username: 'bob', password: 'hunter2' } });
    started.push(reg);
    const anon = await get(`${reg.url}/v2/`);
    assert.equal(anon.status, 401);
    assert.equal(anon.headers['www-authenticate'], 'Basic realm="skiff-test-registry"');
    const basic = (u: string, p: string) => ({ Authorization: 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64') });
    assert.equal((await get(`${reg.url}/v2/`, basic('bob', 'wrong'))).status, 401);
    assert.equal((await get(`${reg.url}/v2/`, basic('bob', 'hunter2'))).status, 200);
    assert.equal((await fs.promises.readFile(path.join(tmp, 'auth', 'htpasswd'), 'utf8')).startsWith('bob:$2'), true);
    await reg.stop();
  });

  test('two registries run side by side on different ports', async () => {
    const [a, b] = await Promise.all([startRegistry({ dir: path.join(tmp, 'a') }), startRegistry({ dir: path.join(tmp, 'b') })]);
    started.push(a, b);
    assert.notEqual(a.port, b.port);
    assert.equal((await get(`${a.url}/v2/`)).status, 200);
    assert.equal((await get(`${b.url}/v2/`)).status, 200);
    await Promise.all([a.stop(), b.stop()]);
  });
});
