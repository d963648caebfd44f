// batch/v1: Job and CronJob. Facts follow k8s.io/api batch/v1 at Kubernetes v1.32.
import { array, bool, field, int32, int64, ref, str, time, type, type GVK, type TypeDef, type TypeRef } from './dsl.js';
import { OBJECT_METADATA_DOC, metaRef } from './meta.js';

const BATCH = 'io.k8s.api.batch.v1.';
const batch = (name: string): TypeRef => ref(BATCH + name);
const core = (name: string): TypeRef => ref('io.k8s.api.core.v1.' + name);
const gvk = (kind: string): GVK => ({ group: 'batch', version: 'v1', kind });

const CONDITION_STATUS = ['False', 'True', 'Unknown'] as const;

export const batchV1Types: TypeDef[] = [
  // ---- Job ----
  type(
    BATCH + 'Job',
    'A task that runs pods until a given number of them finish successfully.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      spec: field(2, batch('JobSpec'), 'Desired behaviour of the job.'),
      status: field(3, batch('JobStatus'), 'Current state of the job.'),
    },
    gvk('Job'),
  ),

  type(BATCH + 'JobSpec', 'Desired behaviour of a job.', {
    parallelism: field(
      1,
      int32(),
      'Most pods the job runs at the same time. Fewer run when less work is left (completions - succeeded < parallelism). Defaults to 1.',
      { pointer: true, default: 1 },
    ),
    completions: field(
      2,
      int32(),
      'Successful pods needed for the job to complete. Unset means the first success completes the job and any parallelism is allowed; 1 means one pod at a time.',
      { pointer: true },
    ),
    activeDeadlineSeconds: field(
      3,
      int64(),
      'Seconds after startTime the job may stay active before the system terminates it; must be positive. The timer stops while the job is suspended and restarts on resume.',
      { pointer: true },
    ),
    podFailurePolicy: field(
      11,
      batch('PodFailurePolicy'),
      'Rules deciding what a failed pod means (fail the job, ignore it, count it...). Without it every failure counts against backoffLimit. Not allowed with restartPolicy OnFailure.',
      { pointer: true },
    ),
    successPolicy: field(
      16,
      batch('SuccessPolicy'),
      'Rules that declare an Indexed job successful before every index succeeded; the remaining pods are then terminated. Immutable. Without it the job succeeds when succeeded pods reach completions.',
      { pointer: true },
    ),
    backoffLimit: field(
      7,
      int32(),
      'Retries before the job is marked failed. Defaults to 6, or to 2147483647 when backoffLimitPerIndex is set.',
      { pointer: true },
    ),
    backoffLimitPerIndex: field(
      12,
      int32(),
      'Retries allowed per index before that index is marked failed (Indexed jobs with restartPolicy Never only). Failures are counted in the batch.kubernetes.io/job-index-failure-count pod annotation. Immutable.',
      { pointer: true },
    ),
    maxFailedIndexes: field(
      13,
      int32(),
      'With backoffLimitPerIndex: how many indexes may fail before the whole job fails. Unset lets every index run and the job then gets the Complete condition. At most completions; required (and at most 10^4) when completions exceed 10^5.',
      { pointer: true },
    ),
    selector: field(
      4,
      metaRef('LabelSelector'),
      'Label query over the pods counted by the job. Normally the system sets it.',
      { pointer: true },
    ),
    manualSelector: field(
      5,
      bool(),
      'When true the user picks the pod labels and the selector; when false or unset the system generates unique ones. Leave unset unless you know you need it.',
      { pointer: true },
    ),
    template: field(
      6,
      core('PodTemplateSpec'),
      'Template of the pods the job runs. restartPolicy must be "Never" or "OnFailure".',
      { required: true },
    ),
    ttlSecondsAfterFinished: field(
      8,
      int32(),
      'Seconds after the job finishes (Complete or Failed) before it may be deleted automatically, finalizers permitting. Unset keeps the job; 0 makes it deletable right away.',
      { pointer: true },
    ),
    completionMode: field(
      9,
      str(['Indexed', 'NonIndexed']),
      'How completions are counted. "NonIndexed" (default): the job completes after `completions` successful pods, all equivalent. "Indexed": each pod gets an index 0..completions-1 (annotation batch.kubernetes.io/job-completion-index, hostname <job>-<index>) and the job completes when every index has succeeded once; completions must be set.',
      { pointer: true, default: 'NonIndexed' },
    ),
    suspend: field(
      10,
      bool(),
      'When true the controller creates no pods and deletes active ones; resuming resets startTime and with it the activeDeadlineSeconds timer. Defaults to false.',
      { pointer: true, default: false },
    ),
    podReplacementPolicy: field(
      14,
      str(['Failed', 'TerminatingOrFailed']),
      'When a replacement pod is created: "TerminatingOrFailed" as soon as the old pod is terminating or failed, "Failed" only once it has fully terminated. With podFailurePolicy only "Failed" is allowed.',
      { pointer: true },
    ),
    managedBy: field(
      15,
      str(),
      'Controller responsible for the job. The built-in controller handles jobs without it or with "kubernetes.io/job-controller" and skips all others. A domain-prefixed path of at most 63 characters. Immutable.',
      { pointer: true },
    ),
  }),

  type(BATCH + 'JobStatus', 'Current state of a job.', {
    conditions: field(
      1,
      array(batch('JobCondition')),
      'Latest observations of the job. A failed job has a "Failed" condition set to True, a completed one "Complete"; "Suspended" tracks suspension. A job is finished once Complete or Failed, never both.',
      { patchStrategy: 'merge', mergeKey: 'type', listType: 'atomic' },
    ),
    startTime: field(
      2,
      time(),
      'When the controller started processing the job (reset on every resume; unset while created suspended). RFC 3339, UTC.',
      { pointer: true },
    ),
    completionTime: field(
      3,
      time(),
      'When the job completed successfully; only set then, and never changed afterwards. RFC 3339, UTC.',
      { pointer: true },
    ),
    active: field(4, int32(), 'Pending or running pods that are not terminating. 0 once the job is finished.'),
    succeeded: field(5, int32(), 'Pods that reached phase Succeeded.'),
    failed: field(6, int32(), 'Pods that reached phase Failed.'),
    terminating: field(11, int32(), 'Pods that are terminating (pending or running with a deletionTimestamp).', { pointer: true }),
    completedIndexes: field(
      7,
      str(),
      'Completed indexes of an Indexed job, as sorted comma-separated numbers with runs of three or more shortened to ranges, e.g. "1,3-5,7".',
    ),
    failedIndexes: field(
      10,
      str(),
      'Failed indexes when backoffLimitPerIndex is set, in the same compressed form as completedIndexes. Never overlaps with them.',
      { pointer: true },
    ),
    uncountedTerminatedPods: field(
      8,
      batch('UncountedTerminatedPods'),
      'UIDs of finished pods the controller has not yet added to the counters: it records them here, removes the pod finalizer, then moves them into succeeded/failed. Empty for finished jobs.',
      { pointer: true },
    ),
    ready: field(9, int32(), 'Active pods with a Ready condition that are not terminating.', { pointer: true }),
  }),

  type(BATCH + 'JobCondition', 'State of a job at one point in time.', {
    type: field(1, str(), 'Type of job condition, e.g. Complete or Failed.', { required: true }),
    status: field(2, str(), 'Whether the condition holds: True, False or Unknown.', { required: true }),
    lastProbeTime: field(3, time(), 'When the condition was last checked.'),
    lastTransitionTime: field(4, time(), 'When the condition last changed status.'),
    reason: field(5, str(), 'Short machine-readable reason for the last transition.'),
    message: field(6, str(), 'Human-readable details about the last transition.'),
  }),

  type(BATCH + 'PodFailurePolicy', 'How failed pods affect a job.', {
    rules: field(
      1,
      array(batch('PodFailurePolicyRule')),
      'Rules checked in order; the first that matches a failed pod decides, the rest are skipped. When none matches the failure counts against backoffLimit. At most 20.',
      { required: true, listType: 'atomic' },
    ),
  }),

  type(
    BATCH + 'PodFailurePolicyRule',
    'What to do with a failed pod that meets the requirements. Use either onExitCodes or onPodConditions, not both.',
    {
      action: field(
        1,
        str(['Count', 'FailIndex', 'FailJob', 'Ignore']),
        'Action when the rule matches: "FailJob" fails the job and stops its pods, "FailIndex" fails only the pod\'s index, "Ignore" does not count the failure and creates a replacement, "Count" handles it the default way. Unknown actions make clients skip the rule.',
        { required: true },
      ),
      onExitCodes: field(
        2,
        batch('PodFailurePolicyOnExitCodesRequirement'),
        'Requirement on container exit codes.',
        { pointer: true },
      ),
      onPodConditions: field(
        3,
        array(batch('PodFailurePolicyOnPodConditionsPattern')),
        'Requirement on pod conditions: met when at least one pattern matches a condition of the pod. At most 20.',
        { listType: 'atomic' },
      ),
    },
  ),

  type(
    BATCH + 'PodFailurePolicyOnExitCodesRequirement',
    'Matches a failed pod by the terminated exit codes of its containers (app and init). Containers that exited with 0 are ignored.',
    {
      containerName: field(
        1,
        str(),
        'Only look at the container (or init container) with this name. Unset means every container.',
        { pointer: true },
      ),
      operator: field(
        2,
        str(['In', 'NotIn']),
        'How exit codes relate to values: "In" matches when some exit code is in the set, "NotIn" when some exit code is outside it. Unknown operators never match.',
        { required: true },
      ),
      values: field(
        3,
        array(int32()),
        'The exit codes to compare with: sorted, without duplicates, 1 to 255 entries. 0 is not allowed with "In".',
        { required: true, listType: 'set' },
      ),
    },
  ),

  type(BATCH + 'PodFailurePolicyOnPodConditionsPattern', 'Matches a pod condition by type and status.', {
    type: field(1, str(), 'Pod condition type that must be present.', { required: true }),
    status: field(2, str(CONDITION_STATUS), 'Status the pod condition must have. Defaults to True.', {
      required: true,
      default: 'True',
    }),
  }),

  type(BATCH + 'SuccessPolicy', 'When an Indexed job counts as succeeded based on some of its indexes.', {
    rules: field(
      1,
      array(batch('SuccessPolicyRule')),
      'Alternative rules, checked in order; once one is met the job gets the "SuccessCriteriaMet" condition, lingering pods are removed and the job ends Complete. At most 20.',
      { required: true, listType: 'atomic' },
    ),
  }),

  type(
    BATCH + 'SuccessPolicyRule',
    'One way for a job to succeed early. Set succeededIndexes, succeededCount or both.',
    {
      succeededIndexes: field(
        1,
        str(),
        'Indexes that must all have succeeded, as comma-separated numbers or ranges like "1,3-5,7", within 0..completions-1 and without duplicates.',
        { pointer: true },
      ),
      succeededCount: field(
        2,
        int32(),
        'Minimum number of succeeded indexes (positive). Combined with succeededIndexes, only indexes from that set are counted.',
        { pointer: true },
      ),
    },
  ),

  type(BATCH + 'UncountedTerminatedPods', 'UIDs of finished pods not yet added to the job status counters.', {
    succeeded: field(1, array(str()), 'UIDs of pods that succeeded.', { listType: 'set' }),
    failed: field(2, array(str()), 'UIDs of pods that failed.', { listType: 'set' }),
  }),

  // ---- CronJob ----
  type(
    BATCH + 'CronJob',
    'Runs a job on a repeating schedule.',
    {
      metadata: field(1, metaRef('ObjectMeta'), OBJECT_METADATA_DOC),
      spec: field(2, batch('CronJobSpec'), 'Desired behaviour of the cron job, including its schedule.'),
      status: field(3, batch('CronJobStatus'), 'Current state of the cron job.'),
    },
    gvk('CronJob'),
  ),

  type(BATCH + 'CronJobSpec', 'When and how a cron job runs its jobs.', {
    schedule: field(1, str(), 'Schedule in cron format, e.g. "*/5 * * * *".', { required: true }),
    timeZone: field(
      8,
      str(),
      'IANA time zone name for the schedule (e.g. "Europe/Paris"). Defaults to the time zone of the controller manager. An unknown zone stops new jobs and emits an UnknownTimeZone event.',
      { pointer: true },
    ),
    startingDeadlineSeconds: field(
      2,
      int64(),
      'Seconds after a missed scheduled time during which the job may still be started; later runs are skipped and counted as failed.',
      { pointer: true },
    ),
    concurrencyPolicy: field(
      3,
      str(['Allow', 'Forbid', 'Replace']),
      'What to do when a run is due while the previous one is still active: "Allow" (default) runs both, "Forbid" skips the new run, "Replace" stops the old job and starts the new one.',
      { default: 'Allow' },
    ),
    suspend: field(
      4,
      bool(),
      'When true no further runs are started; running jobs are not affected. Defaults to false.',
      { pointer: true, default: false },
    ),
    jobTemplate: field(5, batch('JobTemplateSpec'), 'The job created for every run.', { required: true }),
    successfulJobsHistoryLimit: field(
      6,
      int32(),
      'Successful finished jobs to keep; non-negative. Defaults to 3.',
      { pointer: true, default: 3 },
    ),
    failedJobsHistoryLimit: field(7, int32(), 'Failed finished jobs to keep; non-negative. Defaults to 1.', {
      pointer: true,
      default: 1,
    }),
  }),

  type(BATCH + 'CronJobStatus', 'Current state of a cron job.', {
    active: field(1, array(core('ObjectReference')), 'References to the jobs currently running.', { listType: 'atomic' }),
    lastScheduleTime: field(4, time(), 'When a job was last scheduled successfully.', { pointer: true }),
    lastSuccessfulTime: field(5, time(), 'When a job last completed successfully.', { pointer: true }),
  }),

  type(BATCH + 'JobTemplateSpec', 'The shape of the jobs created from a template.', {
    metadata: field(1, metaRef('ObjectMeta'), 'Standard metadata given to the jobs created from this template.'),
    spec: field(2, batch('JobSpec'), 'Desired behaviour of the jobs created from this template.'),
  }),
];
