// Pod volumes: unique DNS-label names and exactly one source each.

import type { FieldError } from './field-error.js';
import { duplicate, forbidden, invalid, notSupported, required } from './errors.js';
import { isDNS1123Label } from './names.js';

/** Source fields in the order Kubernetes checks them (the first one found wins). */
const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'csi',
  'projected',
  'scaleIO',
  'ephemeral',
  'image',
] as const;

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(mode: unknown, field: string): FieldError[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777) ? [invalid(field, mode, FILE_MODE_ERROR)] : [];
}

function validateItems(items: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(items)) return errs;
  items.forEach((item, i) => {
    const p = `${field}[${i}]`;
    if (!item?.key) errs.push(required(`${p}.key`));
    const target = String(item?.path ?? '');
    if (!target) errs.push(required(`${p}.path`));
    else {
      if (target.startsWith('/')) errs.push(invalid(`${p}.path`, target, 'must be a relative path'));
      if (target.split('/').includes('..')) errs.push(invalid(`${p}.path`, target, "must not contain '..'"));
      if (target.startsWith('..')) errs.push(invalid(`${p}.path`, target, "must not start with '..'"));
    }
    errs.push(...validateMode(item?.mode, `${p}.mode`));
  });
  return errs;
}

function validateSource(kind: (typeof VOLUME_SOURCES)[number], src: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'hostPath': {
      const p = String(src.path ?? '');
      if (!p) return [required(`${field}.path`)];
      if (p.split('/').includes('..')) errs.push(invalid(`${field}.path`, p, "must not contain '..'"));
      const t = src.type ?? '';
      if (!HOST_PATH_TYPES.includes(t)) errs.push(notSupported(`${field}.type`, t, HOST_PATH_TYPES));
      break;
    }
    case 'secret':
      if (!src.secretName) errs.push(required(`${field}.secretName`));
      errs.push(...validateMode(src.defaultMode, `${field}.defaultMode`));
      errs.push(...validateItems(src.items, `${field}.items`));
      break;
    case 'configMap':
      if (!src.name) errs.push(required(`${field}.name`));
      errs.push(...validateMode(src.defaultMode, `${field}.defaultMode`));
      errs.push(...validateItems(src.items, `${field}.items`));
      break;
    case 'persistentVolumeClaim':
      if (!src.claimName) errs.push(required(`${field}.claimName`));
      break;
    case 'nfs':
      if (!src.server) errs.push(required(`${field}.server`));
      if (!src.path) errs.push(required(`${field}.path`));
      else if (!String(src.path).startsWith('/')) errs.push(invalid(`${field}.path`, src.path, 'must be an absolute path'));
      break;
    case 'csi':
      if (!src.driver) errs.push(required(`${field}.driver`));
      break;
    case 'downwardAPI':
      errs.push(...validateMode(src.defaultMode, `${field}.defaultMode`));
      break;
    case 'projected':
      errs.push(...validateMode(src.defaultMode, `${field}.defaultMode`));
      break;
    case 'image':
      if (!src.reference) errs.push(required(`${field}.reference`));
      break;
  }
  return errs;
}

export function validateVolumeSources(vol: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of VOLUME_SOURCES) {
    if (vol?.[kind] == null) continue;
    if (count > 0) {
      errs.push(forbidden(`${field}.${kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSource(kind, vol[kind], `${field}.${kind}`));
  }
  if (count === 0) errs.push(required(field, 'must specify a volume type'));
  return errs;
}

/** Validates spec.volumes and returns the names later mounts may refer to. */
export function validateVolumes(volumes: unknown, field: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  if (!Array.isArray(volumes)) return { errs, names };
  volumes.forEach((vol, i) => {
    const p = `${field}[${i}]`;
    const el = validateVolumeSources(vol, p);
    const name = typeof vol?.name === 'string' ? vol.name : '';
    if (!name) el.push(required(`${p}.name`));
    else for (const msg of isDNS1123Label(name)) el.push(invalid(`${p}.name`, name, msg));
    if (names.has(name)) el.push(duplicate(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { errs, names };
}
