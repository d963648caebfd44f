// `skiff token create --node NAME [--data-dir DIR]`: prints a token that lets
// `skiff agent` act as that node (and only as that node). The running server
// picks the new token up from its token file within a second.

import path from 'node:path';
import fs from 'node:fs';
import { parseArgs, flag, checkFlags } from './args.js';
import { ensureNodeToken } from '../apiserver/tokens.js';

export async function runToken(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  checkFlags(args, ['node', 'data-dir']);
  const [verb] = args.positionals;
  if (verb !== 'create') throw new Error('usage: skiff token create --node NAME [--data-dir DIR]');
  const node = flag(args, 'node');
  if (!node || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node)) throw new Error('--node NAME is required and must be a lower-case DNS name');
  const dataDir = path.resolve(flag(args, 'data-dir', '.skiff')!);
  if (!fs.existsSync(path.join(dataDir, 'tokens.csv'))) throw new Error(`${dataDir} has no tokens.csv: run skiff up or skiff server with this --data-dir first`);
  process.stdout.write(`${await ensureNodeToken(dataDir, node)}\n`);
}
