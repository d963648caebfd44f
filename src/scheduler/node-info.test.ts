import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addPod, affinityIndexOf, makeSnapshot, nodeInfoOf, podInfoOf, removePod, resourcesOf } from './node-info.js';

const MI = 1024 * 1024;

const pod = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1', ...meta },
  spec,
});
const c = (requests?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  name: 'c',
  image: 'img',
  ...(requests ? { resources: { requests } } : {}),
  ...extra,
});

describe('podInfoOf', () => {
  it('sums regular containers', () => {
    const pi = podInfoOf(pod({ containers: [c({ cpu: '100m', memory: '200Mi' }), c({ cpu: '250m', memory: '64Mi' })] }));
    assert.deepEqual(pi.requests, { milliCPU: 350, memory: 264 * MI, ephemeralStorage: 0, pods: 1, scalar: {} });
  });

  it('takes the max of the container sum and each init container (Kubernetes example)', () => {
    const pi = podInfoOf(
      pod({
        initContainers: [c({ cpu: '2', memory: '1G' }), c({ cpu: '2', memory: '3G' })],
        containers: [c({ cpu: '2', memory: '1G' }), c({ cpu: '1', memory: '1G' })],
      }),
    );
    assert.equal(pi.requests.milliCPU, 3000);
    assert.equal(pi.requests.memory, 3_000_000_000);
  });

  it('adds sidecars (restartPolicy Always) to the pod and to later init containers', () => {
    const sidecarFirst = podInfoOf(
      pod({
        initContainers: [c({ cpu: '1' }, { restartPolicy: 'Always' }), c({ cpu: '2' })],
        containers: [c({ cpu: '500m' })],
      }),
    );
    // Init container runs next to the sidecar: 1 + 2 = 3 > 0.5 + 1.
    assert.equal(sidecarFirst.requests.milliCPU, 3000);
    const initFirst = podInfoOf(
      pod({
        initContainers: [c({ cpu: '2' }), c({ cpu: '1' }, { restartPolicy: 'Always' })],
        containers: [c({ cpu: '500m' })],
      }),
    );
    assert.equal(initFirst.requests.milliCPU, 2000);
    const sidecarDominates = podInfoOf(
      pod({
        initContainers: [c({ cpu: '300m' }), c({ cpu: '1' }, { restartPolicy: 'Always' })],
        containers: [c({ cpu: '500m' })],
      }),
    );
    assert.equal(sidecarDominates.requests.milliCPU, 1500);
  });

  it('adds spec.overhead', () => {
    const pi = podInfoOf(pod({ containers: [c({ cpu: '100m', memory: '10Mi' })], overhead: { cpu: '250m', memory: '120Mi' } }));
    assert.equal(pi.requests.milliCPU, 350);
    assert.equal(pi.requests.memory, 130 * MI);
    assert.equal(pi.nonZeroRequests.milliCPU, 350);
  });

  it('non-zero requests default missing cpu/memory but keep explicit zeros', () => {
    const none = podInfoOf(pod({ containers: [c()] }));
    assert.equal(none.requests.milliCPU, 0);
    assert.equal(none.nonZeroRequests.milliCPU, 100);
    assert.equal(none.nonZeroRequests.memory, 200 * MI);
    const explicitZero = podInfoOf(pod({ containers: [c({ cpu: '0' })] }));
    assert.equal(explicitZero.nonZeroRequests.milliCPU, 0);
    assert.equal(explicitZero.nonZeroRequests.memory, 200 * MI);
  });

  it('non-zero defaults also apply to init containers', () => {
    const pi = podInfoOf(pod({ initContainers: [c()], containers: [c({ cpu: '50m', memory: '10Mi' })] }));
    assert.equal(pi.nonZeroRequests.milliCPU, 100);
    assert.equal(pi.nonZeroRequests.memory, 200 * MI);
    assert.equal(pi.requests.milliCPU, 50);
  });

  it('sums exact quantities before rounding up', () => {
    const pi = podInfoOf(pod({ containers: [c({ cpu: '500u' }), c({ cpu: '500u' })] }));
    assert.equal(pi.requests.milliCPU, 1);
    const one = podInfoOf(pod({ containers: [c({ cpu: '1u' })] }));
    assert.equal(one.requests.milliCPU, 1);
  });

  it('keeps extended, hugepages and kubernetes.io resources as scalars, ignores others', () => {
    const pi = podInfoOf(
      pod({ containers: [c({ 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi', 'kubernetes.io/batteries': '1', foo: '3', 'ephemeral-storage': '1Gi' })] }),
    );
    assert.deepEqual(pi.requests.scalar, { 'example.com/gpu': 2, 'hugepages-2Mi': 4 * MI, 'kubernetes.io/batteries': 1 });
    assert.equal(pi.requests.ephemeralStorage, 1024 * MI);
  });
});

describe('resourcesOf', () => {
  it('parses a node allocatable list', () => {
    assert.deepEqual(resourcesOf({ cpu: '3500m', memory: '1Gi', pods: '110', 'example.com/gpu': '4', 'ephemeral-storage': '10Gi' }), {
      milliCPU: 3500,
      memory: 1024 * MI,
      ephemeralStorage: 10 * 1024 * MI,
      pods: 110,
      scalar: { 'example.com/gpu': 4 },
    });
  });

  it('treats missing or malformed lists as zero', () => {
    assert.deepEqual(resourcesOf(undefined), { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} });
    assert.equal(resourcesOf({ cpu: 'lots' }).milliCPU, 0);
  });
});

describe('nodeInfoOf / addPod / removePod', () => {
  const node = {
    metadata: { name: 'n1', labels: {} },
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '10' },
      images: [
        { names: ['docker.io/library/nginx:1.25', 'nginx'], sizeBytes: 50 * MI },
        { names: ['registry:5000/app'], sizeBytes: 10 },
      ],
    },
  };
  const withPorts = (uid: string, ports: unknown[]) => ({
    metadata: { name: uid, namespace: 'default', uid },
    spec: { containers: [{ name: 'c', image: 'x', ports, resources: { requests: { cpu: '100m' } } }] },
  });

  it('falls back to capacity and normalises image names', () => {
    const ni = nodeInfoOf(node, []);
    assert.equal(ni.name, 'n1');
    assert.equal(ni.allocatable.milliCPU, 2000);
    assert.equal(ni.allocatable.pods, 10);
    assert.deepEqual([...ni.images.entries()], [
      ['docker.io/library/nginx:1.25', 50 * MI],
      ['nginx:latest', 50 * MI],
      ['registry:5000/app:latest', 10],
    ]);
  });

  it('accounts requests, non-zero requests, pod count and host ports', () => {
    const p1 = withPorts('a', [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }, { containerPort: 9 }]);
    const p2 = { metadata: { name: 'b', namespace: 'default', uid: 'b' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const ni = nodeInfoOf(node, [p1, p2]);
    assert.equal(ni.pods.length, 2);
    assert.equal(ni.requested.milliCPU, 100);
    assert.equal(ni.nonZeroRequested.milliCPU, 200);
    assert.equal(ni.nonZeroRequested.memory, 400 * MI);
    assert.equal(ni.requested.pods, 2);
    assert.deepEqual([...ni.usedPorts].sort(), ['TCP/0.0.0.0/8080', 'UDP/10.0.0.1/53']);

    assert.equal(removePod(ni, { metadata: { uid: 'a' } }), true);
    assert.equal(ni.pods.length, 1);
    assert.equal(ni.requested.milliCPU, 0);
    assert.equal(ni.nonZeroRequested.milliCPU, 100);
    assert.equal(ni.requested.pods, 1);
    assert.equal(ni.usedPorts.size, 0);
    assert.equal(removePod(ni, { metadata: { uid: 'zzz' } }), false);

    addPod(ni, podInfoOf(p1));
    assert.equal(ni.requested.milliCPU, 100);
    assert.equal(ni.usedPorts.size, 2);
  });

  it('removes by namespace/name when there is no uid', () => {
    const ni = nodeInfoOf(node, [{ metadata: { name: 'x', namespace: 'ns' }, spec: { containers: [] } }]);
    assert.equal(removePod(ni, { metadata: { name: 'x', namespace: 'other' } }), false);
    assert.equal(removePod(ni, { metadata: { name: 'x', namespace: 'ns' } }), true);
  });

  it('keeps the affinity index in step with addPod/removePod', () => {
    const anti = {
      metadata: { name: 'anti', namespace: 'default', uid: 'anti' },
      spec: {
        containers: [],
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k', labelSelector: {} }] } },
      },
    };
    const soft = {
      metadata: { name: 'soft', namespace: 'default', uid: 'soft' },
      spec: { containers: [], affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } } },
    };
    const ni = nodeInfoOf(node, [soft]);
    assert.equal(affinityIndexOf(ni).withAffinity.length, 1);
    assert.equal(affinityIndexOf(ni).withRequiredAntiAffinity.length, 0);
    addPod(ni, podInfoOf(anti));
    assert.equal(affinityIndexOf(ni).withAffinity.length, 2);
    assert.equal(affinityIndexOf(ni).withRequiredAntiAffinity.length, 1);
    removePod(ni, anti);
    assert.equal(affinityIndexOf(ni).withRequiredAntiAffinity.length, 0);
  });
});

describe('makeSnapshot', () => {
  it('indexes nodes, image spread and namespace labels', () => {
    const mk = (name: string, images: string[]) => nodeInfoOf({ metadata: { name }, status: { allocatable: {}, images: [{ names: images, sizeBytes: 1 }] } });
    const nodes = [mk('a', ['img:1']), mk('b', ['img:1', 'other:2']), mk('c', [])];
    const snap = makeSnapshot(nodes, [{ metadata: { name: 'prod', labels: { team: 'x' } } }, { metadata: { name: 'dev' } }]);
    assert.equal(snap.get('b'), nodes[1]);
    assert.equal(snap.get('zz'), undefined);
    assert.equal(snap.imageNodeCount('img:1'), 2);
    assert.equal(snap.imageNodeCount('other:2'), 1);
    assert.equal(snap.imageNodeCount('none:1'), 0);
    assert.deepEqual(snap.namespaceLabels('prod'), { team: 'x' });
    assert.deepEqual(snap.namespaceLabels('dev'), {});
    assert.equal(snap.namespaceLabels('missing'), undefined);
    const fromMap = makeSnapshot(nodes, new Map([['ns', { a: 'b' }]]));
    assert.deepEqual(fromMap.namespaceLabels('ns'), { a: 'b' });
  });
});
