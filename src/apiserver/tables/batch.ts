// batch/v1 Job and CronJob rows.

import { ageColumn, column, containerCells, containersColumn, imagesColumn, int, nameColumn, str } from './columns.js';
import { humanDuration, parseTimestamp, since } from './duration.js';
import { formatLabelSelector } from './selectors.js';
import type { JsonObject, TablePrinter } from './table.js';

const selectorColumn = () => column('Selector', 'string', 'Label query over the pods the job runs.', 1);

/** True when the first condition of `type` has status True. */
function jobCondition(job: JsonObject, type: string): boolean {
  const conditions: JsonObject[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  const c = conditions.find((x) => x?.type === type);
  return c?.status === 'True';
}

export function jobStatus(job: JsonObject): string {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp != null) return 'Terminating';
  if (jobCondition(job, 'Suspended')) return 'Suspended';
  if (jobCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** "succeeded/completions"; for work-queue jobs "n/1" or "n/1 of <parallelism>". */
export function jobCompletions(job: JsonObject): string {
  const spec = job.spec ?? {};
  const succeeded = int(job.status?.succeeded);
  // API defaulting: with neither field set, both become 1.
  let completions: number | undefined = typeof spec.completions === 'number' ? spec.completions : undefined;
  const parallelism: number = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
  if (completions === undefined && typeof spec.parallelism !== 'number') completions = 1;
  if (completions !== undefined) return `${succeeded}/${completions}`;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(job: JsonObject, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

export const jobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Overall state of the job, derived from its conditions.'),
    column('Completions', 'string', 'Successful pods out of the required completions.'),
    column('Duration', 'string', 'Time the job ran for, or has been running.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    selectorColumn(),
  ],
  row(job, now) {
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      str(job.metadata?.name),
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      since(job.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};

function boolText(value: unknown): string {
  if (typeof value !== 'boolean') return '<unset>';
  return value ? 'True' : 'False';
}

export const cronJobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Schedule', 'string', 'Cron expression that triggers new jobs.'),
    column('Timezone', 'string', 'Time zone the schedule is interpreted in.'),
    column('Suspend', 'boolean', 'Whether new runs are currently suspended.'),
    column('Active', 'integer', 'Number of jobs currently running.'),
    column('Last Schedule', 'string', 'Time since a job was last scheduled.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    selectorColumn(),
  ],
  row(cj, now) {
    const spec = cj.spec ?? {};
    const jobSpec = spec.jobTemplate?.spec ?? {};
    const [names, images] = containerCells(jobSpec.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime != null ? since(cj.status.lastScheduleTime, now) : '<none>';
    return [
      str(cj.metadata?.name),
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      boolText(spec.suspend ?? false), // suspend defaults to false
      Array.isArray(cj.status?.active) ? cj.status.active.length : 0,
      last,
      since(cj.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};
