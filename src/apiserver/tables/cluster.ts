// Assorted cluster kinds: Lease, PriorityClass, PodDisruptionBudget, RuntimeClass, StorageClass,
// ControllerRevision and admission webhook configurations.

import { ageColumn, column, int, nameColumn, str } from './columns.js';
import { since } from './duration.js';
import type { JsonObject, TablePrinter } from './table.js';

export const leasePrinter: TablePrinter = {
  columns: [nameColumn(), column('Holder', 'string', 'Identity currently holding the lease.'), ageColumn()],
  row(lease, now) {
    return [str(lease.metadata?.name), str(lease.spec?.holderIdentity), since(lease.metadata?.creationTimestamp, now)];
  },
};

export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Value', 'integer', 'Priority given to pods that use this class.'),
    column('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    ageColumn(),
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  row(pc, now) {
    return [
      str(pc.metadata?.name),
      int(pc.value),
      pc.globalDefault === true,
      since(pc.metadata?.creationTimestamp, now),
      str(pc.preemptionPolicy) || 'PreemptLowerPriority', // API default
    ];
  },
};

/** An IntOrString as text ("1", "50%"); "N/A" when unset. */
function intOrString(value: unknown): string {
  if (typeof value === 'number') return String(Math.trunc(value));
  if (typeof value === 'string') return value;
  return 'N/A';
}

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Min Available', 'string', 'Pods that must stay available during voluntary disruptions.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable during voluntary disruptions.'),
    column('Allowed Disruptions', 'integer', 'Pod disruptions currently permitted.'),
    ageColumn(),
  ],
  row(pdb, now) {
    return [
      str(pdb.metadata?.name),
      intOrString(pdb.spec?.minAvailable),
      intOrString(pdb.spec?.maxUnavailable),
      int(pdb.status?.disruptionsAllowed),
      since(pdb.metadata?.creationTimestamp, now),
    ];
  },
};

export const runtimeClassPrinter: TablePrinter = {
  columns: [nameColumn(), column('Handler', 'string', 'CRI handler that runs pods of this class.'), ageColumn()],
  row(rc, now) {
    return [str(rc.metadata?.name), str(rc.handler), since(rc.metadata?.creationTimestamp, now)];
  },
};

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export const storageClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Provisioner', 'string', 'Volume plugin that provisions volumes of this class.'),
    column('ReclaimPolicy', 'string', 'What happens to provisioned volumes when released.'),
    column('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    column('AllowVolumeExpansion', 'string', 'Whether volumes of this class can be resized.'),
    ageColumn(),
  ],
  row(sc, now) {
    const annotations: Record<string, string> = sc.metadata?.annotations ?? {};
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
    return [
      str(sc.metadata?.name) + (isDefault ? ' (default)' : ''),
      str(sc.provisioner),
      str(sc.reclaimPolicy) || 'Delete',
      str(sc.volumeBindingMode) || 'Immediate',
      sc.allowVolumeExpansion === true,
      since(sc.metadata?.creationTimestamp, now),
    ];
  },
};

/** "kind.group/name" (lower-cased kind and group) of the controlling owner; "<none>" if there is none. */
export function controllerOf(obj: JsonObject): string {
  const refs: JsonObject[] = Array.isArray(obj.metadata?.ownerReferences) ? obj.metadata.ownerReferences : [];
  const ref = refs.find((r) => r?.controller === true);
  if (!ref) return '<none>';
  const apiVersion = str(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(ref.kind);
  if (!kind && !group) return str(ref.name);
  const groupKind = group ? `${kind}.${group}` : kind;
  return `${groupKind.toLowerCase()}/${str(ref.name)}`;
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Object that owns this revision.'),
    column('Revision', 'string', 'Revision number of the stored state.'),
    ageColumn(),
  ],
  row(cr, now) {
    return [str(cr.metadata?.name), controllerOf(cr), int(cr.revision), since(cr.metadata?.creationTimestamp, now)];
  },
};

export const webhookConfigurationPrinter: TablePrinter = {
  columns: [nameColumn(), column('Webhooks', 'integer', 'Number of webhooks in this configuration.'), ageColumn()],
  row(cfg, now) {
    return [str(cfg.metadata?.name), Array.isArray(cfg.webhooks) ? cfg.webhooks.length : 0, since(cfg.metadata?.creationTimestamp, now)];
  },
};
