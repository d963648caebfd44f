// Node rows: NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.

import { ageColumn, column, nameColumn, str } from './columns.js';
import { since } from './duration.js';
import type { JsonObject, TablePrinter } from './table.js';

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** "Ready" / "NotReady" / "Unknown", plus ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: JsonObject): string {
  const conditions: JsonObject[] = Array.isArray(node.status?.conditions) ? node.status.conditions : [];
  // The last Ready condition wins when duplicated (map overwrite upstream).
  let readyCond: JsonObject | undefined;
  for (const c of conditions) if (c?.type === 'Ready') readyCond = c;
  const parts = [readyCond ? (readyCond.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Sorted, de-duplicated roles from node-role.kubernetes.io/<role> and kubernetes.io/role=<role> labels. */
export function nodeRoles(node: JsonObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((node.metadata?.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith(ROLE_LABEL_PREFIX)) {
      const role = k.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === LEGACY_ROLE_LABEL && v) {
      roles.add(v);
    }
  }
  const list = [...roles].sort();
  return list.length ? list.join(',') : '<none>';
}

function firstAddress(node: JsonObject, type: string): string {
  const addrs: JsonObject[] = Array.isArray(node.status?.addresses) ? node.status.addresses : [];
  const a = addrs.find((x) => x?.type === type);
  return a ? str(a.address) : '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Readiness of the node, and whether scheduling onto it is disabled.'),
    column('Roles', 'string', 'Roles taken from the node-role labels.'),
    ageColumn(),
    column('Version', 'string', 'Kubelet version reported by the node.'),
    column('Internal-IP', 'string', 'First InternalIP address of the node.', 1),
    column('External-IP', 'string', 'First ExternalIP address of the node.', 1),
    column('OS-Image', 'string', 'Operating system image reported by the node.', 1),
    column('Kernel-Version', 'string', 'Kernel version reported by the node.', 1),
    column('Container-Runtime', 'string', 'Container runtime name and version reported by the node.', 1),
  ],
  row(node, now) {
    const info = node.status?.nodeInfo ?? {};
    return [
      str(node.metadata?.name),
      nodeStatus(node),
      nodeRoles(node),
      since(node.metadata?.creationTimestamp, now),
      str(info.kubeletVersion),
      firstAddress(node, 'InternalIP'),
      firstAddress(node, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
