// apps/v1 and core/v1 controllers: Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet.

import { ageColumn, column, containerCells, containersColumn, imagesColumn, int, nameColumn, replicasOrDefault, str } from './columns.js';
import { since } from './duration.js';
import { deploymentSelector, formatLabels, formatLabelSelector } from './selectors.js';
import type { JsonObject, TablePrinter } from './table.js';

const selectorColumn = () => column('Selector', 'string', 'Label query over the pods this controller manages.', 1);

function templateContainers(obj: JsonObject): unknown {
  return obj.spec?.template?.spec?.containers;
}

export const deploymentPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Ready replicas out of desired replicas.'),
    column('Up-to-date', 'string', 'Replicas already running the latest pod template.'),
    column('Available', 'string', 'Replicas that have been ready for at least minReadySeconds.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    selectorColumn(),
  ],
  row(d, now) {
    const status = d.status ?? {};
    const [names, images] = containerCells(templateContainers(d));
    return [
      str(d.metadata?.name),
      `${int(status.readyReplicas)}/${replicasOrDefault(d.spec?.replicas)}`,
      int(status.updatedReplicas),
      int(status.availableReplicas),
      since(d.metadata?.creationTimestamp, now),
      names,
      images,
      deploymentSelector(d.spec?.selector),
    ];
  },
};

function replicaColumns(): ReturnType<typeof column>[] {
  return [
    nameColumn(),
    column('Desired', 'integer', 'Number of replicas requested in the spec.'),
    column('Current', 'integer', 'Number of replicas that currently exist.'),
    column('Ready', 'integer', 'Number of replicas that are ready.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    selectorColumn(),
  ];
}

export const replicaSetPrinter: TablePrinter = {
  columns: replicaColumns(),
  row(rs, now) {
    const status = rs.status ?? {};
    const [names, images] = containerCells(templateContainers(rs));
    return [
      str(rs.metadata?.name),
      replicasOrDefault(rs.spec?.replicas),
      int(status.replicas),
      int(status.readyReplicas),
      since(rs.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: replicaColumns(),
  row(rc, now) {
    const status = rc.status ?? {};
    const [names, images] = containerCells(templateContainers(rc));
    return [
      str(rc.metadata?.name),
      replicasOrDefault(rc.spec?.replicas),
      int(status.replicas),
      int(status.readyReplicas),
      since(rc.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabels(rc.spec?.selector), // a plain label map for RCs
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Ready replicas out of desired replicas.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
  ],
  row(sts, now) {
    const [names, images] = containerCells(templateContainers(sts));
    return [
      str(sts.metadata?.name),
      `${int(sts.status?.readyReplicas)}/${replicasOrDefault(sts.spec?.replicas)}`,
      since(sts.metadata?.creationTimestamp, now),
      names,
      images,
    ];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Number of nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Number of nodes running at least one daemon pod.'),
    column('Ready', 'integer', 'Number of nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Number of nodes running the latest daemon pod template.'),
    column('Available', 'integer', 'Number of nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'Node labels a node must carry to run the daemon pod.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    selectorColumn(),
  ],
  row(ds, now) {
    const status = ds.status ?? {};
    const [names, images] = containerCells(templateContainers(ds));
    return [
      str(ds.metadata?.name),
      int(status.desiredNumberScheduled),
      int(status.currentNumberScheduled),
      int(status.numberReady),
      int(status.updatedNumberScheduled),
      int(status.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      since(ds.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};
