// Removes every sandbox and container this node's kubelet made (by the
// managed-by label), for `--cleanup-on-exit` and tests. A normal stop leaves
// pods running so a restarted agent re-adopts them.

import { LABEL_MANAGED_BY, LABEL_POD_UID, type CriRuntime } from './cri/api.js';

export async function removeAllPods(cri: CriRuntime, nodeName: string): Promise<string[]> {
  const selector = { label_selector: { [LABEL_MANAGED_BY]: nodeName } };
  const containers = await cri.listContainers(selector);
  await Promise.all(containers.map(async (c) => {
    await cri.stopContainer(c.id, 0);
    await cri.removeContainer(c.id);
  }));
  const sandboxes = await cri.listPodSandbox(selector);
  const uids: string[] = [];
  for (const s of sandboxes) {
    await cri.stopPodSandbox(s.id);
    await cri.removePodSandbox(s.id);
    const uid = s.labels[LABEL_POD_UID];
    if (uid && !uids.includes(uid)) uids.push(uid);
  }
  return uids;
}
