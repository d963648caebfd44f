// Secrets and ConfigMaps: data keys, the 1 MiB size cap, type-specific required keys,
// and the `immutable` flag.

import type { FieldError } from './field-error.js';
import { forbidden, invalid, required, tooLong } from './errors.js';
import { isConfigMapKey, nameIsDNSSubdomain } from './names.js';
import { deepEqual, immutable, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

export const MAX_SECRET_SIZE = 1024 * 1024;
const REDACTED = '<secret contents redacted>';

function decodeBase64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined;
  return Buffer.from(clean, 'base64');
}

/** The error Go's json.Unmarshal gives for the common ways a docker config is broken. */
export function goJSONObjectError(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const trimmed = text.trimStart();
    if (trimmed.length === 0) return 'unexpected end of JSON input';
    const first = trimmed[0];
    if (!'{["-0123456789tfn'.includes(first)) return `invalid character '${first}' looking for beginning of value`;
    const literal = ['true', 'false', 'null'].find((l) => l[0] === first);
    if (literal) {
      for (let i = 1; i < literal.length; i++) {
        if (i >= trimmed.length) return 'unexpected end of JSON input';
        if (trimmed[i] !== literal[i]) return `invalid character '${trimmed[i]}' in literal ${literal} (expecting '${literal[i]}')`;
      }
    }
    return 'unexpected end of JSON input';
  }
  if (parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed))) return undefined;
  const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool';
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

export function validateSecret(secret: any): FieldError[] {
  const errs = validateObjectMeta(secret?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const data = (secret?.data ?? {}) as Record<string, unknown>;
  const decoded = new Map<string, Buffer>();
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, msg));
    const bytes = decodeBase64(data[key]);
    if (!bytes) {
      errs.push(invalid(`data[${key}]`, REDACTED, 'illegal base64 data'));
      continue;
    }
    decoded.set(key, bytes);
    total += bytes.length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE));
  const need = (key: string) => {
    if (!(key in data)) errs.push(required(`data[${key}]`));
  };
  switch (secret?.type ?? '') {
    case 'kubernetes.io/service-account-token':
      if (!secret?.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!(key in data)) {
        need(key);
        break;
      }
      const bytes = decoded.get(key);
      const problem = bytes && goJSONObjectError(bytes);
      if (problem) errs.push(invalid(`data[${key}]`, REDACTED, problem));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) {
        need('username');
        need('password');
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decoded.get('ssh-privatekey')?.length) errs.push(required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      need('tls.crt');
      need('tls.key');
      break;
  }
  return errs;
}

function immutableDataErrors(obj: any, old: any, fields: string[]): FieldError[] {
  if (old?.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj?.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!deepEqual(obj?.[f], old?.[f])) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateSecretUpdate(secret: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(secret?.metadata, old?.metadata);
  errs.push(...immutable(secret?.type ?? '', old?.type ?? '', 'type'));
  errs.push(...immutableDataErrors(secret, old, ['data']));
  errs.push(...validateSecret(secret));
  return errs;
}

export function validateConfigMap(cm: any): FieldError[] {
  const errs = validateObjectMeta(cm?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const data = (cm?.data ?? {}) as Record<string, unknown>;
  const binary = (cm?.binaryData ?? {}) as Record<string, unknown>;
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, msg));
    if (key in binary) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(data[key] ?? ''));
  }
  for (const key of Object.keys(binary).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`binaryData[${key}]`, key, msg));
    total += decodeBase64(binary[key])?.length ?? 0;
  }
  // Kubernetes reports the whole object here, with an empty field path.
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('', MAX_SECRET_SIZE));
  return errs;
}

export function validateConfigMapUpdate(cm: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(cm?.metadata, old?.metadata);
  errs.push(...immutableDataErrors(cm, old, ['data', 'binaryData']));
  errs.push(...validateConfigMap(cm));
  return errs;
}
