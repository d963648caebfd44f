// events.k8s.io/v1: Event. Facts follow k8s.io/api events/v1 at Kubernetes v1.32.
import { field, int32, microTime, ref, str, time, type, type TypeDef } from './dsl.js';
import { OBJECT_METADATA_DOC, metaRef } from './meta.js';

const EVENTS = 'io.k8s.api.events.v1.';
const CORE = 'io.k8s.api.core.v1.';

export const eventsV1Types: TypeDef[] = [
  type(
    EVENTS + 'Event',
    'A report of something that happened in the cluster, usually a state change. Events are kept only for a limited time and are best-effort, informative data: do not build logic on their timing or on the meaning of a reason staying the same.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      eventTime: field(2, microTime(), 'When the event was first observed.', { required: true }),
      series: field(
        3,
        ref(EVENTS + 'EventSeries'),
        'Data about the series of occurrences this event stands for; absent for a one-off event.',
        { pointer: true },
      ),
      reportingController: field(
        4,
        str(),
        'Name of the controller that emitted the event, e.g. "kubernetes.io/kubelet". Required for new events.',
      ),
      reportingInstance: field(
        5,
        str(),
        'ID of the emitting controller instance, e.g. "kubelet-xyzf". Required for new events; at most 128 characters.',
      ),
      action: field(
        6,
        str(),
        'Machine-readable action that was taken or failed on the regarding object. Required for new events; at most 128 characters.',
      ),
      reason: field(
        7,
        str(),
        'Why the action was taken, readable by humans. Required for new events; at most 128 characters.',
      ),
      regarding: field(
        8,
        ref(CORE + 'ObjectReference'),
        'The object the event is about, typically one the reporting controller manages (e.g. a ReplicaSet for the ReplicaSet controller).',
      ),
      related: field(
        9,
        ref(CORE + 'ObjectReference'),
        'Optional second object involved, e.g. one the regarding object created or deleted.',
        { pointer: true },
      ),
      note: field(
        10,
        str(),
        'Human-readable description of what happened. Up to 1kB is allowed, though readers should cope with up to 64kB.',
      ),
      type: field(11, str(), 'Machine-readable event type: "Normal" or "Warning" (more may come). Required for new events.'),
      deprecatedSource: field(12, ref(CORE + 'EventSource'), 'Deprecated; kept for compatibility with core/v1 Event (source).'),
      deprecatedFirstTimestamp: field(
        13,
        time(),
        'Deprecated; kept for compatibility with core/v1 Event (firstTimestamp).',
      ),
      deprecatedLastTimestamp: field(14, time(), 'Deprecated; kept for compatibility with core/v1 Event (lastTimestamp).'),
      deprecatedCount: field(15, int32(), 'Deprecated; kept for compatibility with core/v1 Event (count).'),
    },
    { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
  ),

  type(
    EVENTS + 'EventSeries',
    'Describes an event that keeps happening over a period. How often reporters update it is up to them (client-go updates it on heartbeats).',
    {
      count: field(1, int32(), 'Occurrences in the series up to the last heartbeat.', { required: true }),
      lastObservedTime: field(2, microTime(), 'When the last occurrence before the last heartbeat was seen.', {
        required: true,
      }),
    },
  ),
];
