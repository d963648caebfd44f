// Simple core/v1 kinds: Namespace, Secret, ConfigMap, ServiceAccount, PodTemplate.

import { ageColumn, column, containerCells, countKeys, nameColumn, str } from './columns.js';
import { since } from './duration.js';
import { formatLabels } from './selectors.js';
import type { TablePrinter } from './table.js';

export const namespacePrinter: TablePrinter = {
  columns: [nameColumn(), column('Status', 'string', 'Lifecycle phase of the namespace: Active or Terminating.'), ageColumn()],
  row(ns, now) {
    // The API defaults an empty phase to Active.
    return [str(ns.metadata?.name), str(ns.status?.phase) || 'Active', since(ns.metadata?.creationTimestamp, now)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'Secret type, which constrains the expected keys.'),
    column('Data', 'string', 'Number of keys stored in the secret.'),
    ageColumn(),
  ],
  row(secret, now) {
    return [
      str(secret.metadata?.name),
      str(secret.type) || 'Opaque', // API default
      countKeys(secret.data),
      since(secret.metadata?.creationTimestamp, now),
    ];
  },
};

export const configMapPrinter: TablePrinter = {
  columns: [nameColumn(), column('Data', 'string', 'Number of keys in data and binaryData.'), ageColumn()],
  row(cm, now) {
    return [str(cm.metadata?.name), countKeys(cm.data) + countKeys(cm.binaryData), since(cm.metadata?.creationTimestamp, now)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn(), column('Secrets', 'string', 'Number of secrets referenced by the service account.'), ageColumn()],
  row(sa, now) {
    return [
      str(sa.metadata?.name),
      Array.isArray(sa.secrets) ? sa.secrets.length : 0,
      since(sa.metadata?.creationTimestamp, now),
    ];
  },
};

export const podTemplatePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Containers', 'string', 'Comma-separated names of the containers in the template.'),
    column('Images', 'string', 'Comma-separated images used by the template.'),
    column('Pod Labels', 'string', 'Labels applied to pods created from the template.'),
  ],
  row(pt) {
    const [names, images] = containerCells(pt.template?.spec?.containers);
    return [str(pt.metadata?.name), names, images, formatLabels(pt.template?.metadata?.labels)];
  },
};
