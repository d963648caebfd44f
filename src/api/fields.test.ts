import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFieldsSupported, FieldSelectorError, matchFields, metadataFields, parseFieldSelector } from './fields.js';
import { fieldGetters, resources } from './resources.js';

const pods = resources.find((r) => r.plural === 'pods')!;
const events = resources.find((r) => r.plural === 'events' && r.group === '')!;

describe('field selectors', () => {
  const pod = { metadata: { name: 'web-1', namespace: 'default' }, spec: { nodeName: 'node-1' }, status: { phase: 'Running' } };

  it('parses = == != and matches', () => {
    const g = fieldGetters(pods);
    assert.equal(matchFields(parseFieldSelector('metadata.name=web-1'), g, pod), true);
    assert.equal(matchFields(parseFieldSelector('metadata.name==web-2'), g, pod), false);
    assert.equal(matchFields(parseFieldSelector('spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed'), g, pod), true);
    assert.equal(matchFields(parseFieldSelector('status.phase!=Running'), g, pod), false);
    assert.equal(matchFields(parseFieldSelector('spec.nodeName='), g, { ...pod, spec: {} }), true);
  });

  it('event involvedObject fields, including the empty namespace of node events', () => {
    const g = fieldGetters(events);
    const ev = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'node-1', uid: 'node-1' } };
    assert.equal(matchFields(parseFieldSelector('involvedObject.name=node-1,involvedObject.namespace=,involvedObject.kind=Node'), g, ev), true);
    assert.equal(matchFields(parseFieldSelector('involvedObject.kind=Pod'), g, ev), false);
  });

  it('rejects unsupported fields', () => {
    assert.throws(() => checkFieldsSupported(parseFieldSelector('spec.foo=x'), fieldGetters(pods)), (e: Error) => e instanceof FieldSelectorError && e.message === 'field label not supported: spec.foo');
    assert.doesNotThrow(() => checkFieldsSupported(parseFieldSelector('metadata.namespace=a'), metadataFields));
    assert.throws(() => parseFieldSelector('nonsense'), FieldSelectorError);
  });
});
