// What a port-forward server needs from whatever carries one forwarded
// connection to the pod's port (the kubelet, or the runtime's streaming
// server): bytes both ways, a half-close, an abort, and the error text that
// Kubernetes clients read from the error stream.

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl ≥ 1.30 tunnels the SPDY connection through a websocket with this subprotocol. */
export const SPDY_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

export interface ForwardHandlers {
  /** Bytes from the pod's port. */
  onData(data: Buffer): void;
  /** Error text for the client's error stream (may arrive in pieces). */
  onError(message: Buffer): void;
  /** Nothing more will come: the pod side closed, or forwarding failed. Called once. */
  onEnd(): void;
}

export interface Forward {
  write(data: Buffer): void;
  /** The client sends no more bytes (its data stream's FIN). */
  end(): void;
  /** Abort: the client reset the stream or went away. No handler is called afterwards. */
  close(): void;
}

/** Opens one forwarded connection to `port`; failures are reported through the handlers. */
export type ForwardDialer = (port: number, requestId: string, h: ForwardHandlers) => Forward;
