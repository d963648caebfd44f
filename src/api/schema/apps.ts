// apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
// Facts follow k8s.io/api apps/v1 at Kubernetes v1.32.
import { array, bool, field, int32, int64, intOrString, raw, ref, str, time, type, type FieldOptions, type GVK, type TypeDef, type TypeRef } from './dsl.js';
import { OBJECT_METADATA_DOC, metaRef } from './meta.js';

const APPS = 'io.k8s.api.apps.v1.';
const apps = (name: string): TypeRef => ref(APPS + name);
const core = (name: string): TypeRef => ref('io.k8s.api.core.v1.' + name);
const gvk = (kind: string): GVK => ({ group: 'apps', version: 'v1', kind });

const UPDATE_TYPES = ['OnDelete', 'RollingUpdate'] as const;

// status.conditions of every apps kind merge by condition type.
const conditionsOpts = (): FieldOptions => ({ patchStrategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] });

/** The five-field condition shape shared by ReplicaSet, StatefulSet and DaemonSet. */
function simpleCondition(kind: string, what: string): TypeDef {
  return type(APPS + kind + 'Condition', `State of a ${what} at one point in time.`, {
    type: field(1, str(), `Type of ${what} condition.`, { required: true }),
    status: field(2, str(), 'Whether the condition holds: True, False or Unknown.', { required: true }),
    lastTransitionTime: field(3, time(), 'When the condition last changed status.'),
    reason: field(4, str(), 'Machine-readable reason for the last transition.'),
    message: field(5, str(), 'Human-readable details about the last transition.'),
  });
}

const MIN_READY_DOC =
  'Seconds a new pod must stay ready, with no container crashing, before it counts as available. Defaults to 0 (available as soon as ready).';

