// Deployment, ReplicaSet and Job defaults, including the selector and labels a Job's
// strategy generates when the user did not ask for a manual selector.

import { defaultPodTemplate } from './pod-spec.js';

export function defaultDeployment(d: any): void {
  d.spec ??= {};
  const spec = d.spec;
  if (spec.replicas == null) spec.replicas = 1;
  spec.strategy ??= {};
  if (!spec.strategy.type) spec.strategy.type = 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds == null) spec.progressDeadlineSeconds = 600;
  defaultPodTemplate(spec.template);
}

export function defaultReplicaSet(rs: any): void {
  rs.spec ??= {};
  if (rs.spec.replicas == null) rs.spec.replicas = 1;
  defaultPodTemplate(rs.spec.template);
}

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

/** The job strategy's generateSelector: pods get name/uid labels, the selector picks the uid. */
function generateJobSelector(job: any, sharedLabels: boolean): void {
  const spec = job.spec;
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.labels ??= {};
  const labels = spec.template.metadata.labels;
  const name = String(job.metadata?.name ?? '');
  const uid = String(job.metadata?.uid ?? '');
  for (const k of JOB_NAME_LABELS) if (!(k in labels)) labels[k] = name;
  for (const k of CONTROLLER_UID_LABELS) if (!(k in labels)) labels[k] = uid;
  // In Go the job's labels were copied by reference, so they see the generated ones too.
  if (sharedLabels) job.metadata.labels = { ...labels };
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  if (!('batch.kubernetes.io/controller-uid' in spec.selector.matchLabels)) {
    spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] = uid;
  }
}

export function defaultJob(job: any): void {
  job.spec ??= {};
  job.metadata ??= {};
  const spec = job.spec;
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism == null) spec.parallelism = 1;
  if (spec.backoffLimit == null) spec.backoffLimit = spec.backoffLimitPerIndex != null ? 2147483647 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  let sharedLabels = false;
  if (templateLabels != null && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = { ...templateLabels };
    sharedLabels = true;
  }
  if (!spec.completionMode) spec.completionMode = 'NonIndexed';
  if (spec.suspend == null) spec.suspend = false;
  if (!spec.podReplacementPolicy) spec.podReplacementPolicy = spec.podFailurePolicy != null ? 'Failed' : 'TerminatingOrFailed';
  if (spec.manualSelector == null) spec.manualSelector = false;
  if (spec.manualSelector !== true && spec.selector == null) generateJobSelector(job, sharedLabels);
  // The template's restartPolicy defaults to Always like any PodSpec; Job validation then asks
  // for OnFailure/Never, exactly as Kubernetes answers a Job that omits it.
  defaultPodTemplate(spec.template);
}
