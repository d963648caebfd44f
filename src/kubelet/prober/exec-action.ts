// exec handler through the CRI's ExecSync, with the kubelet's reading of the
// answer: non-zero exit codes, runtime deadlines and runtime errors.

import { CriError, GRPC_DEADLINE_EXCEEDED, type CriRuntime } from '../cri/api.js';
import { runtimeErrorText } from '../go-format.js';
import { MAX_PROBE_OUTPUT_BYTES, type ProbeOutcome } from './probe-result.js';

export interface ExecRun {
  /** stdout followed by stderr. */
  output: Buffer;
  /** Go error text when the command did not exit 0; undefined on success. */
  error?: string;
  timedOut: boolean;
  /** Set when the command ran and exited non-zero. */
  exitCode?: number;
}

/** The kubelet's RunInContainer: combined output plus the error it would return. */
export async function execInContainer(cri: CriRuntime, containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecRun> {
  try {
    const res = await cri.execSync(containerId, cmd, timeoutSeconds);
    const stdout = Buffer.from(res.stdout ?? []);
    const stderr = Buffer.from(res.stderr ?? []);
    const output = Buffer.concat([stdout, stderr]);
    if (res.exit_code === 0) return { output, timedOut: false };
    return {
      output,
      timedOut: false,
      exitCode: res.exit_code,
      error: `command '${cmd.join(' ')}' exited with ${res.exit_code}: ${stderr.toString('utf8')}`,
    };
  } catch (e) {
    if (e instanceof CriError && e.code === GRPC_DEADLINE_EXCEEDED) {
      return { output: Buffer.alloc(0), timedOut: true, error: `command ${JSON.stringify(cmd.join(' '))} timed out` };
    }
    return { output: Buffer.alloc(0), timedOut: false, error: runtimeErrorText(e) };
  }
}

/** exec as a probe: exit 0 success, other exits failure with the output, a timeout failure, anything else an error. */
export async function runExecProbe(cri: CriRuntime, containerId: string, cmd: string[], timeoutSeconds: number): Promise<ProbeOutcome> {
  const run = await execInContainer(cri, containerId, cmd, timeoutSeconds);
  const output = run.output.subarray(0, MAX_PROBE_OUTPUT_BYTES).toString('utf8');
  if (run.error === undefined) return { result: 'success', output };
  if (run.exitCode !== undefined) return { result: 'failure', output };
  if (run.timedOut) return { result: 'failure', output: run.error };
  return { result: 'unknown', output: '', error: run.error };
}
