// policy/v1: PodDisruptionBudget and Eviction (the body of pods/eviction).
// Facts follow k8s.io/api policy/v1 at Kubernetes v1.32.
import { field, int32, int64, intOrString, map, ref, array, time, str, type, type GVK, type TypeDef } from './dsl.js';
import { OBJECT_METADATA_DOC, metaRef } from './meta.js';

const POLICY = 'io.k8s.api.policy.v1.';
const gvk = (kind: string): GVK => ({ group: 'policy', version: 'v1', kind });

export const policyV1Types: TypeDef[] = [
  type(
    POLICY + 'PodDisruptionBudget',
    'Caps how many pods of a collection voluntary disruptions (such as evictions) may take down at once.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      spec: field(2, ref(POLICY + 'PodDisruptionBudgetSpec'), 'Desired behaviour of the budget.'),
      status: field(3, ref(POLICY + 'PodDisruptionBudgetStatus'), 'Most recently observed state of the budget.'),
    },
    gvk('PodDisruptionBudget'),
  ),

  type(POLICY + 'PodDisruptionBudgetSpec', 'Desired behaviour of a pod disruption budget.', {
    minAvailable: field(
      1,
      intOrString(),
      'An eviction is allowed only if at least this many selected pods stay available without the evicted one. A number or a percentage; "100%" blocks all voluntary evictions.',
      { pointer: true },
    ),
    selector: field(
      2,
      metaRef('LabelSelector'),
      'Label query over the pods the budget protects. Null selects no pods; an empty selector ({}) selects every pod of the namespace.',
      { pointer: true, patchStrategy: 'replace' },
    ),
    maxUnavailable: field(
      3,
      intOrString(),
      'An eviction is allowed only if at most this many selected pods are unavailable without the evicted one. A number or a percentage; 0 blocks all voluntary evictions. Cannot be combined with minAvailable.',
      { pointer: true },
    ),
    unhealthyPodEvictionPolicy: field(
      4,
      str(['AlwaysAllow', 'IfHealthyBudget']),
      'When running but not-ready pods may be evicted. "IfHealthyBudget" (the behaviour when unset): only while the application is not disrupted (currentHealthy >= desiredHealthy). "AlwaysAllow": always, regardless of the budget. Pods that are not running may always be evicted.',
      { pointer: true },
    ),
  }),

  type(
    POLICY + 'PodDisruptionBudgetStatus',
    'Observed state of a pod disruption budget. May trail the real state of the system.',
    {
      observedGeneration: field(
        1,
        int64(),
        'Generation of the budget last observed when updating this status. The other fields are only valid if it equals metadata.generation.',
      ),
      disruptedPods: field(
        2,
        map(time()),
        'Pods (by name) whose eviction the API server accepted but the disruption controller has not yet seen deleted, with the time of the eviction. Entries are dropped after a timeout if the pod is not deleted; normally empty.',
      ),
      disruptionsAllowed: field(3, int32(), 'Pod disruptions currently allowed.', { required: true }),
      currentHealthy: field(4, int32(), 'Healthy pods right now.', { required: true }),
      desiredHealthy: field(5, int32(), 'Minimum healthy pods wanted.', { required: true }),
      expectedPods: field(6, int32(), 'Total pods counted by this budget.', { required: true }),
      conditions: field(
        7,
        array(metaRef('Condition')),
        'Conditions of the budget. The disruption controller sets DisruptionAllowed, with reasons such as SyncFailed, InsufficientPods (False) or SufficientPods (True).',
        { patchStrategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
    },
  ),

  type(
    POLICY + 'Eviction',
    'A request to evict a pod, honouring its disruption budgets. Created by POSTing to the pod\'s eviction subresource.',
    {
      metadata: field(1, metaRef('ObjectMeta'), 'Metadata naming the pod to evict.'),
      deleteOptions: field(2, metaRef('DeleteOptions'), 'Options for the deletion the eviction performs.', {
        pointer: true,
      }),
    },
    gvk('Eviction'),
  ),
];
