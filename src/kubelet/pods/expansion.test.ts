import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, expandCommandAndArgs } from './expansion.js';

const vars = new Map([
  ['VAR_A', 'A'],
  ['VAR_B', 'B'],
  ['VAR_C', 'C'],
  ['VAR_REF', '$(VAR_A)'],
  ['VAR_EMPTY', ''],
]);

// Cases from the kubelet's expansion rules.
const cases: [string, string][] = [
  ['$(VAR_A)', 'A'],
  ['___$(VAR_B)___', '___B___'],
  ['$(VAR_A)-$(VAR_A)', 'A-A'],
  ['$(VAR_A)-1', 'A-1'],
  ['$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
  ['f000-$$VAR_A', 'f000-$VAR_A'],
  ['foo\\$(VAR_C)bar', 'foo\\Cbar'],
  ['foo\\\\$(VAR_C)bar', 'foo\\\\Cbar'],
  ['$$(VAR_A)', '$(VAR_A)'],
  ['$$$(VAR_A)', '$A'],
  ['$$$$(VAR_A)', '$$(VAR_A)'],
  ['$(VAR_REF)', '$(VAR_A)'],
  ['$(VAR_EMPTY)', ''],
  ['$(UNKNOWN)', '$(UNKNOWN)'],
  ['$()', '$()'],
  ['$(VAR_A', '$(VAR_A'],
  ['$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
  ['$VAR_A', '$VAR_A'],
  ['$', '$'],
  ['foo$', 'foo$'],
  ['$$', '$'],
  ['$$$', '$$'],
  ['$(', '$('],
  ['no vars here', 'no vars here'],
  ['', ''],
];

for (const [input, want] of cases) {
  test(`expand ${JSON.stringify(input)}`, () => {
    assert.equal(expand(input, vars), want);
  });
}

test('command and args are expanded separately; absent lists stay absent; later env entries win', () => {
  const envs = [
    { key: 'X', value: 'one' },
    { key: 'X', value: 'two' },
  ];
  assert.deepEqual(expandCommandAndArgs({ command: ['echo', '$(X)'], args: ['$$(X)', '$(Y)'] }, envs), {
    command: ['echo', 'two'],
    args: ['$(X)', '$(Y)'],
  });
  assert.deepEqual(expandCommandAndArgs({ args: ['$(X)'] }, envs), { args: ['two'] });
  assert.deepEqual(expandCommandAndArgs({}, envs), {});
});
