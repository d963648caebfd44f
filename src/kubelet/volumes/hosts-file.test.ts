import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { managedHostsContent, podHostnameAndDomain, truncateHostname, writeHostsFile } from './hosts-file.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-hosts-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const BASE =
  '# Kubernetes-managed hosts file.\n' +
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\n' +
  'fe00::0\tip6-mcastprefix\n' +
  'fe00::1\tip6-allnodes\n' +
  'fe00::2\tip6-allrouters\n';

test('plain pod', () => {
  assert.equal(managedHostsContent(['10.1.0.5'], 'web', ''), BASE + '10.1.0.5\tweb\n');
});

test('hostname + subdomain gives the FQDN first, then the short name; aliases follow', () => {
  const aliases = [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote'] }];
  assert.equal(
    managedHostsContent(['10.1.0.5'], 'db-0', 'db.shop.svc.cluster.local', aliases),
    BASE +
      '10.1.0.5\tdb-0.db.shop.svc.cluster.local\tdb-0\n' +
      '\n# Entries added by HostAliases.\n' +
      '127.0.0.1\tfoo.local\tbar.local\n' +
      '10.1.2.3\tfoo.remote\n',
  );
});

test('no pod IP: only the boilerplate', () => {
  assert.equal(managedHostsContent([], 'web', ''), BASE);
});

test('hostname and domain from the pod', () => {
  assert.deepEqual(podHostnameAndDomain({ metadata: { name: 'p', namespace: 'ns' }, spec: {} }, 'cluster.local'), { hostname: 'p', domain: '' });
  assert.deepEqual(podHostnameAndDomain({ metadata: { name: 'p', namespace: 'ns' }, spec: { hostname: 'h', subdomain: 's' } }, 'k.test'), {
    hostname: 'h',
    domain: 's.ns.svc.k.test',
  });
  assert.equal(truncateHostname('a'.repeat(62) + '-b' + 'c'.repeat(5)), 'a'.repeat(62));
  assert.equal(truncateHostname('x'.repeat(63)), 'x'.repeat(63));
});

test('writeHostsFile: pod network and host network', async () => {
  const file = path.join(root, 'etc-hosts');
  await writeHostsFile(file, { metadata: { name: 'web', namespace: 'd' }, spec: {} }, ['10.1.0.5'], 'cluster.local');
  assert.equal(fs.readFileSync(file, 'utf8'), BASE + '10.1.0.5\tweb\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o644);

  const nodeHosts = path.join(root, 'node-hosts');
  fs.writeFileSync(nodeHosts, '127.0.0.1\tlocalhost\n192.168.1.10\tmynode\n');
  const pod = { metadata: { name: 'h', namespace: 'd' }, spec: { hostNetwork: true, hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }] } };
  await writeHostsFile(file, pod, ['192.168.1.10'], 'cluster.local', nodeHosts);
  assert.equal(
    fs.readFileSync(file, 'utf8'),
    '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n192.168.1.10\tmynode\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n',
  );
});
