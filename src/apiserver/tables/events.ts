// Event rows (core/v1 Event and events.k8s.io/v1 Event share one layout):
// LAST SEEN TYPE REASON OBJECT | SUBOBJECT SOURCE | MESSAGE | FIRST SEEN COUNT NAME.

import { column, int, str } from './columns.js';
import { parseTimestamp, since } from './duration.js';
import type { JsonObject, TablePrinter } from './table.js';

/** The fields the printer needs, in core/v1 vocabulary. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  involved: JsonObject;
  source: JsonObject;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: JsonObject | undefined;
}

/** Reads a core/v1 Event, or an events.k8s.io/v1 Event (regarding/note/deprecated* fields). */
export function eventView(ev: JsonObject): EventView {
  const isNewApi = typeof ev.apiVersion === 'string' && ev.apiVersion.startsWith('events.k8s.io/');
  if (isNewApi) {
    return {
      name: str(ev.metadata?.name),
      type: str(ev.type),
      reason: str(ev.reason),
      message: str(ev.note),
      involved: ev.regarding ?? {},
      source: ev.deprecatedSource ?? {},
      reportingController: str(ev.reportingController),
      reportingInstance: str(ev.reportingInstance),
      firstTimestamp: ev.deprecatedFirstTimestamp,
      lastTimestamp: ev.deprecatedLastTimestamp,
      eventTime: ev.eventTime,
      count: int(ev.deprecatedCount),
      series: ev.series ?? undefined,
    };
  }
  return {
    name: str(ev.metadata?.name),
    type: str(ev.type),
    reason: str(ev.reason),
    message: str(ev.message),
    involved: ev.involvedObject ?? {},
    source: ev.source ?? {},
    reportingController: str(ev.reportingComponent),
    reportingInstance: str(ev.reportingInstance),
    firstTimestamp: ev.firstTimestamp,
    lastTimestamp: ev.lastTimestamp,
    eventTime: ev.eventTime,
    count: int(ev.count),
    series: ev.series ?? undefined,
  };
}

/** "component, host", preferring the legacy source and falling back to the reporting fields. */
export function eventSource(v: EventView): string {
  const component = str(v.source.component) || v.reportingController;
  const instance = str(v.source.host) || v.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

/** "kind/name" with the kind lower-cased; just the kind when there is no name. */
export function eventTarget(involved: JsonObject): string {
  const kind = str(involved.kind).toLowerCase();
  const name = str(involved.name);
  return name ? `${kind}/${name}` : kind;
}

export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'string', 'Time since the event was last observed.'),
    column('Type', 'string', 'Event type, Normal or Warning.'),
    column('Reason', 'string', 'Short machine-readable reason for the event.'),
    column('Object', 'string', 'The object the event is about, as kind/name.'),
    column('Subobject', 'string', 'Part of the object the event concerns, e.g. a container field path.', 1),
    column('Source', 'string', 'Component (and host) that reported the event.', 1),
    column('Message', 'string', 'Human-readable description of the event.'),
    column('First Seen', 'string', 'Time since the event was first observed.', 1),
    column('Count', 'string', 'How many times the event has occurred.', 1),
    column('Name', 'string', 'Name of the Event object.', 1, 'name'),
  ],
  row(ev, now) {
    const v = eventView(ev);
    const first = parseTimestamp(v.firstTimestamp) !== undefined ? since(v.firstTimestamp, now) : since(v.eventTime, now);
    let last = parseTimestamp(v.lastTimestamp) !== undefined ? since(v.lastTimestamp, now) : first;
    let count = v.count;
    if (v.series) {
      last = since(v.series.lastObservedTime, now);
      count = int(v.series.count);
    } else if (count === 0) {
      count = 1; // events.k8s.io singletons carry no count
    }
    return [
      last,
      v.type,
      v.reason,
      eventTarget(v.involved),
      str(v.involved.fieldPath),
      eventSource(v),
      v.message.trim(),
      first,
      count,
      v.name,
    ];
  },
};
