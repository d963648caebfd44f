// scheduling.k8s.io/v1: PriorityClass. Facts follow k8s.io/api scheduling/v1 at Kubernetes v1.32.
import { bool, field, int32, str, type, type TypeDef } from './dsl.js';
import { OBJECT_METADATA_DOC, metaRef } from './meta.js';

const SCHEDULING = 'io.k8s.api.scheduling.v1.';

export const schedulingV1Types: TypeDef[] = [
  type(
    SCHEDULING + 'PriorityClass',
    'Maps a priority class name to an integer priority. Pods name the class in spec.priorityClassName; higher values are scheduled (and preempt) first. Cluster-scoped.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      value: field(
        2,
        int32(),
        'Integer priority given to pods of this class. Any 32-bit value up to 1000000000; larger values are reserved for critical system pods.',
        { required: true },
      ),
      globalDefault: field(
        3,
        bool(),
        'Whether this class applies to pods that name no priority class. Only one class may be the global default; if several claim it, the lowest value wins.',
      ),
      description: field(4, str(), 'Free text telling users when to use this class.'),
      preemptionPolicy: field(
        5,
        str(['Never', 'PreemptLowerPriority']),
        'Whether pods of this class may evict lower-priority pods: "PreemptLowerPriority" (default) or "Never".',
        { pointer: true, default: 'PreemptLowerPriority' },
      ),
    },
    { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
  ),
];
