import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter, summarizePod } from './pods.js';
import { NOW, ago, meta, M, H } from './test-helpers.js';
import type { JsonObject } from './table.js';

const running = (name: string, extra: JsonObject = {}): JsonObject => ({
  name,
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: ago(10 * M) } },
  ...extra,
});

function pod(spec: JsonObject, status: JsonObject, metadata: JsonObject = meta('web-1')): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

const oneContainer = { containers: [{ name: 'app', image: 'nginx' }] };
const twoContainers = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] };
const twoInits = { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'app' }] };

interface Case {
  name: string;
  pod: JsonObject;
  want: [ready: string, status: string, restarts: string];
}

const cases: Case[] = [
  {
    name: 'running and ready',
    pod: pod(twoContainers, { phase: 'Running', containerStatuses: [running('a'), running('b')] }),
    want: ['2/2', 'Running', '0'],
  },
  {
    name: 'pending without statuses',
    pod: pod(oneContainer, { phase: 'Pending' }),
    want: ['0/1', 'Pending', '0'],
  },
  {
    name: 'status.reason overrides phase',
    pod: pod(oneContainer, { phase: 'Failed', reason: 'Evicted' }),
    want: ['0/1', 'Evicted', '0'],
  },
  {
    name: 'scheduling gated',
    pod: pod(oneContainer, {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
    }),
    want: ['0/1', 'SchedulingGated', '0'],
  },
  {
    name: 'first init container still initializing',
    pod: pod(twoInits, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'i1', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        { name: 'i2', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
      ],
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
    }),
    want: ['0/1', 'Init:0/2', '0'],
  },
  {
    name: 'second init container running',
    pod: pod(twoInits, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'i2', state: { running: {} } },
      ],
    }),
    want: ['0/1', 'Init:1/2', '0'],
  },
  {
    name: 'init container crash looping, restarts counted with age',
    pod: pod(twoInits, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'i1', restartCount: 1, state: { terminated: { exitCode: 0 } } },
        {
          name: 'i2',
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * M) } },
        },
      ],
    }),
    want: ['0/1', 'Init:CrashLoopBackOff', '5 (5m ago)'],
  },
  {
    name: 'init container terminated with a reason',
    pod: pod(twoInits, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }],
    }),
    want: ['0/1', 'Init:Error', '0'],
  },
  {
    name: 'init container terminated without reason: exit code',
    pod: pod(twoInits, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1 } } }],
    }),
    want: ['0/1', 'Init:ExitCode:1', '0'],
  },
  {
    name: 'init container terminated without reason: signal wins over exit code',
    pod: pod(twoInits, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 137, signal: 9 } } }],
    }),
    want: ['0/1', 'Init:Signal:9', '0'],
  },
  {
    name: 'app container crash looping',
    pod: pod(oneContainer, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * M) } },
        },
      ],
    }),
    want: ['0/1', 'CrashLoopBackOff', '5 (3m ago)'],
  },
  {
    name: 'succeeded pod shows Completed',
    pod: pod(oneContainer, {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'app', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    }),
    want: ['0/1', 'Completed', '0'],
  },
  {
    name: 'terminated without reason: exit code',
    pod: pod(oneContainer, {
      phase: 'Failed',
      containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }],
    }),
    want: ['0/1', 'ExitCode:2', '0'],
  },
  {
    name: 'terminated without reason: signal',
    pod: pod(oneContainer, {
      phase: 'Failed',
      containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 143, signal: 15 } } }],
    }),
    want: ['0/1', 'Signal:15', '0'],
  },
  {
    name: 'one container completed, one running, pod Ready -> Running',
    pod: pod(twoContainers, {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [running('a'), { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    }),
    want: ['1/2', 'Running', '0'],
  },
  {
    name: 'one container completed, one running, pod not Ready -> NotReady',
    pod: pod(twoContainers, {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [running('a'), { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    }),
    want: ['1/2', 'NotReady', '0'],
  },
  {
    name: 'first container reason wins over later ones',
    pod: pod(twoContainers, {
      phase: 'Pending',
      containerStatuses: [
        { name: 'a', state: { waiting: { reason: 'ImagePullBackOff' } } },
        { name: 'b', state: { waiting: { reason: 'ErrImagePull' } } },
      ],
    }),
    want: ['0/2', 'ImagePullBackOff', '0'],
  },
  {
    name: 'deleting a running pod -> Terminating',
    pod: pod(oneContainer, { phase: 'Running', containerStatuses: [running('app')] }, meta('web-1', 5 * M, { deletionTimestamp: ago(0) })),
    want: ['1/1', 'Terminating', '0'],
  },
  {
    name: 'deleting a succeeded pod keeps its status',
    pod: pod(
      oneContainer,
      { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
      meta('web-1', 5 * M, { deletionTimestamp: ago(0) }),
    ),
    want: ['0/1', 'Completed', '0'],
  },
  {
    name: 'deleting a pod on a lost node -> Unknown',
    pod: pod(
      oneContainer,
      { phase: 'Running', reason: 'NodeLost', containerStatuses: [running('app')] },
      meta('web-1', 5 * M, { deletionTimestamp: ago(0) }),
    ),
    want: ['1/1', 'Unknown', '0'],
  },
  {
    name: 'sidecar counted in ready/total and its restarts kept',
    pod: pod(
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      {
        phase: 'Running',
        initContainerStatuses: [
          {
            name: 'proxy',
            started: true,
            ready: true,
            restartCount: 2,
            state: { running: {} },
            lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * M) } },
          },
        ],
        containerStatuses: [running('app', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(H) } } })],
      },
    ),
    want: ['2/2', 'Running', '3 (10m ago)'],
  },
  {
    name: 'sidecar started but not ready',
    pod: pod(
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      {
        phase: 'Running',
        initContainerStatuses: [{ name: 'proxy', started: true, ready: false, state: { running: {} } }],
        containerStatuses: [running('app')],
      },
    ),
    want: ['1/2', 'Running', '0'],
  },
  {
    name: 'sidecar not yet started blocks initialization',
    pod: pod(
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      { phase: 'Pending', initContainerStatuses: [{ name: 'proxy', started: false, state: { running: {} } }] },
    ),
    want: ['0/2', 'Init:0/1', '0'],
  },
  {
    name: 'restarts of completed regular init containers are dropped once initialized',
    pod: pod(
      { initContainers: [{ name: 'i1' }], containers: [{ name: 'app' }] },
      {
        phase: 'Running',
        initContainerStatuses: [
          { name: 'i1', restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: { terminated: { finishedAt: ago(M) } } },
        ],
        containerStatuses: [running('app')],
      },
    ),
    want: ['1/1', 'Running', '0'],
  },
  {
    name: 'restarts without a last termination time have no suffix',
    pod: pod(oneContainer, { phase: 'Running', containerStatuses: [running('app', { restartCount: 4 })] }),
    want: ['1/1', 'Running', '4'],
  },
  {
    name: 'running but not ready container is not counted',
    pod: pod(oneContainer, { phase: 'Running', containerStatuses: [running('app', { ready: false })] }),
    want: ['0/1', 'Running', '0'],
  },
  {
    // Upstream keeps the init reason; only app-container waiting/terminated reasons replace it.
    name: 'failing init container but pod already Initialized: ready counted, init reason kept',
    pod: pod(twoInits, {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'i1', restartCount: 3, state: { terminated: { exitCode: 1, reason: 'Error' } } }],
      containerStatuses: [running('app')],
    }),
    want: ['1/1', 'Init:Error', '0'],
  },
  {
    name: 'latest restart across containers is used for the suffix',
    pod: pod(twoContainers, {
      phase: 'Running',
      containerStatuses: [
        running('a', { restartCount: 1, lastState: { terminated: { finishedAt: ago(2 * H) } } }),
        running('b', { restartCount: 2, lastState: { terminated: { finishedAt: ago(90 * 1000) } } }),
      ],
    }),
    want: ['2/2', 'Running', '3 (90s ago)'],
  },
];

