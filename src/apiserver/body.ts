// Reading and decoding request bodies: JSON, YAML and Kubernetes protobuf,
// with the 3 MiB limit the Kubernetes API server applies.

import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { errors } from './status.js';
import { decodeKubernetesProtobuf } from '../api/schema/protobuf-decode.js';
import { typeByName, typeForGVK } from '../api/schema/index.js';
import { goJsonSyntaxError, summarizeBody } from './go-json.js';

export const MAX_BODY = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(errors.tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(errors.tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export interface DecodedBody {
  obj: any;
  /** The raw JSON text when the body was JSON (for duplicate-field detection). */
  jsonText?: string;
}

/** Decode a create/update body. `expected` names what the endpoint takes, for error messages. */
export function decodeObject(body: Buffer, contentType: string | undefined, expected: { kind: string; apiVersion: string }): DecodedBody {
  const mt = mediaType(contentType);
  if (mt === 'application/vnd.kubernetes.protobuf') {
    try {
      const { object } = decodeKubernetesProtobuf(body, typeForGVK, typeByName);
      return { obj: object };
    } catch (e) {
      throw errors.badRequest(`${expected.kind} in version "${expected.apiVersion.split('/').pop()}" cannot be handled as a ${expected.kind}: ${(e as Error).message}`);
    }
  }
  const text = body.toString('utf8');
  if (mt === 'application/json' || mt === '' || mt === '*/*') {
    try {
      return { obj: JSON.parse(text), jsonText: text };
    } catch (e) {
      throw errors.badRequest(unrecognizedObject(expected.kind, `json parse error: ${goJsonSyntaxError(text) ?? (e as Error).message}`, body));
    }
  }
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') {
    return { obj: parseYamlBody(text, expected) };
  }
  throw errors.unsupportedMediaType(mt);
}

export function parseYamlBody(text: string, expected: { kind: string; apiVersion: string }): any {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    if (d.errors?.length) {
      const err = d.errors[0];
      throw errors.badRequest(
        `${expected.kind} in version "${expected.apiVersion.split('/').pop()}" cannot be handled as a ${expected.kind}: error converting YAML to JSON: yaml: ${err.message.split('\n')[0]}`,
      );
    }
  }
  try {
    return parseYaml(text, { uniqueKeys: false });
  } catch (e) {
    throw errors.badRequest(`error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * Kubernetes' message when the body's apiVersion/kind cannot even be read
 * (transformDecodeError without a GVK): the cause and a short summary of the body.
 */
export function unrecognizedObject(kind: string, cause: string, body: Buffer): string {
  return `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; ${cause} (${summarizeBody(body)})`;
}
