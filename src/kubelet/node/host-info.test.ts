import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerRuntimeVersion, firstHostIPv4, goArch, meminfoKiB, osImageFrom, readHostFacts } from './host-info.js';

const MEMINFO = `MemTotal:       24684084 kB
MemFree:        23780192 kB
MemAvailable:   24092844 kB
HugePages_Total:       0
`;

test('meminfoKiB reads kB fields and unit-less counters, undefined when missing', () => {
  assert.equal(meminfoKiB(MEMINFO, 'MemTotal'), 24684084);
  assert.equal(meminfoKiB(MEMINFO, 'MemAvailable'), 24092844);
  assert.equal(meminfoKiB(MEMINFO, 'HugePages_Total'), 0);
  assert.equal(meminfoKiB(MEMINFO, 'Mem'), undefined);
  assert.equal(meminfoKiB('', 'MemTotal'), undefined);
});

test('osImageFrom takes PRETTY_NAME without quotes; "Linux" when absent', () => {
  const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n';
  assert.equal(osImageFrom(debian), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(osImageFrom("NAME=Alpine\nPRETTY_NAME='Alpine Linux v3.19'\n"), 'Alpine Linux v3.19');
  assert.equal(osImageFrom('PRETTY_NAME=Plain\n'), 'Plain');
  assert.equal(osImageFrom('PRETTY_NAME="Say \\"hi\\""'), 'Say "hi"');
  assert.equal(osImageFrom('NAME=x\n'), 'Linux');
});

test('goArch maps Node arch names to GOARCH', () => {
  assert.equal(goArch('x64'), 'amd64');
  assert.equal(goArch('arm64'), 'arm64');
  assert.equal(goArch('ia32'), '386');
  assert.equal(goArch('mips'), 'mips');
});

test('containerRuntimeVersion is name://version as the kubelet writes it', () => {
  assert.equal(containerRuntimeVersion({ runtime_name: 'containerd', runtime_version: '1.6.20~ds1' }), 'containerd://1.6.20~ds1');
});

test('firstHostIPv4 skips loopback and IPv6, in interface-name order', () => {
  const mk = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
    ({ address, family, internal, netmask: '', mac: '', cidr: null }) as os.NetworkInterfaceInfo;
  const ifaces = {
    lo: [mk('127.0.0.1', 'IPv4', true)],
    wlan0: [mk('192.168.1.5', 'IPv4', false)],
    eth0: [mk('fe80::1', 'IPv6', false), mk('10.0.0.7', 'IPv4', false)],
  };
  assert.equal(firstHostIPv4(ifaces), '10.0.0.7');
  assert.equal(firstHostIPv4({ lo: [mk('127.0.0.1', 'IPv4', true)] }), undefined);
});

test('readHostFacts reads a host tree; systemUUID falls back to the machine id', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-hostinfo-'));
  try {
    const put = (p: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), text);
    };
    put('proc/meminfo', MEMINFO);
    put('etc/machine-id', '3d1219c7c4c5404aaa1f6d2a48adfda4\n');
    put('etc/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
    put('proc/sys/kernel/random/boot_id', 'b3c1f1a6-0d7e-4f39-9d9b-4f2b2f1d2a11\n');
    const facts = await readHostFacts(root, { root, cpuCount: 4, kernelVersion: '6.1.0-test', hostname: 'VM-One', arch: 'x64' });
    const st = fs.statfsSync(root);
    assert.deepEqual(facts, {
      hostname: 'vm-one',
      cpuCount: 4,
      memoryBytes: 24684084 * 1024,
      ephemeralStorageBytes: st.blocks * st.bsize,
      machineID: '3d1219c7c4c5404aaa1f6d2a48adfda4',
      systemUUID: '3d1219c7c4c5404aaa1f6d2a48adfda4',
      bootID: 'b3c1f1a6-0d7e-4f39-9d9b-4f2b2f1d2a11',
      kernelVersion: '6.1.0-test',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      operatingSystem: 'linux',
      architecture: 'amd64',
    });
    put('sys/class/dmi/id/product_uuid', 'EC2A1B2C-0000-1111-2222-333344445555\n');
    assert.equal((await readHostFacts(root, { root })).systemUUID, 'EC2A1B2C-0000-1111-2222-333344445555');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