export const appsV1Types: TypeDef[] = [
  // ---- Deployment ----
  type(
    APPS + 'Deployment',
    'Declarative updates for pods and the ReplicaSets that run them.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      spec: field(2, apps('DeploymentSpec'), 'Desired behaviour of the deployment.'),
      status: field(3, apps('DeploymentStatus'), 'Most recently observed state of the deployment.'),
    },
    gvk('Deployment'),
  ),

  type(APPS + 'DeploymentSpec', 'Desired behaviour of a deployment.', {
    replicas: field(1, int32(), 'Number of desired pods. Defaults to 1; an explicit 0 is kept.', { pointer: true, default: 1 }),
    selector: field(
      2,
      metaRef('LabelSelector'),
      'Label query over pods. ReplicaSets whose pods it selects are the ones this deployment manages. Must match the labels of the pod template.',
      { required: true, pointer: true },
    ),
    template: field(
      3,
      core('PodTemplateSpec'),
      'Template of the pods to create. Its restartPolicy may only be "Always".',
      { required: true },
    ),
    strategy: field(4, apps('DeploymentStrategy'), 'How existing pods are replaced by new ones.', {
      patchStrategy: 'retainKeys',
    }),
    minReadySeconds: field(5, int32(), MIN_READY_DOC),
    revisionHistoryLimit: field(
      6,
      int32(),
      'How many old ReplicaSets to keep for rollbacks. Defaults to 10; an explicit 0 is kept.',
      { pointer: true, default: 10 },
    ),
    paused: field(7, bool(), 'When true the deployment is paused: template changes do not trigger a rollout.'),
    progressDeadlineSeconds: field(
      9,
      int32(),
      'Seconds a rollout may go without progress before it is reported as failed (a ProgressDeadlineExceeded condition reason). Not counted while paused. Defaults to 600.',
      { pointer: true, default: 600 },
    ),
  }),

  type(APPS + 'DeploymentStrategy', 'How a deployment replaces existing pods with new ones.', {
    type: field(
      1,
      str(['Recreate', 'RollingUpdate']),
      'Kind of replacement: "Recreate" kills all old pods before creating new ones, "RollingUpdate" replaces them gradually. Defaults to RollingUpdate.',
      { default: 'RollingUpdate' },
    ),
    rollingUpdate: field(
      2,
      apps('RollingUpdateDeployment'),
      'Rolling update settings; only present when type is RollingUpdate.',
      { pointer: true },
    ),
  }),

  type(APPS + 'RollingUpdateDeployment', 'Limits that pace a rolling update of a deployment.', {
    maxUnavailable: field(
      1,
      intOrString(),
      'How many pods may be unavailable during the update: a number (e.g. 5) or a percentage of desired pods (e.g. "10%", rounded down). Cannot be 0 when maxSurge is 0. Defaults to 25%.',
      { pointer: true, default: '25%' },
    ),
    maxSurge: field(
      2,
      intOrString(),
      'How many pods may be created above the desired count during the update: a number or a percentage of desired pods (rounded up). Cannot be 0 when maxUnavailable is 0. Defaults to 25%.',
      { pointer: true, default: '25%' },
    ),
  }),

  type(APPS + 'DeploymentStatus', 'Most recently observed state of a deployment.', {
    observedGeneration: field(1, int64(), 'Generation of the deployment the controller last acted on.'),
    replicas: field(2, int32(), 'Non-terminating pods targeted by this deployment (their labels match the selector).'),
    updatedReplicas: field(3, int32(), 'Non-terminating targeted pods that run the current pod template.'),
    readyReplicas: field(7, int32(), 'Non-terminating targeted pods with a Ready condition.'),
    availableReplicas: field(4, int32(), 'Non-terminating targeted pods that have been ready for at least minReadySeconds.'),
    unavailableReplicas: field(
      5,
      int32(),
      'Pods still missing for the deployment to be fully available: running but not yet available, or not created yet.',
    ),
    conditions: field(6, array(apps('DeploymentCondition')), 'Latest observations of the deployment\'s state.', conditionsOpts()),
    collisionCount: field(
      8,
      int32(),
      'Count of name hash collisions; the controller mixes it into the name of the newest ReplicaSet to avoid clashes.',
      { pointer: true },
    ),
  }),

  type(APPS + 'DeploymentCondition', 'State of a deployment at one point in time.', {
    type: field(1, str(), 'Type of deployment condition (Available, Progressing, ReplicaFailure).', { required: true }),
    status: field(2, str(), 'Whether the condition holds: True, False or Unknown.', { required: true }),
    lastUpdateTime: field(6, time(), 'When the condition was last updated.'),
    lastTransitionTime: field(7, time(), 'When the condition last changed status.'),
    reason: field(4, str(), 'Machine-readable reason for the last transition.'),
    message: field(5, str(), 'Human-readable details about the last transition.'),
  }),

  // ---- ReplicaSet ----
  type(
    APPS + 'ReplicaSet',
    'Keeps a given number of identical pods running at all times.',
    {
      metadata: field(
        1,
        metaRef('ObjectMeta'),
        'Standard object metadata. When the labels are empty they default to the labels of the pods it manages.',
      ),
      spec: field(2, apps('ReplicaSetSpec'), 'Desired behaviour of the ReplicaSet.'),
      status: field(3, apps('ReplicaSetStatus'), 'Most recently observed state of the ReplicaSet. Filled in by the system; may lag behind.'),
    },
    gvk('ReplicaSet'),
  ),

  type(APPS + 'ReplicaSetSpec', 'Desired behaviour of a ReplicaSet.', {
    replicas: field(1, int32(), 'Number of desired pods. Defaults to 1; an explicit 0 is kept.', { pointer: true, default: 1 }),
    minReadySeconds: field(4, int32(), MIN_READY_DOC),
    selector: field(
      2,
      metaRef('LabelSelector'),
      'Label query over the pods counted towards replicas. Must match the labels of the pod template.',
      { required: true, pointer: true },
    ),
    template: field(3, core('PodTemplateSpec'), 'Template of the pods created when too few replicas exist.'),
  }),

  type(APPS + 'ReplicaSetStatus', 'Most recently observed state of a ReplicaSet.', {
    replicas: field(1, int32(), 'Most recently observed number of non-terminating pods.', { required: true }),
    fullyLabeledReplicas: field(2, int32(), 'Non-terminating pods whose labels match the labels of the pod template.'),
    readyReplicas: field(4, int32(), 'Non-terminating pods with a Ready condition.'),
    availableReplicas: field(5, int32(), 'Non-terminating pods that have been ready for at least minReadySeconds.'),
    observedGeneration: field(3, int64(), 'Generation of the ReplicaSet the controller last acted on.'),
    conditions: field(6, array(apps('ReplicaSetCondition')), 'Latest observations of the ReplicaSet\'s state.', conditionsOpts()),
  }),

  simpleCondition('ReplicaSet', 'ReplicaSet'),

  // ---- StatefulSet ----
  type(
    APPS + 'StatefulSet',
    'A set of pods with stable identities: each keeps its own DNS name and its own storage across rescheduling.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      spec: field(2, apps('StatefulSetSpec'), 'Desired identities of the pods in the set.'),
      status: field(3, apps('StatefulSetStatus'), 'Current state of the pods of the set; may lag behind.'),
    },
    gvk('StatefulSet'),
  ),

  type(APPS + 'StatefulSetSpec', 'Desired behaviour of a StatefulSet.', {
    replicas: field(
      1,
      int32(),
      'Desired number of replicas of the template, each with its own identity. Defaults to 1.',
      { pointer: true, default: 1 },
    ),
    selector: field(
      2,
      metaRef('LabelSelector'),
      'Label query over the pods counted towards replicas. Must match the labels of the pod template.',
      { required: true, pointer: true },
    ),
    template: field(
      3,
      core('PodTemplateSpec'),
      'Template of the pods to create. Each pod is named <statefulset name>-<ordinal>. Its restartPolicy may only be "Always".',
      { required: true },
    ),
    volumeClaimTemplates: field(
      4,
      array(core('PersistentVolumeClaim')),
      'Claims each pod gets its own copy of. Each must be mounted (by name) by some container of the template and wins over a template volume of the same name.',
      { listType: 'atomic' },
    ),
    serviceName: field(
      5,
      str(),
      'Name of the headless service that governs the set and gives the pods their DNS names (pod.service.namespace.svc...). Must exist before the set.',
      { required: true },
    ),
    podManagementPolicy: field(
      6,
      str(['OrderedReady', 'Parallel']),
      'How pods are created and removed: "OrderedReady" (default) one at a time in ordinal order, waiting for readiness, removing in reverse order; "Parallel" all at once.',
      { default: 'OrderedReady' },
    ),
    updateStrategy: field(7, apps('StatefulSetUpdateStrategy'), 'How pods are updated when the template changes.'),
    revisionHistoryLimit: field(
      8,
      int32(),
      'How many revisions of the set to keep in its history. Defaults to 10.',
      { pointer: true, default: 10 },
    ),
    minReadySeconds: field(9, int32(), MIN_READY_DOC),
    persistentVolumeClaimRetentionPolicy: field(
      10,
      apps('StatefulSetPersistentVolumeClaimRetentionPolicy'),
      'What happens to claims created from volumeClaimTemplates when the set is deleted or scaled down. By default they are kept.',
      { pointer: true },
    ),
    ordinals: field(
      11,
      apps('StatefulSetOrdinals'),
      'How replica ordinals are numbered. By default the first replica is 0 and each further one adds 1.',
      { pointer: true },
    ),
  }),

  type(APPS + 'StatefulSetUpdateStrategy', 'How the StatefulSet controller updates pods after a template change.', {
    type: field(1, str(UPDATE_TYPES), 'Update strategy: "RollingUpdate" (default) or "OnDelete".', { default: 'RollingUpdate' }),
    rollingUpdate: field(
      2,
      apps('RollingUpdateStatefulSetStrategy'),
      'Rolling update settings, used when type is RollingUpdate.',
      { pointer: true },
    ),
  }),

  type(APPS + 'RollingUpdateStatefulSetStrategy', 'Parameters of a StatefulSet rolling update.', {
    partition: field(
      1,
      int32(),
      'Ordinal from which pods are updated: pods with an ordinal at or above it are updated, the rest keep the old revision. Useful for canaries. Defaults to 0.',
      { pointer: true, default: 0 },
    ),
    maxUnavailable: field(
      2,
      intOrString(),
      'How many pods may be unavailable during the update: a number or a percentage (rounded up); not 0. Defaults to 1. Alpha: only honoured with the MaxUnavailableStatefulSet feature.',
      { pointer: true },
    ),
  }),

  type(
    APPS + 'StatefulSetPersistentVolumeClaimRetentionPolicy',
    'Lifecycle of the claims a StatefulSet creates from its volumeClaimTemplates.',
    {
      whenDeleted: field(
        1,
        str(),
        'What happens to the claims when the set is deleted: "Retain" (default) keeps them, "Delete" removes them.',
        { default: 'Retain' },
      ),
      whenScaled: field(
        2,
        str(),
        'What happens to the claims of removed replicas when the set is scaled down: "Retain" (default) keeps them, "Delete" removes them.',
        { default: 'Retain' },
      ),
    },
  ),

  type(APPS + 'StatefulSetOrdinals', 'How replica ordinals of a StatefulSet are assigned.', {
    start: field(
      1,
      int32(),
      'Ordinal of the first replica; replicas use [start, start + replicas). Defaults to 0. Lets sets count from 1 or move replicas between sets.',
    ),
  }),

  type(APPS + 'StatefulSetStatus', 'Current state of a StatefulSet.', {
    observedGeneration: field(1, int64(), 'Generation of the set the controller last acted on.'),
    replicas: field(2, int32(), 'Pods created by the controller.', { required: true }),
    readyReplicas: field(3, int32(), 'Pods of the set with a Ready condition.'),
    currentReplicas: field(4, int32(), 'Pods created from the revision named by currentRevision.'),
    updatedReplicas: field(5, int32(), 'Pods created from the revision named by updateRevision.'),
    currentRevision: field(6, str(), 'If set, the revision used for pods with ordinals [0, currentReplicas).'),
    updateRevision: field(7, str(), 'If set, the revision used for pods with ordinals [replicas - updatedReplicas, replicas).'),
    collisionCount: field(
      9,
      int32(),
      'Count of name hash collisions; mixed into the name of the newest ControllerRevision to avoid clashes.',
      { pointer: true },
    ),
    conditions: field(10, array(apps('StatefulSetCondition')), 'Latest observations of the set\'s state.', conditionsOpts()),
    availableReplicas: field(11, int32(), 'Pods of the set that have been ready for at least minReadySeconds.'),
  }),

  simpleCondition('StatefulSet', 'StatefulSet'),

  // ---- DaemonSet ----
  type(
    APPS + 'DaemonSet',
    'Runs one copy of a pod on every (matching) node.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      spec: field(2, apps('DaemonSetSpec'), 'Desired behaviour of the daemon set.'),
      status: field(3, apps('DaemonSetStatus'), 'Current state of the daemon set; may lag behind. Filled in by the system.'),
    },
    gvk('DaemonSet'),
  ),

  type(APPS + 'DaemonSetSpec', 'Desired behaviour of a daemon set.', {
    selector: field(
      1,
      metaRef('LabelSelector'),
      'Label query over the pods the daemon set manages. Must match the labels of the pod template.',
      { required: true, pointer: true },
    ),
    template: field(
      2,
      core('PodTemplateSpec'),
      'Template of the pod run on each node that matches its node selector (every node when there is none). Its restartPolicy may only be "Always".',
      { required: true },
    ),
    updateStrategy: field(3, apps('DaemonSetUpdateStrategy'), 'How existing daemon pods are replaced by new ones.'),
    minReadySeconds: field(4, int32(), MIN_READY_DOC),
    revisionHistoryLimit: field(
      6,
      int32(),
      'How many old revisions to keep for rollbacks. Defaults to 10; an explicit 0 is kept.',
      { pointer: true, default: 10 },
    ),
  }),

  type(APPS + 'DaemonSetUpdateStrategy', 'How a daemon set replaces its pods after a template change.', {
    type: field(1, str(UPDATE_TYPES), 'Update strategy: "RollingUpdate" (default) or "OnDelete".', { default: 'RollingUpdate' }),
    rollingUpdate: field(2, apps('RollingUpdateDaemonSet'), 'Rolling update settings; only present when type is RollingUpdate.', {
      pointer: true,
    }),
  }),

  type(APPS + 'RollingUpdateDaemonSet', 'Limits that pace a rolling update of a daemon set.', {
    maxUnavailable: field(
      1,
      intOrString(),
      'How many daemon pods may be down during the update: a number or a percentage of desiredNumberScheduled (rounded up). Cannot be 0 when maxSurge is 0. Defaults to 1.',
      { pointer: true, default: 1 },
    ),
    maxSurge: field(
      2,
      intOrString(),
      'How many nodes may run an updated pod next to the old one during the update: a number or a percentage (rounded up, at least 1). Cannot be 0 when maxUnavailable is 0. Defaults to 0.',
      { pointer: true, default: 0 },
    ),
  }),

  type(APPS + 'DaemonSetStatus', 'Current state of a daemon set.', {
    currentNumberScheduled: field(1, int32(), 'Nodes that run at least one daemon pod and should.', { required: true }),
    numberMisscheduled: field(2, int32(), 'Nodes that run the daemon pod but should not.', { required: true }),
    desiredNumberScheduled: field(3, int32(), 'Nodes that should run the daemon pod (including those correctly running it).', {
      required: true,
    }),
    numberReady: field(4, int32(), 'Nodes that should run the daemon pod and have one with a Ready condition.', { required: true }),
    observedGeneration: field(5, int64(), 'Generation of the daemon set the controller last acted on.'),
    updatedNumberScheduled: field(6, int32(), 'Nodes running the updated daemon pod.'),
    numberAvailable: field(
      7,
      int32(),
      'Nodes that should run the daemon pod and have one that has been ready for at least minReadySeconds.',
    ),
    numberUnavailable: field(8, int32(), 'Nodes that should run the daemon pod but have none running and available.'),
    collisionCount: field(
      9,
      int32(),
      'Count of name hash collisions; mixed into the name of the newest ControllerRevision to avoid clashes.',
      { pointer: true },
    ),
    conditions: field(10, array(apps('DaemonSetCondition')), 'Latest observations of the daemon set\'s state.', conditionsOpts()),
  }),

  simpleCondition('DaemonSet', 'DaemonSet'),

  // ---- ControllerRevision ----
  type(
    APPS + 'ControllerRevision',
    'Immutable snapshot of state data used by the DaemonSet and StatefulSet controllers for updates and rollbacks. Its data cannot change once created; it can only be deleted.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      data: field(2, raw(), 'The serialized state.'),
      revision: field(3, int64(), 'Revision number of the state held in data.', { required: true }),
    },
    gvk('ControllerRevision'),
  ),
];
