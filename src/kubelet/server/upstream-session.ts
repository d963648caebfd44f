// A remote-command session with the runtime's streaming server, seen from the
// kubelet: output callbacks in, stdin/resize/close out. Two transports
// implement it (SPDY and WebSocket v4); the client-facing bridge uses either.

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface UpstreamHandlers {
  onStdout(data: Buffer): void;
  onStderr(data: Buffer): void;
  /**
   * The session ended. `status` is the runtime's v4 status JSON (channel 3 / error
   * stream) when it sent one; undefined when it closed without one.
   */
  onEnd(status: Buffer | undefined, error?: Error): void;
}

export interface UpstreamSession {
  writeStdin(data: Buffer): void;
  /** Stdin reached EOF (v5 close signal). Only transports with half-close can honour it. */
  closeStdin(): void;
  /** Terminal size message, JSON as sent by the client. */
  resize(json: Buffer): void;
  /** Tear the session down (client went away). */
  close(): void;
  /** Whether closeStdin() really delivers EOF to the process. */
  readonly supportsStdinClose: boolean;
}

export const SUCCESS_STATUS = Buffer.from('{"metadata":{},"status":"Success"}');
