// coordination.k8s.io/v1: Lease. Facts follow k8s.io/api coordination/v1 at Kubernetes v1.32.
import { field, int32, microTime, ref, str, type, type TypeDef } from './dsl.js';
import { OBJECT_METADATA_DOC, metaRef } from './meta.js';

const COORDINATION = 'io.k8s.api.coordination.v1.';

export const coordinationV1Types: TypeDef[] = [
  type(
    COORDINATION + 'Lease',
    'A lease: a time-limited claim held by one party, used for leader election and node heartbeats.',
    {
      metadata: field(
        1,
        metaRef('ObjectMeta'),
        OBJECT_METADATA_DOC,
      ),
      spec: field(2, ref(COORDINATION + 'LeaseSpec'), 'Who holds the lease and for how long.'),
    },
    { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
  ),

  type(COORDINATION + 'LeaseSpec', 'Holder and timing of a lease.', {
    holderIdentity: field(
      1,
      str(),
      'Identity of the current holder. With coordinated leader election it must equal the name of the elected LeaseCandidate.',
      { pointer: true },
    ),
    leaseDurationSeconds: field(
      2,
      int32(),
      'How long other candidates must wait, counted from the last renewTime, before they may take the lease over.',
      { pointer: true },
    ),
    acquireTime: field(3, microTime(), 'When the current holder acquired the lease.', { pointer: true }),
    renewTime: field(4, microTime(), 'When the current holder last renewed the lease.', { pointer: true }),
    leaseTransitions: field(5, int32(), 'How many times the lease has changed holders.', { pointer: true }),
    strategy: field(
      6,
      str(),
      'Strategy for choosing the leader in coordinated leader election (e.g. "OldestEmulationVersion"). Unset means the lease is not coordinated. Alpha: needs the CoordinatedLeaderElection feature.',
      { pointer: true },
    ),
    preferredHolder: field(
      7,
      str(),
      'Tells the holder that a better holder exists and it should give the lease up. Only allowed together with strategy. Alpha: needs the CoordinatedLeaderElection feature.',
      { pointer: true },
    ),
  }),
];
