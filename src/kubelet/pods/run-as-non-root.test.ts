import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageUser, requiresNonRoot, verifyRunAsNonRoot } from './run-as-non-root.js';

const pod = (psc: Record<string, unknown> = {}) => ({ metadata: { name: 'web', namespace: 'shop', uid: 'u-1' }, spec: { securityContext: psc } });
const c = (sc?: Record<string, unknown>) => ({ name: 'app', securityContext: sc });
const where = '(pod: "web_shop(u-1)", container: app)';

test('imageUser: numeric uid, a user name, or root when the image names none', () => {
  const img = { id: 'sha256:x', repo_tags: [], repo_digests: [], size: '1' };
  assert.deepEqual(imageUser({ ...img, uid: { value: '1000' } }), { uid: 1000 });
  assert.deepEqual(imageUser({ ...img, uid: { value: 0 } }), { uid: 0 });
  assert.deepEqual(imageUser({ ...img, uid: null, username: 'nginx' }), { username: 'nginx' });
  assert.deepEqual(imageUser({ ...img }), { uid: 0 });
  assert.deepEqual(imageUser(undefined), { uid: 0 });
});

test('runAsNonRoot: container setting overrides the pod', () => {
  assert.equal(requiresNonRoot(pod({ runAsNonRoot: true }), c()), true);
  assert.equal(requiresNonRoot(pod({ runAsNonRoot: true }), c({ runAsNonRoot: false })), false);
  assert.equal(requiresNonRoot(pod(), c({ runAsNonRoot: true })), true);
  assert.equal(requiresNonRoot(pod(), c()), false);
});

test('verifyRunAsNonRoot: the kubelet messages', () => {
  assert.equal(verifyRunAsNonRoot(pod(), c(), { uid: 0 }), undefined);
  assert.equal(verifyRunAsNonRoot(pod(), c({ runAsNonRoot: true }), { uid: 0 }), `container has runAsNonRoot and image will run as root ${where}`);
  assert.equal(verifyRunAsNonRoot(pod({ runAsNonRoot: true }), c(), { uid: 1000 }), undefined);
  assert.equal(verifyRunAsNonRoot(pod({ runAsNonRoot: true }), c({ runAsUser: 0 }), { uid: 1000 }), `container's runAsUser breaks non-root policy ${where}`);
  assert.equal(verifyRunAsNonRoot(pod({ runAsNonRoot: true, runAsUser: 0 }), c(), { uid: 1000 }), `container's runAsUser breaks non-root policy ${where}`);
  // An explicit non-zero runAsUser wins over a root image.
  assert.equal(verifyRunAsNonRoot(pod({ runAsNonRoot: true }), c({ runAsUser: 1000 }), { uid: 0 }), undefined);
  assert.equal(verifyRunAsNonRoot(pod({ runAsNonRoot: true, runAsUser: 0 }), c({ runAsUser: 7 }), { uid: 0 }), undefined);
  assert.equal(
    verifyRunAsNonRoot(pod(), c({ runAsNonRoot: true }), { username: 'nginx' }),
    `container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root ${where}`,
  );
  assert.equal(
    verifyRunAsNonRoot(pod(), c({ runAsNonRoot: true }), { uid: 4294967294 }),
    `container has runAsNonRoot and image has an invalid user id (4294967294). (Must be 1-(2147483647)): must be between 0 and 2147483647, inclusive ${where}`,
  );
});
