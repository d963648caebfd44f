import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expand, expandCommandAndArgs, expandCommandWithStaticEnv, mappingFor } from './expansion.js';

describe('expand', () => {
  const vars = mappingFor(
    new Map([
      ['VAR_A', 'A'],
      ['VAR_B', 'B'],
      ['VAR_C', 'C'],
      ['VAR_REF', '$(VAR_A)'],
      ['VAR_EMPTY', ''],
    ]),
  );

  // The kubelet's expansion rules, case by case.
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
    ['a$$b', 'a$b'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['[$(VAR_EMPTY)]', '[]'],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$()', '$()'],
    ['$(VAR_A', '$(VAR_A'],
    ['$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
    ['$(VAR_A $(VAR_B)', '$(VAR_A $(VAR_B)'],
    // An unterminated reference does not stop later escapes from applying.
    ['$(VAR_A$$', '$(VAR_A$'],
    ['$VAR_A', '$VAR_A'],
    ['$VAR_A $', '$VAR_A $'],
    ['$', '$'],
    ['foo$', 'foo$'],
    ['cost: 5$', 'cost: 5$'],
    ['$$', '$'],
    ['$$$', '$$'],
    ['$(', '$('],
    ['plain (VAR_A)', 'plain (VAR_A)'],
    ['no vars here', 'no vars here'],
    ['', ''],
  ];
  for (const [input, want] of cases) {
    test(`expand ${JSON.stringify(input)}`, () => {
      assert.equal(expand(input, vars), want);
    });
  }

  test('mappingFor: earlier maps win; unknown names stay as references', () => {
    const m = mappingFor(new Map([['A', 'alpha']]), new Map([['A', 'shadowed'], ['SVC', 'svc']]));
    assert.equal(expand('$(A)-$(SVC)-$(NOPE)', m), 'alpha-svc-$(NOPE)');
  });
});

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

test('exec commands use static env values only; valueFrom entries expand to empty', () => {
  assert.deepEqual(
    expandCommandWithStaticEnv(['cat', '$(DIR)/$(FILE)', '$(SECRET)', '$(NOPE)', '$$(DIR)'], [{ name: 'DIR', value: '/tmp' }, { name: 'FILE', value: 'ok' }, { name: 'SECRET' }]),
    ['cat', '/tmp/ok', '', '$(NOPE)', '$(DIR)'],
  );
  assert.deepEqual(expandCommandWithStaticEnv(['$(A)'], undefined), ['$(A)']);
});
