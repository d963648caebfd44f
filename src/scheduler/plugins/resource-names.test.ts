import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isExtendedResourceName, isScalarResourceName } from './resource-names.js';

describe('resource names', () => {
  const cases: [string, boolean, boolean][] = [
    // name, extended, scalar
    ['example.com/gpu', true, true],
    ['nvidia.com/gpu', true, true],
    ['cpu', false, false],
    ['pods', false, false],
    ['kubernetes.io/batteries', false, true],
    ['hugepages-2Mi', false, true],
    ['attachable-volumes-aws-ebs', false, true],
    ['requests.example.com/gpu', false, false],
    ['example.com/-bad', false, false],
    ['Example.com/gpu', false, false],
  ];
  for (const [name, extended, scalar] of cases) {
    it(`${name}: extended=${extended} scalar=${scalar}`, () => {
      assert.equal(isExtendedResourceName(name), extended);
      assert.equal(isScalarResourceName(name), scalar);
    });
  }
});
