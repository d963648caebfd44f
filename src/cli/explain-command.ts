// `skiff explain pod NAME [-n NS] [-o json]`: why the scheduler put a pod where
// it did (or nowhere), fetched from the API server's skiff.dev endpoint.

import https from 'node:https';
import { parseArgs, flag, checkFlags } from './args.js';
import { readKubeconfig } from './kubeconfig.js';
import { renderExplanation, type SchedulingExplanation } from '../scheduler/explanation.js';

function get(url: URL, token: string | undefined, ca: string | undefined, insecure: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, rejectUnauthorized: !insecure, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
  });
}

export async function runExplain(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  checkFlags(args, ['kubeconfig', 'namespace', 'n', 'output', 'o', 'max-nodes']);
  const [kind, name] = args.positionals;
  if (!['pod', 'pods', 'po'].includes(kind ?? '') || !name) throw new Error('usage: skiff explain pod NAME [-n NAMESPACE] [-o json] [--max-nodes N]');
  const kubeconfig = flag(args, 'kubeconfig', process.env.KUBECONFIG ?? '.skiff/kubeconfig.yaml')!;
  const kc = readKubeconfig(kubeconfig);
  const ns = flag(args, 'namespace') ?? flag(args, 'n') ?? kc.namespace ?? 'default';
  const url = new URL(`/apis/skiff.dev/v1/namespaces/${encodeURIComponent(ns)}/schedulingexplanations/${encodeURIComponent(name)}`, kc.server);
  const res = await get(url, kc.token, kc.caCertPem, kc.insecureSkipTLSVerify);
  if (res.status !== 200) {
    let message = res.body;
    try {
      const st = JSON.parse(res.body);
      message = `Error from server (${st.reason}): ${st.message}`;
    } catch {
      // not a Status
    }
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  const e = JSON.parse(res.body) as SchedulingExplanation;
  const out = flag(args, 'output') ?? flag(args, 'o');
  if (out === 'json') process.stdout.write(JSON.stringify(e, null, 2) + '\n');
  else process.stdout.write(renderExplanation(e, { maxNodes: Number(flag(args, 'max-nodes', '30')) }));
}