for (const c of cases) {
  test(`pod status: ${c.name}`, () => {
    const s = summarizePod(c.pod, NOW);
    assert.deepEqual([s.ready, s.status, s.restarts], c.want);
  });
}

test('pod columns match Kubernetes names, types and priorities', () => {
  assert.deepEqual(
    podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
});

test('pod full row with wide cells', () => {
  const p = pod(
    { nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }], ...oneContainer },
    {
      phase: 'Running',
      podIP: '10.1.0.5',
      podIPs: [{ ip: '10.1.0.5' }, { ip: 'fd00::5' }],
      nominatedNodeName: 'node-2',
      conditions: [
        { type: 'example.com/lb', status: 'True' },
        { type: 'example.com/dns', status: 'False' },
      ],
      containerStatuses: [running('app')],
    },
    meta('web-1', 60 * M),
  );
  assert.deepEqual(podPrinter.row(p, NOW), ['web-1', '1/1', 'Running', '0', '60m', '10.1.0.5', 'node-1', 'node-2', '1/2']);
});

test('pod wide cells default to <none>, IP falls back to podIPs, missing creation time is <unknown>', () => {
  const bare = pod(oneContainer, { phase: 'Pending' }, { name: 'p' });
  assert.deepEqual(podPrinter.row(bare, NOW), ['p', '0/1', 'Pending', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>']);
  const dual = pod(oneContainer, { phase: 'Running', podIPs: [{ ip: 'fd00::7' }] }, meta('q'));
  assert.equal(podPrinter.row(dual, NOW)[5], 'fd00::7');
});
