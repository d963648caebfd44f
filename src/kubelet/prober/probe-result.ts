// The outcome of one probe attempt, as the kubelet's probers report it:
// a result plus output text, or an error (the attempt itself could not be
// made — "probe errored", and the result is thrown away).

export type ProbeResultKind = 'success' | 'warning' | 'failure' | 'unknown';

export interface ProbeOutcome {
  result: ProbeResultKind;
  /** The text the kubelet puts after "probe failed: " / "probe warning: ". */
  output: string;
  /** Set when the attempt errored; the text after "probe errored: ". */
  error?: string;
}

/** Response bodies and exec output are cut to this many bytes (the kubelet's limit). */
export const MAX_PROBE_OUTPUT_BYTES = 10 * 1024;
