// autoscaling/v1: Scale, the body of every /scale subresource.
// Facts follow k8s.io/api autoscaling/v1 at Kubernetes v1.32.
import { field, int32, ref, str, type, type TypeDef } from './dsl.js';
import { metaRef } from './meta.js';

const AUTOSCALING = 'io.k8s.api.autoscaling.v1.';

export const autoscalingV1Types: TypeDef[] = [
  type(
    AUTOSCALING + 'Scale',
    'The scaling request and state of a scalable resource, as read and written through its scale subresource.',
    {
      metadata: field(
        1,
        metaRef('ObjectMeta'),
        'Standard object metadata (of the scaled object). See the API conventions on metadata.',
      ),
      spec: field(2, ref(AUTOSCALING + 'ScaleSpec'), 'Desired scale of the object.'),
      status: field(
        3,
        ref(AUTOSCALING + 'ScaleStatus'),
        'Current scale of the object, filled in by the system; may lag behind. Read-only.',
      ),
    },
    { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  ),

  type(AUTOSCALING + 'ScaleSpec', 'Desired scale of an object.', {
    replicas: field(1, int32(), 'Desired number of instances of the scaled object.'),
  }),

  type(AUTOSCALING + 'ScaleStatus', 'Observed scale of an object.', {
    replicas: field(1, int32(), 'Number of instances of the scaled object actually observed.', { required: true }),
    selector: field(
      2,
      str(),
      'Label query over the pods counted in replicas, in the string form used by list requests (e.g. "app=web,tier in (a,b)").',
    ),
  }),
];
