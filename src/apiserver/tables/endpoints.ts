// Endpoints (core/v1) and EndpointSlice (discovery.k8s.io/v1) rows.

import { ageColumn, column, nameColumn, str } from './columns.js';
import { since } from './duration.js';
import type { JsonObject, TablePrinter } from './table.js';

const MAX_LISTED = 3;

function hostPort(ip: string, port: unknown): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** First three "ip:port" pairs, then " + N more..."; "<none>" without subsets. */
export function formatEndpoints(ep: JsonObject): string {
  const subsets: JsonObject[] = Array.isArray(ep.subsets) ? ep.subsets : [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: JsonObject[] = Array.isArray(ss?.addresses) ? ss.addresses : [];
    const ports: JsonObject[] = Array.isArray(ss?.ports) ? ss.ports : [];
    // Headless services without ports list bare IPs.
    const targets = ports.length === 0 ? [undefined] : ports;
    for (const port of targets) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === MAX_LISTED) {
          more = true;
          break;
        }
        list.push(port === undefined ? str(a?.ip) : hostPort(str(a?.ip), port?.port ?? 0));
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - MAX_LISTED} more...` : text;
}

function listWithMore(list: string[], more: boolean, count: number): string {
  const text = list.join(',');
  if (more) return `${text} + ${count - MAX_LISTED} more...`;
  return text || '<unset>';
}

export function formatSlicePorts(ports: unknown): string {
  const all: JsonObject[] = Array.isArray(ports) ? ports : [];
  const list: string[] = [];
  let more = false;
  for (const p of all) {
    if (list.length < MAX_LISTED) {
      if (typeof p?.port === 'number') list.push(String(p.port));
      else if (typeof p?.name === 'string') list.push(p.name);
      else list.push('*');
    } else more = true;
  }
  return listWithMore(list, more, all.length);
}

export function formatSliceEndpoints(endpoints: unknown): string {
  const all: JsonObject[] = Array.isArray(endpoints) ? endpoints : [];
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of all) {
    for (const addr of (Array.isArray(e?.addresses) ? e.addresses : []) as string[]) {
      if (list.length < MAX_LISTED) list.push(addr);
      else more = true;
      count++;
    }
  }
  return listWithMore(list, more, count);
}

export const endpointsPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Endpoints', 'string', 'Backend addresses (ip:port) currently serving the service.'),
    ageColumn(),
  ],
  row(ep, now) {
    return [str(ep.metadata?.name), formatEndpoints(ep), since(ep.metadata?.creationTimestamp, now)];
  },
};

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'Kind of addresses in the slice: IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Port numbers exposed by the endpoints in the slice.'),
    column('Endpoints', 'string', 'Addresses of the endpoints in the slice.'),
    ageColumn(),
  ],
  row(slice, now) {
    return [
      str(slice.metadata?.name),
      str(slice.addressType),
      formatSlicePorts(slice.ports),
      formatSliceEndpoints(slice.endpoints),
      since(slice.metadata?.creationTimestamp, now),
    ];
  },
};
