// Static bearer-token authentication data, stored in Kubernetes' token file
// format (--token-auth-file): one CSV record per line,
//   token,user,uid[,"group1,group2"]
// Extra columns are ignored. Records are parsed with Go encoding/csv rules so a
// file accepted by kube-apiserver reads the same here.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface TokenIdentity {
  user: string;
  uid: string;
  groups: string[];
}

export interface TokenRecord extends TokenIdentity {
  token: string;
}

export const ADMIN_USER = 'system:admin';
export const ADMIN_UID = 'system:admin';
export const ADMIN_GROUPS: readonly string[] = ['system:masters'];
export const TOKEN_FILE_NAME = 'tokens.csv';

/** Parses CSV text the way Go's encoding/csv does with FieldsPerRecord = -1. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    // Blank lines are skipped, as in Go.
    if (text[i] === '\n') {
      i++;
      line++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    const record: string[] = [];
    const startLine = line;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new Error(`parse error on line ${startLine}: extraneous or missing " in quoted-field`);
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && text[i + 1] === '\n')) {
          throw new Error(`parse error on line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new Error(`parse error on line ${line}: bare " in non-quoted-field`);
          field += text[i];
          i++;
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      // End of record: newline or end of input.
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    records.push(record);
  }
  return records;
}

/** Quotes a field only when Go's csv.Writer would. */
function csvField(f: string): string {
  if (f === '' || (!/[",\r\n]/.test(f) && !f.startsWith(' ') && !f.startsWith('\t'))) return f;
  return `"${f.replaceAll('"', '""')}"`;
}

/**
 * Reads a static token file. Like kube-apiserver: fewer than 3 columns is an
 * error, records with an empty token are skipped, and a repeated token keeps
 * the last record.
 */
export function loadTokenFile(file: string): Map<string, TokenIdentity> {
  const tokens = new Map<string, TokenIdentity>();
  for (const record of parseCsv(readFileSync(file, 'utf8'))) {
    if (record.length < 3) {
      throw new Error(
        `token file '${file}' must have at least 3 columns (token, user name, unique user ID), found ${record.length}`,
      );
    }
    const [token, user, uid, groups] = record as [string, string, string, string | undefined];
    if (token === '') continue;
    tokens.set(token, { user, uid, groups: groups === undefined ? [] : groups.split(',') });
  }
  return tokens;
}

/** Appends one record to the token file (created with mode 0600 if missing). */
export function addToken(file: string, rec: TokenRecord): void {
  if (rec.token === '' || /[\s,"]/.test(rec.token)) {
    throw new Error('token must be non-empty and contain no whitespace, commas or quotes');
  }
  if (rec.groups.some((g) => g.includes(','))) throw new Error('group names must not contain commas');
  if (existsSync(file) && loadTokenFile(file).has(rec.token)) throw new Error('token already present in token file');
  const fields = [rec.token, rec.user, rec.uid];
  if (rec.groups.length > 0) fields.push(rec.groups.join(','));
  const line = fields.map(csvField).join(',') + '\n';
  if (!existsSync(file)) {
    writeFileSync(file, line, { mode: 0o600 });
    return;
  }
  // Start on a fresh line if a hand-edited file lacks a trailing newline.
  const existing = readFileSync(file, 'utf8');
  appendFileSync(file, existing === '' || existing.endsWith('\n') ? line : '\n' + line);
  chmodSync(file, 0o600);
}

/** 32 random bytes, hex encoded. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Returns the admin token from <dataDir>/tokens.csv, creating the file and a
 * fresh system:admin token (group system:masters) on first start.
 */
export async function ensureAdminToken(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, TOKEN_FILE_NAME);
  if (existsSync(file)) {
    for (const [token, id] of loadTokenFile(file)) {
      if (id.user === ADMIN_USER && id.groups.includes('system:masters')) return token;
    }
  }
  const token = newToken();
  addToken(file, { token, user: ADMIN_USER, uid: ADMIN_UID, groups: [...ADMIN_GROUPS] });
  return token;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * Finds the identity for a presented bearer token. Every stored token is
 * compared in constant time (over fixed-length digests) and the loop never
 * exits early, so timing does not reveal how much of a token matched.
 */
export function matchToken(tokens: Map<string, TokenIdentity>, presented: string): TokenIdentity | undefined {
  const want = digest(presented);
  let found: TokenIdentity | undefined;
  for (const [token, id] of tokens) {
    if (timingSafeEqual(digest(token), want) && found === undefined) found = id;
  }
  return found;
}

/**
 * Returns the token of node `nodeName` (user system:node:<name>, uid
 * node:<name>, group system:nodes) from <dataDir>/tokens.csv, adding one on
 * first use. The control plane re-reads the file when it changes.
 */
export async function ensureNodeToken(dataDir: string, nodeName: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, TOKEN_FILE_NAME);
  const user = `system:node:${nodeName}`;
  if (existsSync(file)) {
    for (const [token, id] of loadTokenFile(file)) {
      if (id.user === user && id.groups.includes('system:nodes')) return token;
    }
  }
  const token = newToken();
  addToken(file, { token, user, uid: `node:${nodeName}`, groups: ['system:nodes'] });
  return token;
}
