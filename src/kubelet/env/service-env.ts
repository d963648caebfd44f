// The variables the kubelet injects for Services (pkg/kubelet/envvars):
// <NAME>_SERVICE_HOST, <NAME>_SERVICE_PORT, <NAME>_SERVICE_PORT_<PORTNAME>
// and the Docker-links family <NAME>_PORT, <NAME>_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}.

import type { KubeObject } from '../../client/index.js';
import { joinHostPort } from '../go-format.js';

export interface EnvVar {
  name: string;
  value: string;
}

/** Upper case, '.' and '-' become '_', and a leading digit gets a '_' in front. */
export function envVariableName(s: string): string {
  const name = s.replace(/[.-]/g, '_').toUpperCase();
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** A ClusterIP that is neither empty nor "None" (headless). */
export function hasClusterIP(svc: KubeObject): boolean {
  const ip = svc.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}

export function serviceEnvVars(services: KubeObject[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const ip: string = svc.spec.clusterIP;
    const ports: any[] = svc.spec?.ports ?? [];
    const prefix = envVariableName(svc.metadata.name ?? '');
    out.push({ name: `${prefix}_SERVICE_HOST`, value: ip });
    if (ports.length === 0) continue;
    out.push({ name: `${prefix}_SERVICE_PORT`, value: String(ports[0].port) });
    for (const p of ports) {
      if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envVariableName(p.name)}`, value: String(p.port) });
    }
    ports.forEach((p, i) => {
      const protocol: string = p.protocol || 'TCP';
      const lower = protocol.toLowerCase();
      const url = `${lower}://${joinHostPort(ip, p.port)}`;
      if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
      const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
      out.push(
        { name: portPrefix, value: url },
        { name: `${portPrefix}_PROTO`, value: lower },
        { name: `${portPrefix}_PORT`, value: String(p.port) },
        { name: `${portPrefix}_ADDR`, value: ip },
      );
    });
  }
  return out;
}
