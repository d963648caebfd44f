// Which container instance `kubectl logs` reads, decided from the pod's status
// exactly as the kubelet does (validateContainerLogStatus), including the
// error texts users see for containers that have no logs yet.

export class ContainerLogStatusError extends Error {}

function findStatus(status: any, name: string): any | undefined {
  for (const list of [status?.containerStatuses, status?.initContainerStatuses, status?.ephemeralContainerStatuses]) {
    const found = (list ?? []).find((s: any) => s?.name === name);
    if (found) return found;
  }
  return undefined;
}

/** Strips the runtime scheme: "containerd://abc" → "abc". */
export function runtimeContainerId(id: string): string {
  const i = id.indexOf('://');
  return i >= 0 ? id.slice(i + 3) : id;
}

/**
 * The runtime ID of the container whose log to read. Throws
 * ContainerLogStatusError with the kubelet's message when there is none.
 */
export function containerIdForLogs(podName: string, podStatus: any, containerName: string, previous: boolean): string {
  const cs = findStatus(podStatus, containerName);
  const q = (s: string) => JSON.stringify(s);
  if (!cs) throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is not available`);
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  let id: string | undefined;
  if (previous) {
    if (!last?.containerID) throw new ContainerLogStatusError(`previous terminated container ${q(containerName)} in pod ${q(podName)} not found`);
    id = last.containerID;
  } else if (running) {
    id = cs.containerID;
  } else if (terminated) {
    // When the next attempt has not started, terminated.containerID may be empty.
    id = terminated.containerID || last?.containerID;
    if (!id) throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is terminated`);
  } else if (last) {
    if (!last.containerID) throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is terminated`);
    id = last.containerID;
  } else if (waiting) {
    switch (waiting.reason) {
      case 'ErrImagePull':
        throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is waiting to start: image can't be pulled`);
      case 'ImagePullBackOff':
        throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is waiting to start: trying and failing to pull image`);
      default:
        throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is waiting to start: ${waiting.reason ?? ''}`);
    }
  } else {
    throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is waiting to start - no logs yet`);
  }
  if (!id) throw new ContainerLogStatusError(`container ${q(containerName)} in pod ${q(podName)} is waiting to start - no logs yet`);
  return runtimeContainerId(id);
}
