import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGated, newSchedulingGates, schedulingGatesStatus } from './scheduling-gates.js';
import { makePod } from './test-helpers.js';

describe('SchedulingGates', () => {
  it('isGated is true only with at least one gate', () => {
    assert.equal(isGated(makePod('p')), false);
    assert.equal(isGated(makePod('p', { spec: { schedulingGates: [] } })), false);
    assert.equal(isGated(makePod('p', { spec: { schedulingGates: [{ name: 'example.com/foo' }] } })), true);
  });

  it('reports the gates as Go prints a string slice', () => {
    const pod = makePod('p', { spec: { schedulingGates: [{ name: 'a' }, { name: 'example.com/b' }] } });
    assert.deepEqual(schedulingGatesStatus(pod), { code: 'UnschedulableAndUnresolvable', reasons: ['waiting for scheduling gates: [a example.com/b]'] });
    assert.deepEqual(newSchedulingGates().preEnqueue(makePod('q')), { code: 'Success', reasons: [] });
  });
});
