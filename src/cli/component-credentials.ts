// Credentials for in-process components (scheduler, later controllers): each
// gets its own identity in the token file and its own kubeconfig, and talks to
// the API server over HTTPS like any other client.

import path from 'node:path';
import { addToken, loadTokenFile, newToken } from '../apiserver/tokens.js';
import { writeKubeconfig } from './kubeconfig.js';

/** The component's token, added to the token file on first use. Call before the API server loads the file. */
export function ensureComponentToken(dataDir: string, user: string): string {
  const tokensPath = path.join(dataDir, 'tokens.csv');
  for (const [t, id] of loadTokenFile(tokensPath)) if (id.user === user) return t;
  const token = newToken();
  addToken(tokensPath, { token, user, uid: user, groups: ['system:authenticated'] });
  return token;
}

export function writeComponentKubeconfig(dataDir: string, component: string, server: string, caCertPem: string, token: string): string {
  const file = path.join(dataDir, `${component}.kubeconfig`);
  writeKubeconfig(file, { server, caCertPem, token });
  return file;
}
