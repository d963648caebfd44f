// core/v1 Namespace, Secret, ConfigMap, ServiceAccount and Event. Facts follow k8s.io/api v1.32.
import {
  array,
  bool,
  bytes,
  field,
  int32,
  map,
  microTime,
  str,
  time,
  type,
  type TypeDef,
} from './dsl.js';
import { CONDITION_STATUS, CORE, METADATA_DOC, core, coreGVK, meta } from './core-refs.js';

export const otherTypes: TypeDef[] = [
  type(
    CORE + 'Namespace',
    'A scope for object names. Using several namespaces is optional.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      spec: field(2, core('NamespaceSpec'), 'Desired behaviour of the namespace.'),
      status: field(3, core('NamespaceStatus'), 'Current status of the namespace.'),
    },
    coreGVK('Namespace'),
  ),

  type(CORE + 'NamespaceSpec', 'Attributes of a namespace.', {
    finalizers: field(
      1,
      array(str()),
      'Opaque values that must all be removed before the namespace is deleted from storage.',
      { listType: 'atomic' },
    ),
  }),

  type(CORE + 'NamespaceStatus', 'Current status of a namespace.', {
    phase: field(1, str(['Active', 'Terminating']), 'Lifecycle phase of the namespace: Active or Terminating.'),
    conditions: field(2, array(core('NamespaceCondition')), 'Latest observations of the state of the namespace.', {
      patchStrategy: 'merge',
      mergeKey: 'type',
      listType: 'map',
      listMapKeys: ['type'],
    }),
  }),

  type(CORE + 'NamespaceCondition', 'One condition of a namespace.', {
    type: field(1, str(), 'Type of the condition, e.g. NamespaceDeletionContentFailure.', { required: true }),
    status: field(2, str(CONDITION_STATUS), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastTransitionTime: field(4, time(), 'When the condition last changed status.'),
    reason: field(5, str(), 'Unique one-word CamelCase reason for the last transition.'),
    message: field(6, str(), 'Human-readable details about the last transition.'),
  }),

  type(
    CORE + 'Secret',
    'Secret data of a given type. The total size of the values must stay below the maximum secret size (1 MiB).',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      immutable: field(
        5,
        bool(),
        'When true, the data can no longer be changed (only the metadata). Unset by default.',
        { pointer: true },
      ),
      data: field(
        2,
        map(bytes()),
        "The secret data. Keys use alphanumerics, '-', '_' and '.'; values are arbitrary bytes, base64-encoded in JSON.",
      ),
      stringData: field(
        4,
        map(str()),
        'Write-only convenience for giving values as plain strings; they are merged into data on write, overriding it, and never returned on read.',
      ),
      type: field(3, str(), 'Type of the secret, used to handle its data programmatically. Defaults to Opaque.', {
        default: 'Opaque',
      }),
    },
    coreGVK('Secret'),
  ),

  type(
    CORE + 'ConfigMap',
    'Configuration data for pods to consume.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      immutable: field(
        4,
        bool(),
        'When true, the data can no longer be changed (only the metadata). Unset by default.',
        { pointer: true },
      ),
      data: field(
        2,
        map(str()),
        "UTF-8 configuration data. Keys use alphanumerics, '-', '_' and '.' and must not also appear in binaryData.",
      ),
      binaryData: field(
        3,
        map(bytes()),
        "Binary configuration data (any bytes, base64-encoded in JSON). Keys use alphanumerics, '-', '_' and '.' and must not also appear in data.",
      ),
    },
    coreGVK('ConfigMap'),
  ),

  type(
    CORE + 'ServiceAccount',
    'An identity for processes in pods: a name, a principal that can be authenticated and authorised, and a set of secrets.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      secrets: field(
        2,
        array(core('ObjectReference')),
        'Secrets in the same namespace that pods using this account may use (enforced only with the deprecated kubernetes.io/enforce-mountable-secrets annotation). Not for finding token secrets.',
        { patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      ),
      imagePullSecrets: field(
        3,
        array(core('LocalObjectReference')),
        'Secrets in the same namespace used to pull the images of pods using this account. Only the kubelet reads them.',
        { listType: 'atomic' },
      ),
      automountServiceAccountToken: field(
        4,
        bool(),
        'Whether pods using this account get an API token mounted automatically. A pod can override it.',
        { pointer: true },
      ),
    },
    coreGVK('ServiceAccount'),
  ),

  type(
    CORE + 'Event',
    'A report of something that happened in the cluster. Events are kept for a limited time and are informative, best-effort data.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC, { required: true }),
      involvedObject: field(2, core('ObjectReference'), 'The object the event is about.', { required: true }),
      reason: field(
        3,
        str(),
        "Short, machine-understandable reason for the transition into the object's current status.",
      ),
      message: field(4, str(), 'Human-readable description of what happened.'),
      source: field(5, core('EventSource'), 'Component that reported the event.'),
      firstTimestamp: field(6, time(), 'When the event was first recorded.'),
      lastTimestamp: field(7, time(), 'When the most recent occurrence of the event was recorded.'),
      count: field(8, int32(), 'How many times the event has occurred.'),
      type: field(9, str(), 'Type of the event: Normal or Warning (more may be added).'),
      eventTime: field(10, microTime(), 'When the event was first observed.'),
      series: field(11, core('EventSeries'), 'Series information when the event repeats; unset for a single event.', {
        pointer: true,
      }),
      action: field(12, str(), 'Action taken, or that failed, on the involved object.'),
      related: field(13, core('ObjectReference'), 'Secondary object involved in more complex actions.', {
        pointer: true,
      }),
      reportingComponent: field(14, str(), 'Name of the controller that emitted the event, e.g. kubernetes.io/kubelet.'),
      reportingInstance: field(15, str(), 'ID of the controller instance, e.g. kubelet-xyzf.'),
    },
    coreGVK('Event'),
  ),

  type(CORE + 'EventSource', 'Where an event comes from.', {
    component: field(1, str(), 'Component that generated the event.'),
    host: field(2, str(), 'Node on which the event was generated.'),
  }),

  type(CORE + 'EventSeries', 'Information about a series of repeating events.', {
    count: field(1, int32(), 'Occurrences in the series up to the last heartbeat.'),
    lastObservedTime: field(2, microTime(), 'When the last occurrence was observed.'),
  }),
];
