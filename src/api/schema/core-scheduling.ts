// core/v1 scheduling constraints: affinity, tolerations, topology spread. Facts follow k8s.io/api v1.32.
import { array, field, int32, int64, str, type, type TypeDef } from './dsl.js';
import { CORE, TAINT_EFFECTS, core, meta } from './core-refs.js';

const REQUIRED_TERMS_DOC =
  'Hard rules: the pod is only scheduled where they hold. If they stop holding later, the pod may or may not be evicted.';

export const schedulingTypes: TypeDef[] = [
  type(CORE + 'Affinity', 'Affinity scheduling rules of a pod.', {
    nodeAffinity: field(1, core('NodeAffinity'), 'Rules about which nodes the pod is scheduled onto.', { pointer: true }),
    podAffinity: field(
      2,
      core('PodAffinity'),
      'Rules for placing the pod in the same topology domain (node, zone...) as certain other pods.',
      { pointer: true },
    ),
    podAntiAffinity: field(
      3,
      core('PodAntiAffinity'),
      'Rules for keeping the pod out of topology domains that run certain other pods.',
      { pointer: true },
    ),
  }),

  type(CORE + 'NodeAffinity', 'Node affinity scheduling rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: field(1, core('NodeSelector'), REQUIRED_TERMS_DOC, {
      pointer: true,
    }),
    preferredDuringSchedulingIgnoredDuringExecution: field(
      2,
      array(core('PreferredSchedulingTerm')),
      'Soft preferences: among nodes that satisfy the hard rules, the one whose matching terms have the largest total weight is preferred.',
      { listType: 'atomic' },
    ),
  }),

  type(CORE + 'NodeSelector', 'A set of node selector terms; a node matches when any term matches (the terms are ORed).', {
    nodeSelectorTerms: field(1, array(core('NodeSelectorTerm')), 'The terms, ORed together.', {
      required: true,
      listType: 'atomic',
    }),
  }),

  type(CORE + 'NodeSelectorTerm', 'Requirements that a node must all meet (ANDed). An empty or null term matches no node.', {
    matchExpressions: field(1, array(core('NodeSelectorRequirement')), 'Requirements on node labels.', {
      listType: 'atomic',
    }),
    matchFields: field(2, array(core('NodeSelectorRequirement')), 'Requirements on node fields.', {
      listType: 'atomic',
    }),
  }),

  type(CORE + 'NodeSelectorRequirement', 'A key, an operator and values that a node label or field is tested against.', {
    key: field(1, str(), 'Label key (or field name) the requirement applies to.', { required: true }),
    operator: field(
      2,
      str(['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn']),
      'How the key relates to the values: In, NotIn, Exists, DoesNotExist, Gt or Lt.',
      { required: true },
    ),
    values: field(
      3,
      array(str()),
      'Values to compare with: non-empty for In/NotIn, empty for Exists/DoesNotExist, a single integer for Gt/Lt. Replaced as a whole by strategic merge patch.',
      { listType: 'atomic' },
    ),
  }),

  type(CORE + 'PreferredSchedulingTerm', 'A weighted node selector term. An empty term matches every node with weight 0.', {
    weight: field(1, int32(), 'Weight added when the term matches, 1-100.', { required: true }),
    preference: field(2, core('NodeSelectorTerm'), 'The node selector term.', { required: true }),
  }),

  type(CORE + 'PodAffinity', 'Inter-pod affinity scheduling rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: field(
      1,
      array(core('PodAffinityTerm')),
      `${REQUIRED_TERMS_DOC} All terms must be satisfied.`,
      { listType: 'atomic' },
    ),
    preferredDuringSchedulingIgnoredDuringExecution: field(
      2,
      array(core('WeightedPodAffinityTerm')),
      'Soft preferences: nodes whose domain runs matching pods get the term weight added; the highest total wins.',
      { listType: 'atomic' },
    ),
  }),

  type(CORE + 'PodAntiAffinity', 'Inter-pod anti-affinity scheduling rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: field(
      1,
      array(core('PodAffinityTerm')),
      `${REQUIRED_TERMS_DOC} All terms must be satisfied.`,
      { listType: 'atomic' },
    ),
    preferredDuringSchedulingIgnoredDuringExecution: field(
      2,
      array(core('WeightedPodAffinityTerm')),
      'Soft preferences: nodes whose domain runs matching pods get the term weight subtracted; the highest total wins.',
      { listType: 'atomic' },
    ),
  }),

  type(
    CORE + 'PodAffinityTerm',
    'A set of pods (selected by labels, in some namespaces) that this pod should, or should not, share a topology domain with.',
    {
      labelSelector: field(1, meta('LabelSelector'), 'Label query over pods. A null selector matches no pods.', {
        pointer: true,
      }),
      namespaces: field(
        2,
        array(str()),
        "Namespace names the term applies to, in addition to those chosen by namespaceSelector. Empty with a null selector means the pod's own namespace.",
        { listType: 'atomic' },
      ),
      topologyKey: field(
        3,
        str(),
        'Node label key defining the topology domain: nodes with the same value of this label are co-located. May not be empty.',
        { required: true },
      ),
      namespaceSelector: field(
        4,
        meta('LabelSelector'),
        'Label query over namespaces the term applies to; {} selects all namespaces.',
        { pointer: true },
      ),
      matchLabelKeys: field(
        5,
        array(str()),
        'Pod label keys whose values, taken from the incoming pod, are added to labelSelector as "key in (value)".',
        { listType: 'atomic' },
      ),
      mismatchLabelKeys: field(
        6,
        array(str()),
        'Pod label keys whose values, taken from the incoming pod, are added to labelSelector as "key notin (value)".',
        { listType: 'atomic' },
      ),
    },
  ),

  type(CORE + 'WeightedPodAffinityTerm', 'A pod affinity term with a weight; matching terms add up per node.', {
    weight: field(1, int32(), 'Weight of the term, 1-100.', { required: true }),
    podAffinityTerm: field(2, core('PodAffinityTerm'), 'The pod affinity term.', { required: true }),
  }),

  type(
    CORE + 'Toleration',
    'Lets the pod tolerate taints that match the <key, value, effect> triple according to the operator.',
    {
      key: field(
        1,
        str(),
        'Taint key the toleration applies to. Empty matches every key, and then the operator must be Exists.',
      ),
      operator: field(
        2,
        str(['Equal', 'Exists']),
        'How the key relates to the value: Equal (the default) or Exists (any value, a wildcard).',
      ),
      value: field(3, str(), 'Taint value to match. Should be empty with the Exists operator.'),
      effect: field(
        4,
        str(TAINT_EFFECTS),
        'Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute. Empty matches every effect.',
      ),
      tolerationSeconds: field(
        5,
        int64(),
        'For NoExecute taints only: how long the pod stays bound once the taint appears. Unset means forever; zero or less means evict at once.',
        { pointer: true },
      ),
    },
  ),

  type(CORE + 'TopologySpreadConstraint', 'How matching pods should be spread across a topology.', {
    maxSkew: field(
      1,
      int32(),
      'Largest allowed difference between the number of matching pods in a domain and the global minimum (hard limit with DoNotSchedule, preference with ScheduleAnyway). Must be at least 1.',
      { required: true },
    ),
    topologyKey: field(
      2,
      str(),
      'Node label key; nodes with the same value of it form one topology domain.',
      { required: true },
    ),
    whenUnsatisfiable: field(
      3,
      str(['DoNotSchedule', 'ScheduleAnyway']),
      'What to do when the constraint cannot be met: DoNotSchedule (the default) or ScheduleAnyway (prefer placements that reduce skew).',
      { required: true },
    ),
    labelSelector: field(4, meta('LabelSelector'), 'Selects the pods that are counted in each domain.', {
      pointer: true,
    }),
    minDomains: field(
      5,
      int32(),
      'Minimum number of eligible domains. With fewer, the global minimum is taken as 0. Only with DoNotSchedule; behaves as 1 when unset.',
      { pointer: true },
    ),
    nodeAffinityPolicy: field(
      6,
      str(['Honor', 'Ignore']),
      "Whether the pod's nodeAffinity and nodeSelector restrict the nodes counted when computing skew: Honor (the default) or Ignore.",
      { pointer: true },
    ),
    nodeTaintsPolicy: field(
      7,
      str(['Honor', 'Ignore']),
      'Whether node taints restrict the nodes counted when computing skew: Honor (only tolerated nodes) or Ignore (the default).',
      { pointer: true },
    ),
    matchLabelKeys: field(
      8,
      array(str()),
      'Pod label keys whose values, taken from the incoming pod, are ANDed with labelSelector to pick the pods counted.',
      { listType: 'atomic' },
    ),
  }),
];
