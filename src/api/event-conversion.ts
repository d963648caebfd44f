// events.k8s.io/v1 Event and core/v1 Event are two views of one stored object
// (Kubernetes keeps both in the same storage); these map between them.

type Obj = Record<string, any>;

const renames: [core: string, events: string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

const shared = ['metadata', 'reason', 'type', 'eventTime', 'series', 'reportingInstance', 'action', 'related'];

function copy(from: Obj, to: Obj, pairs: [string, string][]): void {
  for (const [a, b] of pairs) if (from[a] !== undefined && from[a] !== null) to[b] = from[a];
}

export function coreToEventsV1(e: Obj): Obj {
  const out: Obj = { kind: 'Event', apiVersion: 'events.k8s.io/v1' };
  copy(e, out, shared.map((k) => [k, k]));
  copy(e, out, renames);
  if (out.reportingController === undefined && e.source?.component) out.reportingController = e.source.component;
  if (out.reportingInstance === undefined && e.source?.host) out.reportingInstance = e.source.host;
  return out;
}

export function eventsV1ToCore(e: Obj): Obj {
  const out: Obj = { kind: 'Event', apiVersion: 'v1' };
  copy(e, out, shared.map((k) => [k, k]));
  copy(e, out, renames.map(([a, b]) => [b, a]));
  return out;
}
