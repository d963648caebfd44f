import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlicePrinter, endpointsPrinter, formatEndpoints } from './endpoints.js';
import { NOW, meta, M } from './test-helpers.js';

const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));

test('endpoints: none, single, and full row', () => {
  assert.equal(formatEndpoints({}), '<none>');
  assert.equal(formatEndpoints({ subsets: [] }), '<none>');
  const ep = { metadata: meta('web', 7 * M), subsets: [{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }] }] };
  assert.deepEqual(endpointsPrinter.row(ep, NOW), ['web', '10.0.0.1:80,10.0.0.2:80', '7m']);
});

test('endpoints: more than three addresses are summarised', () => {
  const ep = { subsets: [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'), ports: [{ port: 80 }] }] };
  assert.equal(formatEndpoints(ep), '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
});

test('endpoints: exactly three addresses has no suffix', () => {
  assert.equal(formatEndpoints({ subsets: [{ addresses: addrs('a', 'b', 'c'), ports: [{ port: 1 }] }] }), 'a:1,b:1,c:1');
});

test('endpoints: every port multiplies the addresses; counts span subsets', () => {
  const ep = {
    subsets: [
      { addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] },
      { addresses: addrs('10.0.1.1'), ports: [{ port: 8080 }] },
    ],
  };
  assert.equal(formatEndpoints(ep), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...');
});

test('endpoints: headless without ports, IPv6 brackets, subsets without addresses', () => {
  assert.equal(formatEndpoints({ subsets: [{ addresses: addrs('10.0.0.9') }] }), '10.0.0.9');
  assert.equal(formatEndpoints({ subsets: [{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }] }), '[fd00::1]:80');
  assert.equal(formatEndpoints({ subsets: [{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }] }), '');
});

test('endpointslices row', () => {
  const slice = {
    metadata: meta('web-abc12', 2 * M),
    addressType: 'IPv4',
    ports: [{ port: 80, name: 'http' }, { name: 'metrics' }, {}, { port: 9090 }],
    endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
  };
  assert.deepEqual(endpointSlicePrinter.row(slice, NOW), ['web-abc12', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '2m']);
  assert.deepEqual(endpointSlicePrinter.row({ metadata: meta('empty', 2 * M), addressType: 'IPv4' }, NOW).slice(2, 4), ['<unset>', '<unset>']);
});
